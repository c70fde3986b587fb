package io.boxagnts.api.tool;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A capability the agent may invoke. Implementations must be thread-safe: the agent runs independent calls of one
 * model turn in parallel.
 */
@ConsumerType
public interface Tool {

    /** What the tool is, what it takes and what it may touch; constant for the life of the service. */
    ToolSpec spec();

    /**
     * Runs the tool once.
     *
     * @return the tool's result, never {@code null}
     * @throws ToolException with a typed {@link ToolError} when the call failed or was refused; the caller shows its
     *     message to the model and the user
     */
    ToolResult invoke(ToolRequest request) throws ToolException;
}
