package io.boxagnts.api.sandbox;

import io.boxagnts.api.tool.ToolLimits;
import org.osgi.annotation.versioning.ProviderType;

/** The WASM sandbox service. */
@ProviderType
public interface Sandbox {

    /** The engine's state now; cheap, never blocks. */
    EngineInfo engine();

    /**
     * The largest limits any WASM tool call may have (configuration {@code io.boxagnts.sandbox}): a tool's descriptor
     * may not ask for more, and an administrator's policy may not grant more. The memory cap is also no larger than
     * the sandbox's memory budget for all calls running at once, which is derived from the Java heap.
     */
    ToolLimits caps();
}
