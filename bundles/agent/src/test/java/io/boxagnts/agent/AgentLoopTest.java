package io.boxagnts.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.boxagnts.api.agent.AgentEvent;
import io.boxagnts.api.agent.AgentEvent.StopReason;
import io.boxagnts.api.model.ChatDelta;
import io.boxagnts.api.model.ChatListener;
import io.boxagnts.api.model.ChatMessage;
import io.boxagnts.api.model.ChatRequest;
import io.boxagnts.api.model.ChatResponse;
import io.boxagnts.api.model.ModelException;
import io.boxagnts.api.model.ModelInfo;
import io.boxagnts.api.model.ModelProvider;
import io.boxagnts.api.model.ToolCall;
import io.boxagnts.api.model.ToolDefinition;
import io.boxagnts.api.model.Usage;
import io.boxagnts.api.tool.NetworkAccess;
import io.boxagnts.api.tool.RefusedTool;
import io.boxagnts.api.tool.RegisteredTool;
import io.boxagnts.api.tool.Tool;
import io.boxagnts.api.tool.ToolError;
import io.boxagnts.api.tool.ToolException;
import io.boxagnts.api.tool.ToolPermissions;
import io.boxagnts.api.tool.ToolRegistry;
import io.boxagnts.api.tool.ToolRequest;
import io.boxagnts.api.tool.ToolResult;
import io.boxagnts.api.tool.ToolSpec;
import io.boxagnts.api.tool.WorkspaceAccess;
import io.boxagnts.api.web.WebFetchException;
import io.boxagnts.api.web.WebFetchRequest;
import io.boxagnts.api.web.WebFetcher;
import io.boxagnts.api.web.WebPage;
import io.boxagnts.sessions.JsonlSessionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop's decisions, with a scripted model (the provider SPI answering from a script, as a model would) and Java
 * tools, over the real session store.
 */
class AgentLoopTest {

    /** Answers each chat with the next scripted response, streaming its text first; records every request. */
    static final class ScriptedModel implements ModelProvider {
        final Deque<Function<ChatRequest, ChatResponse>> script = new ArrayDeque<>();
        final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
        /** Failures by position in the script: these deltas stream, then the call fails. */
        final java.util.Map<Integer, java.util.Map.Entry<List<String>, ModelException>> failures = new java.util.HashMap<>();

        ScriptedModel then(Function<ChatRequest, ChatResponse> step) {
            script.add(step);
            return this;
        }

        ScriptedModel thenFail(ModelException failure, String... streamed) {
            failures.put(script.size(), java.util.Map.entry(List.of(streamed), failure));
            script.add(r -> null);
            return this;
        }

        @Override
        public String id() {
            return "scripted";
        }

        @Override
        public List<ModelInfo> models() {
            return List.of(new ModelInfo("scripted", "m", 0));
        }

        @Override
        public ChatResponse chat(ChatRequest request, ChatListener listener) throws ModelException {
            requests.add(request);
            if (Thread.currentThread().isInterrupted()) {
                throw new ModelException(ModelException.Kind.CANCELLED, "cancelled");
            }
            var failure = failures.remove(requests.size() - 1);
            if (failure != null) {
                script.poll();
                failure.getKey().forEach(t -> listener.onDelta(new ChatDelta.Text(t)));
                throw failure.getValue();
            }
            ChatResponse response = script.isEmpty() ? text("(script exhausted)") : script.poll().apply(request);
            for (String word : response.message().text().split("(?<= )")) {
                if (!word.isEmpty()) {
                    listener.onDelta(new ChatDelta.Text(word));
                }
            }
            return response;
        }
    }

    static ChatResponse text(String text) {
        return new ChatResponse(ChatMessage.assistant(text, List.of()), ChatResponse.FinishReason.STOP, new Usage(10, 2));
    }

    static ChatResponse calls(ToolCall... calls) {
        return new ChatResponse(ChatMessage.assistant("", List.of(calls)), ChatResponse.FinishReason.TOOL_CALLS,
                new Usage(10, 5));
    }

    /** A Java tool, as a DS component would register it. */
    record JavaTool(ToolSpec spec, Function<String, String> body, List<String> inputs) implements Tool {
        JavaTool(String name, ToolPermissions permissions, Function<String, String> body) {
            this(new ToolSpec(name, name + " tool", null, permissions, null, "1"), body, new CopyOnWriteArrayList<>());
        }

