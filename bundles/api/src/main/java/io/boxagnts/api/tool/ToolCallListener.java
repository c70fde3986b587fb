package io.boxagnts.api.tool;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told about every tool call that went through the {@link ToolRegistry}, from the agent or the HTTP API, when it has
 * ended (or was refused before it ran). Register one as a service; the audit log and the console's statistics do.
 * Called on the caller's thread after the call: keep it short, and never throw.
 */
@ConsumerType
public interface ToolCallListener {

    void toolCalled(ToolCallRecord call);
}
