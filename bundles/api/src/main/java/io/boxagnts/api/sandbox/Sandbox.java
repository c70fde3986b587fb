package io.boxagnts.api.sandbox;

import org.osgi.annotation.versioning.ProviderType;

/** The WASM sandbox service. */
@ProviderType
public interface Sandbox {

    /** The engine's state now; cheap, never blocks. */
    EngineInfo engine();
}
