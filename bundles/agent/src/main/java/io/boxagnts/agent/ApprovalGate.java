package io.boxagnts.agent;

import io.boxagnts.api.agent.AgentEvent;
import java.time.Duration;

/** Who answers approval requests (the UI, through the HTTP API). */
@FunctionalInterface
interface ApprovalGate {

    /** The user's answer. */
    enum Answer {
        DENIED, ONCE,
        /** Yes, and do not ask again for this tool in this session. */
        FOR_SESSION;

        static Answer of(boolean approved, boolean forSession) {
            return !approved ? DENIED : forSession ? FOR_SESSION : ONCE;
        }
    }

    /** @return the user's answer; a request nobody answers within {@code timeout} is denied */
    Answer approve(AgentEvent.ApprovalRequested request, Duration timeout) throws InterruptedException;

    ApprovalGate DENY_ALL = (request, timeout) -> Answer.DENIED;
}
