package io.boxagnts.api.tool;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/** Implemented by whoever turns bundles into tools (the WASM sandbox's extender): the bundles it refused. */
@ConsumerType
public interface ToolRefusals {

    List<RefusedTool> refused();
}
