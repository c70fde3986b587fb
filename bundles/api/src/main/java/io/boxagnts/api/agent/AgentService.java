package io.boxagnts.api.agent;

import java.io.IOException;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/** Runs the agent on sessions of the session store. */
@ProviderType
public interface AgentService {

    /**
     * Runs one turn on the calling thread, sending every event to {@code sink} as it happens; returns when the turn
     * has ended (its last event is {@link AgentEvent.TurnFinished}).
     *
     * @throws IllegalStateException when the session already has a turn running
     * @throws IllegalArgumentException when the request names an unknown provider or mode
     * @throws ModelUnavailableException when no model server can take the turn (none is configured or running, or
     *     the chosen one does not answer); nothing was logged
     */
    AgentEvent.StopReason run(String sessionId, TurnRequest request, Consumer<AgentEvent> sink) throws IOException;

    /** Answers a pending approval request. @return whether there was one */
    default boolean answer(String sessionId, String callId, boolean approved) {
        return answer(sessionId, callId, approved, false);
    }

    /**
     * Answers a pending approval request; {@code forSession} approves the tool for the rest of the session too.
     *
     * @return whether there was one
     */
    boolean answer(String sessionId, String callId, boolean approved, boolean forSession);

    /** Stops the session's running turn (the model stream and waiting approvals). @return whether one was running */
    boolean cancel(String sessionId);
}
