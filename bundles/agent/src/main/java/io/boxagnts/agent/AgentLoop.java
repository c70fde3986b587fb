package io.boxagnts.agent;

import io.boxagnts.api.agent.AgentEvent;
import io.boxagnts.api.agent.AgentEvent.StopReason;
import io.boxagnts.api.model.ChatDelta;
import io.boxagnts.api.model.ChatMessage;
import io.boxagnts.api.model.ChatRequest;
import io.boxagnts.api.model.ChatResponse;
import io.boxagnts.api.model.ModelException;
import io.boxagnts.api.model.ModelProvider;
import io.boxagnts.api.model.ToolCall;
import io.boxagnts.api.model.ToolDefinition;
import io.boxagnts.api.model.Usage;
import io.boxagnts.api.session.SessionStore;
import io.boxagnts.api.tool.CallOrigin;
import io.boxagnts.api.tool.RegisteredTool;
import io.boxagnts.api.tool.ToolError;
import io.boxagnts.api.tool.ToolException;
import io.boxagnts.api.tool.ToolRegistry;
import io.boxagnts.api.tool.ToolRequest;
import io.boxagnts.api.tool.ToolResult;
import io.boxagnts.api.tool.ToolSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Runs user turns of one session. Live events (every text delta) go to the caller's sink; completed events (the
 * step's whole text, tool calls, results, approvals, errors, the turn's end) also go to the session log, each on disk
 * before the turn moves on. Cancel a turn by interrupting the thread that runs it.
 */
final class AgentLoop {

    /**
     * @param maxSteps model calls per turn
     * @param repeatedFailures the same failing call (tool and arguments) this often stops the turn
     * @param approvalTimeout how long an approval request waits before it counts as denied
     * @param contextTokens the model's context window when the provider does not say (tokens, ~4 characters each)
     */
    record Settings(int maxSteps, int repeatedFailures, Duration approvalTimeout, int contextTokens) {
        static final Settings DEFAULT = new Settings(25, 3, Duration.ofMinutes(5), 32_768);
    }

    /** A request as it is sent, with its estimated size. */
    private record Prompt(List<ChatMessage> messages, int tokens) {}

    private static final String SUMMARISE = "Summarise this conversation between a user and a coding agent in at "
            + "most 200 words: what the user wants, what was done (files read and changed), and what is left open.";

    /**
     * What is known of the model's context: its window in tokens, and the estimate of tokens that learns from the
     * server's counts (shared by the turns on this model).
     */
    record Context(int windowTokens, TokenEstimate estimate) {}

    private final ModelProvider provider;
    private final String model;
    private final Context context;
    private final ToolRegistry tools;
    private final SessionStore sessions;
    private final Settings settings;
    private final Clock clock;
    private final FileChanges changes;
    private final Predicate<ToolSpec> usable;

    AgentLoop(ModelProvider provider, String model, ToolRegistry tools, SessionStore sessions, Settings settings,
            Clock clock, Path workspace) {
        this(provider, model, new Context(settings.contextTokens(), new TokenEstimate()), tools, sessions, settings,
                clock, workspace, spec -> true);
    }

    /**
     * @param usable whether a tool can do anything for the model now (a web fetching tool cannot while the web
     *     policy allows no host); one that cannot is not offered
     */
    AgentLoop(ModelProvider provider, String model, Context context, ToolRegistry tools, SessionStore sessions,
            Settings settings, Clock clock, Path workspace, Predicate<ToolSpec> usable) {
        this.usable = usable;
        this.provider = provider;
        this.model = model;
        this.context = context;
        this.tools = tools;
        this.sessions = sessions;
        this.settings = settings;
        this.clock = clock;
        this.changes = new FileChanges(workspace);
    }