        @Override
        public ToolResult invoke(ToolRequest request) throws ToolException {
            inputs.add(request.input());
            String output = body.apply(request.input());
            if (output.startsWith("FAIL")) {
                throw new ToolException(ToolError.Kind.TOOL_FAILED, output);
            }
            return new ToolResult(output, Duration.ofMillis(1));
        }
    }

    record Tools(List<JavaTool> all) implements ToolRegistry {
        @Override
        public List<RegisteredTool> tools() {
            return all.stream().map(t -> new RegisteredTool(t, "test", "1")).toList();
        }

        @Override
        public Optional<RegisteredTool> tool(String name) {
            return tools().stream().filter(t -> t.spec().name().equals(name)).findFirst();
        }

        @Override
        public List<RefusedTool> refused() {
            return List.of();
        }
    }

    @TempDir
    Path dir;
    @TempDir
    Path workspace;

    private JsonlSessionStore sessions;
    private String session;
    private final List<AgentEvent> live = new CopyOnWriteArrayList<>();
    private final JavaTool grep = new JavaTool("grep", ToolPermissions.READ, in -> "{\"matches\":[\"README.md:2\"]}");
    private final JavaTool edit = new JavaTool("edit_file", ToolPermissions.WRITE, in -> "{\"replacements\":1}");

    @BeforeEach
    void setUp() throws Exception {
        sessions = new JsonlSessionStore(dir, Clock.systemUTC());
        session = sessions.create("test").id();
    }

    private StopReason turn(ScriptedModel model, Permissions permissions, ApprovalGate gate, String text,
            AgentLoop.Settings settings, JavaTool... tools) throws Exception {
        AgentLoop loop = new AgentLoop(model, "m", new Tools(List.of(tools)), sessions, settings, Clock.systemUTC(),
                workspace);
        return loop.turn(session, "You are a coding agent.", text, permissions, gate, live::add);
    }

    private StopReason turn(ScriptedModel model, Permissions permissions, ApprovalGate gate, JavaTool... tools)
            throws Exception {
        return turn(model, permissions, gate, "find the TODOs and fix the typo", AgentLoop.Settings.DEFAULT, tools);
    }

    private List<Class<?>> logged() throws Exception {
        return sessions.events(session).stream().<Class<?>>map(Object::getClass).toList();
    }

    @Test
    void aPlainAnswerStreamsAndIsLoggedOnce() throws Exception {
        ScriptedModel model = new ScriptedModel().then(r -> text("All good here."));
        assertEquals(StopReason.COMPLETED, turn(model, Permissions.DEFAULT, ApprovalGate.DENY_ALL, grep));
        assertEquals(List.of(AgentEvent.UserMessage.class, AgentEvent.ContextUsage.class, AgentEvent.TextDelta.class,
                AgentEvent.TurnFinished.class), logged());
        assertEquals("All good here.", ((AgentEvent.TextDelta) sessions.events(session).get(2)).text());
        assertEquals(3, live.stream().filter(e -> e instanceof AgentEvent.TextDelta).count(), "live deltas");
        AgentEvent.TurnFinished end = (AgentEvent.TurnFinished) sessions.events(session).get(3);
        assertEquals(new Usage(10, 2), end.usage());
    }

    @Test
    void toolResultsGoBackToTheModelInTheWireOrder() throws Exception {
        ScriptedModel model = new ScriptedModel()
                .then(r -> calls(new ToolCall("c1", "grep", "{\"pattern\":\"TODO\"}")))
                .then(r -> text("Found one TODO in README.md."));
        assertEquals(StopReason.COMPLETED, turn(model, Permissions.DEFAULT, ApprovalGate.DENY_ALL, grep));
        assertEquals(List.of("{\"pattern\":\"TODO\"}"), grep.inputs());
        List<ChatMessage> second = model.requests.get(1).messages();
        assertEquals(ChatMessage.Role.SYSTEM, second.get(0).role());
        assertEquals(ChatMessage.Role.USER, second.get(1).role());
        assertEquals(List.of(new ToolCall("c1", "grep", "{\"pattern\":\"TODO\"}")), second.get(2).toolCalls());
        assertEquals("c1", second.get(3).toolCallId());
        assertEquals("{\"matches\":[\"README.md:2\"]}", second.get(3).text());
        assertEquals(List.of("grep"), model.requests.get(0).tools().stream().map(t -> t.name()).toList());
    }

