package io.boxagnts.agent;

import io.boxagnts.api.agent.AgentEvent;
import java.time.Duration;

/** Who answers approval requests (the UI, through the HTTP API). */
@FunctionalInterface
interface ApprovalGate {

    /** @return whether the call may run; a request nobody answers within {@code timeout} is denied */
    boolean approve(AgentEvent.ApprovalRequested request, Duration timeout) throws InterruptedException;

    ApprovalGate DENY_ALL = (request, timeout) -> false;
}