    /** Runs one turn to its end and says why it ended. */
    StopReason turn(String sessionId, String systemPrompt, String userText, Permissions permissions,
            ApprovalGate approvals, Consumer<AgentEvent> sink) throws IOException {
        long started = System.nanoTime();
        Turn turn = new Turn(sessionId, permissions, approvals, sink, sessions.events(sessionId));
        turn.record(new AgentEvent.UserMessage(sessionId, clock.instant(), userText));
        StopReason reason;
        try {
            reason = turn.run(systemPrompt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reason = StopReason.CANCELLED;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        boolean interrupted = Thread.interrupted(); // the log must still be written when a turn was cancelled
        try {
            turn.keepPartialText();
            turn.record(new AgentEvent.TurnFinished(sessionId, clock.instant(), reason, turn.usage,
                    Duration.ofNanos(System.nanoTime() - started).toMillis()));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return reason;
    }

    /** The state of one turn. */
    private final class Turn {

        final String sessionId;
        final Permissions permissions;
        final ApprovalGate approvals;
        final Consumer<AgentEvent> sink;
        final Map<String, Integer> failures = new HashMap<>();
        /** The session's log as it stands: read once when the turn starts, then kept in step with every append. */
        final List<AgentEvent> log;
        Usage usage = Usage.NONE;
        boolean toldAboutDropped;
        boolean summarised;
        final Set<String> toldAboutCuts = new HashSet<>();
        /** The text of the current step as it streams; logged whole when the step ends, or what came when it fails. */
        final StringBuilder partial = new StringBuilder();
        long streamedChunks;
        /** Tools the user approved for the rest of the session, in this turn or an earlier one. */
        final Set<String> approvedForSession;
        /** What the calls of the current step changed, by call id; recorded after each call's end. */
        final Map<String, AgentEvent.FileChanged> changed = new ConcurrentHashMap<>();
        /** Who let each call of the turn run, by call id (for the audit log); decided before the call starts. */
        final Map<String, CallOrigin> origins = new ConcurrentHashMap<>();

        Turn(String sessionId, Permissions permissions, ApprovalGate approvals, Consumer<AgentEvent> sink,
                List<AgentEvent> log) {
            this.log = new ArrayList<>(log);
            this.sessionId = sessionId;
            this.permissions = permissions;
            this.approvals = approvals;
            this.sink = sink;
            this.approvedForSession = approvedForSession(log);
        }

        StopReason run(String instructions) throws IOException, InterruptedException {
            // a tool the administrator disabled is not offered (a call of it would be refused anyway), nor one that
            // cannot do anything now: a small local model would spend turns on calls that are all refused
            List<RegisteredTool> offered = tools.tools().stream().filter(RegisteredTool::enabled)
                    .filter(t -> permissions.offers(t.spec()) && usable.test(t.spec())).toList();
            String guide = ToolGuide.of(offered.stream().map(RegisteredTool::spec).toList());
            String systemPrompt = guide.isEmpty() ? instructions : instructions + "\n\n" + guide;
            ContextBudget budget = new ContextBudget(context.windowTokens(), context.estimate());
            List<ToolDefinition> definitions = offered.stream().map(t -> budget.compactTools()
                    ? ToolDefinitions.compact(t.spec()) : ToolDefinitions.full(t.spec())).toList();
            boolean rejectedOnce = false;
            for (int step = 0; step < settings.maxSteps(); step++) {
                Prompt prompt = prompt(budget, systemPrompt, definitions);
                if (prompt == null) {
                    return StopReason.ERROR; // told why; nothing was sent
                }
                ChatResponse response;
                partial.setLength(0);
                streamedChunks = 0;
                try {
                    response = provider.chat(new ChatRequest(model, prompt.messages(), definitions, 0),
                            delta -> live(delta));
                } catch (ModelException e) {
                    usage = usage.plus(new Usage(e.usage().inputTokens() > 0 ? e.usage().inputTokens() : prompt.tokens(),
                            Math.max(e.usage().outputTokens(), streamedChunks)));
                    if (e.kind() == ModelException.Kind.CANCELLED || Thread.currentThread().isInterrupted()) {
                        return StopReason.CANCELLED;
                    }
                    if (e.kind() == ModelException.Kind.CONTEXT_LENGTH_EXCEEDED && !rejectedOnce && partial.isEmpty()) {
                        // the estimate was too low for this model's tokenizer: learn from the server and fit again
                        rejectedOnce = true;
                        context.estimate().learnFromRejection(e.getMessage(), prompt.tokens());
                        step--;
                        continue;
                    }
                    keepPartialText();
                    record(new AgentEvent.Error(sessionId, clock.instant(), e.getMessage()));
                    return StopReason.ERROR;
                }
                partial.setLength(0);
                usage = usage.plus(response.usage());
                context.estimate().learn(response.usage().inputTokens(), prompt.tokens());
                record(new AgentEvent.ContextUsage(sessionId, clock.instant(), budget.window(),
                        response.usage().inputTokens() > 0 ? (int) Math.min(Integer.MAX_VALUE,
                                response.usage().inputTokens()) : prompt.tokens(), budget.compactTools()));
                if (!response.message().text().isEmpty()) {
                    record(new AgentEvent.TextDelta(sessionId, clock.instant(), response.message().text()), false);
                }
                List<ToolCall> calls = response.message().toolCalls();
                if (Thread.currentThread().isInterrupted()) {
                    return StopReason.CANCELLED; // stopped while the model answered: run none of its calls
                }
                if (response.finishReason() == ChatResponse.FinishReason.LENGTH) {
                    // cut at the output limit: a half-written tool call is not run
                    notice("The answer was cut off at the model's output token limit"
                            + (calls.isEmpty() ? "." : "; its unfinished tool calls were not run.")
                            + " Ask it to continue, or for a shorter answer.");
                    return StopReason.MAX_TOKENS;
                }
                if (calls.isEmpty()) {
                    return StopReason.COMPLETED;
                }
                if (runTools(calls)) {
                    return StopReason.LOOP_DETECTED;
                }
                if (Thread.currentThread().isInterrupted()) {
                    return StopReason.CANCELLED;
                }
            }
            tell("Stopped after " + settings.maxSteps() + " model steps without a final answer.");
            return StopReason.MAX_STEPS;
        }

        /**
         * The request of this step, fitted into the context window (see {@link ContextBudget}); null when even the
         * system prompt and the tool definitions leave no room, after telling the user.
         */
        private Prompt prompt(ContextBudget budget, String systemPrompt, List<ToolDefinition> definitions)
                throws IOException {
            TokenEstimate estimate = context.estimate();
            ChatMessage system = ChatMessage.system(systemPrompt);
            int fixed = estimate.message(system) + estimate.tools(definitions);
            int room = budget.promptLimit() - fixed;
            List<ChatMessage> history = History.messages(log, budget.toolOutputChars());
            int[] dropped = {0};
            history = budget.dropOldToolOutputs(history, room, dropped);
            if (estimate.messages(history) > room && !summarised) {
                summarised = true;
                if (summarise(history, budget)) {
                    history = budget.dropOldToolOutputs(History.messages(log, budget.toolOutputChars()), room, dropped);
                }
            }
            if (dropped[0] > 0 && !toldAboutDropped) {
                toldAboutDropped = true;
                notice("The conversation outgrew the model's context window: the outputs of " + dropped[0]
                        + " older tool calls were left out.");
            }
            if (estimate.messages(history) > room) {
                ContextBudget.Cut cut = budget.cut(history, room);
                history = cut.history();
                for (String message : cut.notices()) {
                    if (toldAboutCuts.add(message.substring(0, Math.min(40, message.length())))) {
                        notice(message);
                    }
                }
            }
            int tokens = fixed + estimate.messages(history);
            if (tokens > budget.promptLimit()) {
                tell("This request cannot fit into the model's context window of " + budget.window() + " tokens: the "
                        + "system prompt and the tool definitions alone take about " + fixed + " tokens, and "
                        + budget.answerRoom() + " are kept for the answer. Use a model or server setting with a larger "
                        + "context (e.g. llama-server -c 8192, or num_ctx in Ollama), or a shorter AGENTS.md.");
                return null;
            }
            List<ChatMessage> messages = new ArrayList<>();
            messages.add(system);
            messages.addAll(history);
            return new Prompt(messages, tokens);
        }

        /**
         * Still too long once old tool outputs are gone: the model summarises everything before the current request,
         * the summary goes to the log (so it is done once), and the user is told. Answers whether it did.
         */
        private boolean summarise(List<ChatMessage> history, ContextBudget budget) throws IOException {
            int lastUser = history.size() - 1;
            while (lastUser > 0 && history.get(lastUser).role() != ChatMessage.Role.USER) {
                lastUser--;
            }
            if (lastUser <= 0 || lastUser <= 2 && history.get(0).text().startsWith(History.SUMMARY_PREFIX)) {
                return false; // nothing before the current request to summarise, or only the last summary
            }
            StringBuilder transcript = new StringBuilder();
            for (ChatMessage message : history.subList(0, lastUser)) {
                String text = message.text().length() > 2000 ? message.text().substring(0, 2000) + "..." : message.text();
                transcript.append(message.role().name().toLowerCase(java.util.Locale.ROOT)).append(": ").append(text);
                message.toolCalls().forEach(c -> transcript.append(" [calls ").append(c.name()).append(']'));
                transcript.append('\n');
            }
            // the summary request must fit too: the window less its instruction and the summary's own room
            int chars = context.estimate().chars(budget.window() - 512 - context.estimate().text(SUMMARISE) - 64);
            String budgeted = transcript.length() > chars ? transcript.substring(transcript.length() - chars)
                    : transcript.toString();
            ChatResponse summary;
            try {
                summary = provider.chat(new ChatRequest(model, List.of(ChatMessage.system(SUMMARISE),
                        ChatMessage.user(budgeted)), List.of(), 512), delta -> { });
            } catch (ModelException e) {
                usage = usage.plus(e.usage());
                notice("The conversation is too long for the model and could not be summarised (" + e.getMessage()
                        + "); older parts are cut instead.");
                return false;
            }
            usage = usage.plus(summary.usage());
            record(new AgentEvent.ContextSummary(sessionId, clock.instant(), summary.message().text()));
            notice("The conversation outgrew the model's context window: the earlier part was summarised.");
            return true;
        }

        /** Text the model streamed in a step that did not finish: kept in the session (a cancelled turn's answer). */
        void keepPartialText() throws IOException {
            if (!partial.isEmpty()) {
                String text = partial.toString();
                partial.setLength(0);
                record(new AgentEvent.TextDelta(sessionId, clock.instant(), text), false);
            }
        }

        /** Starts, approves and runs the step's calls; independent calls run in parallel. True when a loop shows. */
        private boolean runTools(List<ToolCall> calls) throws IOException, InterruptedException {
            for (ToolCall call : calls) {
                record(new AgentEvent.ToolCallStarted(sessionId, clock.instant(), call.id(), call.name(), call.arguments()));
            }
            List<Future<AgentEvent.ToolCallFinished>> running = new ArrayList<>();
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (ToolCall call : calls) {
                    AgentEvent.ToolCallFinished refusal = authorize(call);
                    running.add(refusal != null ? java.util.concurrent.CompletableFuture.completedFuture(refusal)
                            : executor.submit(() -> execute(call)));
                }
                boolean loop = false;
                for (int i = 0; i < calls.size(); i++) {
                    AgentEvent.ToolCallFinished finished;
                    try {
                        finished = running.get(i).get();
                    } catch (ExecutionException e) {
                        finished = finished(calls.get(i), null, new ToolError(ToolError.Kind.INTERNAL,
                                String.valueOf(e.getCause())), 0);
                    } catch (InterruptedException e) {
                        running.forEach(f -> f.cancel(true));
                        throw e;
                    }
                    record(finished);
                    AgentEvent.FileChanged change = changed.remove(finished.callId());
                    if (change != null) {
                        record(change);
                    }
                    if (finished.error() != null) {
                        String key = calls.get(i).name() + " " + calls.get(i).arguments();
                        loop |= failures.merge(key, 1, Integer::sum) >= settings.repeatedFailures();
                    }
                }
                if (loop) {
                    tell("Stopped: the model repeated the same failing tool call " + settings.repeatedFailures()
                            + " times.");
                }
                return loop;
            }
        }

        /** Null when the call may run; otherwise the finished event that says why it did not. */
        private AgentEvent.ToolCallFinished authorize(ToolCall call) throws IOException, InterruptedException {
            RegisteredTool tool = tools.tool(call.name()).orElse(null);
            if (tool == null) {
                return finished(call, null, new ToolError(ToolError.Kind.UNAVAILABLE,
                        "there is no tool named '" + call.name() + "'"), 0);
            }
            String caller = "session " + sessionId;
            return switch (permissions.decide(tool.spec())) {
                case RUN -> {
                    boolean writes = tool.spec().permissions().writes();
                    origins.put(call.id(), new CallOrigin(caller, writes ? "allowed by the session's mode"
                            : "read-only tool", writes ? "session mode" : ""));
                    yield null;
                }
                case REFUSE -> finished(call, null, new ToolError(ToolError.Kind.PERMISSION_DENIED,
                        call.name() + " is not allowed in this session"), 0);
                case ASK -> {
                    if (approvedForSession.contains(call.name())) {
                        origins.put(call.id(), new CallOrigin(caller, "approved for this session", "user"));
                        yield null;
                    }
                    AgentEvent.ApprovalRequested request = new AgentEvent.ApprovalRequested(sessionId, clock.instant(),
                            call.id(), call.name(), call.arguments());
                    record(request);
                    ApprovalGate.Answer answer = approvals.approve(request, settings.approvalTimeout());
                    if (answer == ApprovalGate.Answer.FOR_SESSION) {
                        approvedForSession.add(call.name());
                    }
                    boolean approved = answer != ApprovalGate.Answer.DENIED;
                    origins.put(call.id(), new CallOrigin(caller, answer == ApprovalGate.Answer.FOR_SESSION
                            ? "approved for this session" : "approved once", "user"));
                    record(new AgentEvent.ApprovalDecided(sessionId, clock.instant(), call.id(), approved,
                            answer == ApprovalGate.Answer.FOR_SESSION ? AgentEvent.FOR_SESSION : AgentEvent.BY_USER));
                    yield approved ? null : finished(call, null, new ToolError(ToolError.Kind.PERMISSION_DENIED,
                            "the user did not approve " + call.name()), 0);
                }
            };
        }

        private AgentEvent.ToolCallFinished execute(ToolCall call) {
            long started = System.nanoTime();
            RegisteredTool tool = tools.tool(call.name()).orElse(null);
            if (tool == null) {
                return finished(call, null, new ToolError(ToolError.Kind.UNAVAILABLE, "the tool went away"), 0);
            }
            try {
                Optional<FileChanges.Before> before = changes.before(tool.spec(), call.arguments());
                ToolResult result = tool.tool().invoke(new ToolRequest(call.id(), call.arguments(),
                        origins.getOrDefault(call.id(), CallOrigin.UNKNOWN)));
                before.flatMap(b -> changes.after(b, sessionId, clock.instant(), call.id()))
                        .ifPresent(change -> changed.put(call.id(), change));
                return finished(call, result.output(), null, result.duration().toMillis());
            } catch (ToolException e) {
                return finished(call, null, e.error(), (System.nanoTime() - started) / 1_000_000);
            } catch (RuntimeException e) {
                return finished(call, null, new ToolError(ToolError.Kind.INTERNAL, e.toString()),
                        (System.nanoTime() - started) / 1_000_000);
            }
        }

        private AgentEvent.ToolCallFinished finished(ToolCall call, String output, ToolError error, long millis) {
            return new AgentEvent.ToolCallFinished(sessionId, clock.instant(), call.id(), output, error, millis);
        }

        /** The tools of the ApprovalRequested events whose answer was "for this session". */
        private static Set<String> approvedForSession(List<AgentEvent> log) {
            Map<String, String> requested = new HashMap<>();
            Set<String> approved = new HashSet<>();
            for (AgentEvent event : log) {
                if (event instanceof AgentEvent.ApprovalRequested request) {
                    requested.put(request.callId(), request.tool());
                } else if (event instanceof AgentEvent.ApprovalDecided decided && decided.approved()
                        && AgentEvent.FOR_SESSION.equals(decided.by()) && requested.containsKey(decided.callId())) {
                    approved.add(requested.get(decided.callId()));
                }
            }
            return approved;
        }

        private void live(ChatDelta delta) {
            streamedChunks++;
            if (delta instanceof ChatDelta.Text text) {
                partial.append(text.text());
                sink.accept(new AgentEvent.TextDelta(sessionId, clock.instant(), text.text()));
            }
        }

        /** Something the user should know that is not a failure, in the log and live. */
        private void notice(String message) throws IOException {
            record(new AgentEvent.Notice(sessionId, clock.instant(), message));
        }

        /** Something the user must read, in the log and live. */
        private void tell(String message) {
            try {
                record(new AgentEvent.Error(sessionId, clock.instant(), message));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void record(AgentEvent event) throws IOException {
            record(event, true);
        }

        /** Logs a completed event; live text was already sent delta by delta, so a step's whole text is not resent. */
        void record(AgentEvent event, boolean live) throws IOException {
            sessions.append(sessionId, event);
            synchronized (log) {
                log.add(event);
            }
            if (live) {
                sink.accept(event);
            }
        }
    }
}