    @Test
    void aWriteWaitsForApprovalAndADenialKeepsTheFileUntouched() throws Exception {
        ScriptedModel denied = new ScriptedModel()
                .then(r -> calls(new ToolCall("c1", "edit_file", "{\"path\":\"README.md\"}")))
                .then(r -> text("Understood, I left it."));
        assertEquals(StopReason.COMPLETED, turn(denied, Permissions.DEFAULT, ApprovalGate.DENY_ALL, grep, edit));
        assertTrue(edit.inputs().isEmpty());
        assertTrue(logged().contains(AgentEvent.ApprovalRequested.class));
        AgentEvent.ToolCallFinished refused = sessions.events(session).stream()
                .filter(e -> e instanceof AgentEvent.ToolCallFinished).map(e -> (AgentEvent.ToolCallFinished) e)
                .findFirst().orElseThrow();
        assertEquals(ToolError.Kind.PERMISSION_DENIED, refused.error().kind());

        ScriptedModel approved = new ScriptedModel()
                .then(r -> calls(new ToolCall("c2", "edit_file", "{\"path\":\"README.md\"}")))
                .then(r -> text("Fixed."));
        assertEquals(StopReason.COMPLETED, turn(approved, Permissions.DEFAULT, (request, timeout) -> ApprovalGate.Answer.ONCE, grep,
                edit));
        assertEquals(List.of("{\"path\":\"README.md\"}"), edit.inputs());
    }

