package io.boxagnts.api.agent;

import io.boxagnts.api.model.Usage;
import io.boxagnts.api.tool.ToolError;
import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened in a session. New event types may be added in minor versions: consumers ignore the ones they
 * do not know.
 */
public interface AgentEvent {

    String sessionId();

    Instant at();

    /** The user asked for something; a turn starts. */
    record UserMessage(String sessionId, Instant at, String text) implements AgentEvent {
        public UserMessage {
            Objects.requireNonNull(text, "text");
        }
    }

    /** Streamed assistant text. */
    record TextDelta(String sessionId, Instant at, String text) implements AgentEvent {
        public TextDelta {
            Objects.requireNonNull(text, "text");
        }
    }

    /** The agent starts a tool call. */
    record ToolCallStarted(String sessionId, Instant at, String callId, String tool, String arguments)
            implements AgentEvent {}

    /** A tool call ended: {@code error} is null on success, {@code output} is null on failure. */
    record ToolCallFinished(String sessionId, Instant at, String callId, String output, ToolError error, long millis)
            implements AgentEvent {}

    /**
     * A tool call changed a text file of the workspace: {@code before} is null when the call created it, {@code after}
     * null when it deleted it. Paths are relative to the workspace, as the tool was given them.
     */
    record FileChanged(String sessionId, Instant at, String callId, String path, String before, String after)
            implements AgentEvent {}

    /** A write needs the user's approval before it runs. */
    record ApprovalRequested(String sessionId, Instant at, String callId, String tool, String arguments)
            implements AgentEvent {}

    /**
     * The user's (or the timeout's) answer to an approval request; {@code by} is {@link #BY_USER}, or
     * {@link #FOR_SESSION} when the user approved the tool for the rest of the session.
     */
    record ApprovalDecided(String sessionId, Instant at, String callId, boolean approved, String by)
            implements AgentEvent {}

    /**
     * The conversation before the current request was summarised to fit the model's context window; from here on the
     * model sees this text instead of the earlier messages.
     */
    record ContextSummary(String sessionId, Instant at, String text) implements AgentEvent {}

    /** Something went wrong that the user should read. */
    record Error(String sessionId, Instant at, String message) implements AgentEvent {}

    /**
     * Something the user should know that is not a failure: e.g. that old tool outputs were left out, or that a
     * message was cut, to fit the model's context window.
     */
    record Notice(String sessionId, Instant at, String message) implements AgentEvent {}

    /**
     * How full the model's context window is for the request just sent: {@code promptTokens} of {@code
     * contextTokens} (estimated before sending, or as the server counted them once it answered); {@code
     * compactTools} when the short form of the tool definitions was sent to save room.
     */
    record ContextUsage(String sessionId, Instant at, int contextTokens, int promptTokens, boolean compactTools)
            implements AgentEvent {}

    /** The turn ended, and why. */
    record TurnFinished(String sessionId, Instant at, StopReason reason, Usage usage, long millis)
            implements AgentEvent {}

    /** {@link ApprovalDecided#by()}: the user answered this request. */
    String BY_USER = "user";
    /** {@link ApprovalDecided#by()}: the user approved, and the tool runs without asking for the rest of the session. */
    String FOR_SESSION = "user, for this session";

    /**
     * Why a turn ended; {@code MAX_TOKENS}: the server cut the answer at its output token limit (finish reason
     * {@code length}).
     */
    enum StopReason { COMPLETED, CANCELLED, MAX_STEPS, LOOP_DETECTED, ERROR, MAX_TOKENS }
}