    @Test
    void approvedForTheSessionAToolNoLongerAsksInThisOrLaterTurns() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        ApprovalGate always = (request, timeout) -> {
            asked.add(request.callId());
            return ApprovalGate.Answer.FOR_SESSION;
        };
        ScriptedModel first = new ScriptedModel()
                .then(r -> calls(new ToolCall("c1", "edit_file", "{\"path\":\"a.md\"}")))
                .then(r -> calls(new ToolCall("c2", "edit_file", "{\"path\":\"b.md\"}")))
                .then(r -> text("Both edited."));
        assertEquals(StopReason.COMPLETED, turn(first, Permissions.DEFAULT, always, edit));
        ScriptedModel later = new ScriptedModel()
                .then(r -> calls(new ToolCall("c3", "edit_file", "{\"path\":\"c.md\"}")))
                .then(r -> text("Done."));
        assertEquals(StopReason.COMPLETED, turn(later, Permissions.DEFAULT, ApprovalGate.DENY_ALL, edit));
        assertEquals(List.of("c1"), asked);
        assertEquals(3, edit.inputs().size());
        assertTrue(sessions.events(session).stream().anyMatch(e -> e instanceof AgentEvent.ApprovalDecided d
                && d.by().equals(AgentEvent.FOR_SESSION)));
    }

    @Test
    void aWriteToolsEditIsRecordedAsBeforeAndAfter() throws Exception {
        Files.writeString(workspace.resolve("README.md"), "teh answer\n");
        // Edits the file it is given, and, behind the agent's back, another one; a path outside changes nothing.
        // (The two calls run in parallel: each must touch only its own file, or the snapshots race.)
        JavaTool fix = new JavaTool("edit_file", ToolPermissions.WRITE, in -> {
            try {
                if (in.contains("README.md")) {
                    Files.writeString(workspace.resolve("README.md"), "the answer\n");
                    Files.writeString(workspace.resolve("NEW.md"), "new\n");
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return "{\"replacements\":1}";
        });
        ScriptedModel model = new ScriptedModel()
                .then(r -> calls(new ToolCall("c1", "edit_file", "{\"path\":\"README.md\"}"),
                        new ToolCall("c2", "edit_file", "{\"path\":\"../outside.md\"}")))
                .then(r -> text("Fixed."));
        assertEquals(StopReason.COMPLETED, turn(model, new Permissions(Permissions.Mode.AUTO_EDIT, Set.of(), Set.of()),
                ApprovalGate.DENY_ALL, fix));
        List<AgentEvent.FileChanged> changes = sessions.events(session).stream()
                .filter(e -> e instanceof AgentEvent.FileChanged).map(e -> (AgentEvent.FileChanged) e).toList();
        assertEquals(List.of(new AgentEvent.FileChanged(session, changes.get(0).at(), "c1", "README.md",
                "teh answer\n", "the answer\n")), changes);
    }

    @Test
    void planModeDoesNotOfferWritesAndDenyRulesWin() throws Exception {
        ScriptedModel model = new ScriptedModel().then(r -> text("Plan: edit README.md."));
        turn(model, new Permissions(Permissions.Mode.PLAN, Set.of("edit_file"), Set.of()), ApprovalGate.DENY_ALL,
                grep, edit);
        assertEquals(List.of("grep"), model.requests.get(0).tools().stream().map(t -> t.name()).toList());
        ScriptedModel denied = new ScriptedModel().then(r -> text("ok"));
        turn(denied, new Permissions(Permissions.Mode.AUTO_EDIT, Set.of("grep"), Set.of("grep")), ApprovalGate.DENY_ALL,
                grep, edit);
        assertEquals(List.of("edit_file"), denied.requests.get(0).tools().stream().map(t -> t.name()).toList());
    }

    @Test
    void independentCallsOfOneStepRunInParallel() throws Exception {
        CountDownLatch both = new CountDownLatch(2);
        Function<String, String> meet = in -> {
            both.countDown();
            try {
                return both.await(10, TimeUnit.SECONDS) ? "{\"met\":true}" : "FAIL: ran alone";
            } catch (InterruptedException e) {
                return "FAIL: interrupted";
            }
        };
        JavaTool left = new JavaTool("left", ToolPermissions.READ, meet);
        JavaTool right = new JavaTool("right", ToolPermissions.READ, meet);
        ScriptedModel model = new ScriptedModel()
                .then(r -> calls(new ToolCall("a", "left", "{}"), new ToolCall("b", "right", "{}")))
                .then(r -> text("done"));
        assertEquals(StopReason.COMPLETED, turn(model, Permissions.DEFAULT, ApprovalGate.DENY_ALL, left, right));
        assertTrue(sessions.events(session).stream().filter(e -> e instanceof AgentEvent.ToolCallFinished)
                .allMatch(e -> ((AgentEvent.ToolCallFinished) e).error() == null));
    }

    @Test
    void theSameFailingCallRepeatedStopsTheTurn() throws Exception {
        JavaTool broken = new JavaTool("read_file", ToolPermissions.READ, in -> "FAIL: no such file");
        ScriptedModel model = new ScriptedModel();
        for (int i = 0; i < 10; i++) {
            model.then(r -> calls(new ToolCall("c" + r.messages().size(), "read_file", "{\"path\":\"nope\"}")));
        }
        assertEquals(StopReason.LOOP_DETECTED, turn(model, Permissions.DEFAULT, ApprovalGate.DENY_ALL, broken));
        assertEquals(3, broken.inputs().size());
    }

    @Test
    void aTurnStopsAtTheStepLimit() throws Exception {
        ScriptedModel model = new ScriptedModel();
        for (int i = 0; i < 10; i++) {
            int n = i;
            model.then(r -> calls(new ToolCall("c" + n, "grep", "{\"pattern\":\"" + n + "\"}")));
        }
        AgentLoop.Settings three = new AgentLoop.Settings(3, 3, Duration.ofSeconds(1), 32_768);
        assertEquals(StopReason.MAX_STEPS, turn(model, Permissions.DEFAULT, ApprovalGate.DENY_ALL, "go", three, grep));
        assertEquals(3, model.requests.size());
    }

    @Test
    void aCancelledTurnEndsAndIsStillLogged() throws Exception {
        ScriptedModel model = new ScriptedModel().then(r -> {
            Thread.currentThread().interrupt(); // the user pressed stop while the model was answering
            return text("partial");
        }).then(r -> text("never"));
        JavaTool slow = new JavaTool("grep", ToolPermissions.READ, in -> "{}");
        model.script.addFirst(r -> calls(new ToolCall("c1", "grep", "{}")));
        StopReason reason = turn(model, Permissions.DEFAULT, ApprovalGate.DENY_ALL, slow);
        Thread.interrupted();
        assertEquals(StopReason.CANCELLED, reason);
        assertEquals(AgentEvent.TurnFinished.class, logged().get(logged().size() - 1));
    }

    @Test
    void aConversationTooLongEvenWithoutToolOutputsIsSummarisedOnce() throws Exception {
        ScriptedModel model = new ScriptedModel()
                .then(r -> text("First answer " + "y".repeat(12_000)))
                .then(r -> text("Summary: the user asked twice; nothing was changed."))
                .then(r -> text("Second answer."));
        AgentLoop.Settings small = new AgentLoop.Settings(10, 3, Duration.ofSeconds(1), 2_000);
        turn(model, Permissions.DEFAULT, ApprovalGate.DENY_ALL, "first " + "x".repeat(4_000), small, grep);
        assertEquals(StopReason.COMPLETED, turn(model, Permissions.DEFAULT, ApprovalGate.DENY_ALL, "second question",
                small, grep));
        assertTrue(model.requests.get(1).tools().isEmpty(), "the summary request offers no tools");
        List<ChatMessage> after = model.requests.get(2).messages();
        assertTrue(after.get(1).text().startsWith(History.SUMMARY_PREFIX + "Summary: the user asked twice"));
        assertEquals("second question", after.get(after.size() - 1).text());
        assertEquals(1, sessions.events(session).stream().filter(e -> e instanceof AgentEvent.ContextSummary).count());
    }

    @Test
    void oldToolOutputsAreDroppedToFitTheContextWindowAndTheUserIsTold() throws Exception {
        JavaTool big = new JavaTool("read_file", ToolPermissions.READ, in -> "{\"content\":\"" + "x".repeat(20_000) + "\"}");
        ScriptedModel model = new ScriptedModel()
                .then(r -> calls(new ToolCall("c1", "read_file", "{\"path\":\"a\"}")))
                .then(r -> calls(new ToolCall("c2", "read_file", "{\"path\":\"b\"}")))
                .then(r -> calls(new ToolCall("c3", "read_file", "{\"path\":\"c\"}")))
                .then(r -> text("done"));
        AgentLoop.Settings small = new AgentLoop.Settings(10, 3, Duration.ofSeconds(1), 5_000);
        assertEquals(StopReason.COMPLETED, turn(model, Permissions.DEFAULT, ApprovalGate.DENY_ALL, "read", small, big));
        List<ChatMessage> last = model.requests.get(3).messages();
        assertEquals(ContextBudget.DROPPED, last.stream().filter(m -> m.role() == ChatMessage.Role.TOOL)
                .findFirst().orElseThrow().text());
        assertTrue(sessions.events(session).stream().anyMatch(e -> e instanceof AgentEvent.Notice notice
                && notice.message().contains("older tool calls were left out")));
        assertFalse(live.isEmpty());
        model.requests.forEach(r -> assertFits(r, 5_000));
    }

    /** The request, as estimated, leaves the answer its room in the window. */
    private static void assertFits(ChatRequest request, int window) {
        TokenEstimate estimate = new TokenEstimate();
        int tokens = estimate.messages(request.messages()) + estimate.tools(request.tools());
        assertTrue(tokens <= new ContextBudget(window, estimate).promptLimit(), tokens + " tokens do not fit " + window);
    }

    private static final AgentLoop.Settings SMALL = new AgentLoop.Settings(10, 3, Duration.ofSeconds(1), 4_096);

    @Test
    void anOversizedMessageIsCutWithANoticeAndDoesNotPoisonTheNextTurn() throws Exception {
        String huge = "start of the log\n" + "2026-11-24 ERROR something failed at line 42\n".repeat(700)
                + "what went wrong?";
        ScriptedModel model = new ScriptedModel().then(r -> text("Line 42 fails."))
                .then(r -> text("The user sent a long error log; line 42 fails.")).then(r -> text("You are welcome."));
        assertEquals(StopReason.COMPLETED, turn(model, Permissions.DEFAULT, ApprovalGate.DENY_ALL, huge, SMALL, grep));
        assertEquals(StopReason.COMPLETED, turn(model, Permissions.DEFAULT, ApprovalGate.DENY_ALL, "thanks", SMALL, grep));
        model.requests.forEach(r -> assertFits(r, 4_096));
        String sent = model.requests.get(0).messages().get(1).text();
        assertTrue(sent.startsWith("start of the log") && sent.endsWith("what went wrong?") && sent.contains("left out"),
                sent.length() + " characters");
        assertTrue(sessions.events(session).stream().anyMatch(e -> e instanceof AgentEvent.Notice n
                && n.message().startsWith("Your message was cut")), "the user is told");
        assertEquals(huge, ((AgentEvent.UserMessage) sessions.events(session).get(0)).text(), "the log keeps it whole");
        assertTrue(model.requests.get(1).tools().isEmpty(), "the earlier turn was summarised");
        List<ChatMessage> next = model.requests.get(2).messages();
        assertEquals("thanks", next.getLast().text());
        assertTrue(next.get(1).text().startsWith(History.SUMMARY_PREFIX), next.get(1).text());
    }

    @Test
    void aLargeToolOutputIsCappedWithANoteSayingHowToGetTheRest() throws Exception {
        StringBuilder listing = new StringBuilder("{\"entries\":[");
        for (int i = 0; i < 400; i++) {
            listing.append("{\"path\":\"src/main/java/io/example/module").append(i).append("/Service.java\",\"size\":")
                    .append(1000 + i).append("},");
        }
        JavaTool listDir = new JavaTool("list_dir", ToolPermissions.READ, in -> listing + "]}");
        ScriptedModel model = new ScriptedModel()
                .then(r -> calls(new ToolCall("c1", "list_dir", "{}")))
                .then(r -> text("There are 400 modules."));
        assertEquals(StopReason.COMPLETED, turn(model, Permissions.DEFAULT, ApprovalGate.DENY_ALL, "list", SMALL, listDir));
        String result = model.requests.get(1).messages().getLast().text();
        assertTrue(listing.length() > 25_000 && result.length() < 5_000, result.length() + " characters");
        assertTrue(result.contains("output cut") && result.contains("offset"), result);
        model.requests.forEach(r -> assertFits(r, 4_096));
    }

    @Test
    void aContextOverflowFromTheServerIsLearntFromAndTheStepTriedAgainSmaller() throws Exception {
        ScriptedModel model = new ScriptedModel()
                .thenFail(new ModelException(ModelException.Kind.CONTEXT_LENGTH_EXCEEDED, "llamacpp: the conversation is "
                        + "longer than the model's context window: request (5200 tokens) exceeds the available context "
                        + "size (4096 tokens), try increasing it"))
                .then(r -> text("Fine now."));
        String longer = "explain this: " + "word ".repeat(2_000);
        assertEquals(StopReason.COMPLETED, turn(model, Permissions.DEFAULT, ApprovalGate.DENY_ALL, longer, SMALL, grep));
        assertEquals(2, model.requests.size());
        TokenEstimate plain = new TokenEstimate();
        int first = plain.messages(model.requests.get(0).messages());
        int second = plain.messages(model.requests.get(1).messages());
        assertTrue(second < first * 0.8, first + " then " + second);
        assertFalse(sessions.events(session).stream().anyMatch(e -> e instanceof AgentEvent.Error));
    }

    @Test
    void anAnswerCutAtTheOutputLimitEndsWithMaxTokensAndANotice() throws Exception {
        ScriptedModel model = new ScriptedModel().then(r -> new ChatResponse(ChatMessage.assistant("The first half",
                List.of()), ChatResponse.FinishReason.LENGTH, new Usage(100, 50)));
        assertEquals(StopReason.MAX_TOKENS, turn(model, Permissions.DEFAULT, ApprovalGate.DENY_ALL, grep));
        assertTrue(sessions.events(session).stream().anyMatch(e -> e instanceof AgentEvent.Notice n
                && n.message().contains("output token limit")));
    }

    @Test
    void aStreamThatBreaksKeepsItsTextAndCountsWhatStreamed() throws Exception {
        ScriptedModel model = new ScriptedModel().thenFail(new ModelException(ModelException.Kind.STREAM_CUT,
                "the stream broke off"), "Half ", "an ", "answer");
        assertEquals(StopReason.ERROR, turn(model, Permissions.DEFAULT, ApprovalGate.DENY_ALL, grep));
        List<AgentEvent> events = sessions.events(session);
        assertTrue(events.stream().anyMatch(e -> e instanceof AgentEvent.TextDelta t && t.text().equals("Half an answer")));
        AgentEvent.TurnFinished end = (AgentEvent.TurnFinished) events.getLast();
        assertEquals(3, end.usage().outputTokens());
        assertTrue(end.usage().inputTokens() > 0, "the prompt was sent: its estimate counts");
    }

    @Test
    void aCancelledTurnKeepsItsPartialTextMarkedAsStopped() throws Exception {
        ScriptedModel model = new ScriptedModel().thenFail(new ModelException(ModelException.Kind.CANCELLED,
                "cancelled", null, new Usage(0, 2)), "Working ", "on it");
        assertEquals(StopReason.CANCELLED, turn(model, Permissions.DEFAULT, ApprovalGate.DENY_ALL, grep));
        List<AgentEvent> events = sessions.events(session);
        assertTrue(events.stream().anyMatch(e -> e instanceof AgentEvent.TextDelta t && t.text().equals("Working on it")));
        assertEquals(2, ((AgentEvent.TurnFinished) events.getLast()).usage().outputTokens());
        ChatMessage answer = History.messages(events).getLast();
        assertEquals("Working on it" + History.CANCELLED_MARK, answer.text());
    }

    @Test
    void smallWindowsGetTheCompactToolDefinitions() throws Exception {
        JavaTool described = new JavaTool(new ToolSpec("read_file", "Read a text file. Use offset and limit to page.",
                "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\",\"description\":\"File path relative "
                        + "to the workspace root.\"},\"offset\":{\"type\":\"integer\",\"minimum\":1,\"default\":1}},"
                        + "\"required\":[\"path\"],\"additionalProperties\":false}", ToolPermissions.READ, null, "1"),
                in -> "{}", new CopyOnWriteArrayList<>());
        ScriptedModel small = new ScriptedModel().then(r -> text("ok"));
        turn(small, Permissions.DEFAULT, ApprovalGate.DENY_ALL, "hi", SMALL, described);
        assertEquals("Read a text file.", small.requests.get(0).tools().get(0).description());
        assertEquals("{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"},\"offset\":{\"type\":"
                + "\"integer\"}},\"required\":[\"path\"]}", small.requests.get(0).tools().get(0).inputSchema());
        ScriptedModel large = new ScriptedModel().then(r -> text("ok"));
        turn(large, Permissions.DEFAULT, ApprovalGate.DENY_ALL, "hi", AgentLoop.Settings.DEFAULT, described);
        assertEquals(described.spec().inputSchema(), large.requests.get(0).tools().get(0).inputSchema());
        assertTrue(sessions.events(session).stream().anyMatch(e -> e instanceof AgentEvent.ContextUsage u
                && u.compactTools() && u.contextTokens() == 4_096));
    }

    @Test
    void aWindowTooSmallForEvenTheToolsSendsNothingAndSaysWhy() throws Exception {
        ScriptedModel model = new ScriptedModel().then(r -> text("never"));
        AgentLoop.Settings tiny = new AgentLoop.Settings(10, 3, Duration.ofSeconds(1), 300);
        assertEquals(StopReason.ERROR, turn(model, Permissions.DEFAULT, ApprovalGate.DENY_ALL, "hi", tiny, grep, edit));
        assertTrue(model.requests.isEmpty());
        assertTrue(sessions.events(session).stream().anyMatch(e -> e instanceof AgentEvent.Error error
                && error.message().contains("cannot fit into the model's context window of 300 tokens")));
    }

    @Test
    void aToolThatFetchesIsOfferedOnlyWhileTheWebPolicyAllowsAHost() throws Exception {
        JavaTool fetch = new JavaTool("web_fetch", new ToolPermissions(WorkspaceAccess.NONE, NetworkAccess.FETCH),
                in -> "{}");
        boolean[] allows = {false};
        WebFetcher web = new WebFetcher() { // the policy's answer, as the web fetch bundle gives it
            @Override
            public WebPage fetch(WebFetchRequest request) throws WebFetchException {
                throw new WebFetchException(WebFetchException.Kind.DISABLED, "not in this test");
            }

            @Override
            public boolean allowsAnyHost() {
                return allows[0];
            }
        };
        ScriptedModel model = new ScriptedModel().then(r -> text("a")).then(r -> text("b")).then(r -> text("c"));
        for (WebFetcher fetcher : java.util.Arrays.asList(web, web, null)) {
            new AgentLoop(model, "m", new AgentLoop.Context(32_768, new TokenEstimate()), new Tools(List.of(grep,
                    fetch)), sessions, AgentLoop.Settings.DEFAULT, Clock.systemUTC(), workspace,
                    spec -> AgentComponent.usable(spec, fetcher))
                    .turn(session, "You are a coding agent.", "read the docs", Permissions.DEFAULT,
                            ApprovalGate.DENY_ALL, live::add);
            allows[0] = true; // an administrator lists a host: the next turn offers it
        }
        List<List<String>> offered = model.requests.stream().map(r -> r.tools().stream()
                .map(ToolDefinition::name).toList()).toList();
        assertEquals(List.of(List.of("grep"), List.of("grep", "web_fetch"), List.of("grep")), offered,
                "off, allowed, and no web fetch bundle at all");
    }
}
