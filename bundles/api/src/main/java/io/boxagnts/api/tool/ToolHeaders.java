package io.boxagnts.api.tool;

/** Manifest headers and service properties of tool bundles. */
public final class ToolHeaders {

    /**
     * Manifest header of a WASM tool bundle: the path, inside the bundle, of its JSON descriptor (name, description,
     * inputSchema, permissions, limits, version, module). The sandbox registers the tool on the bundle's behalf.
     */
    public static final String TOOL = "BoxAgnts-Tool";

    /** Service property carrying the tool's name on every {@link Tool} service. */
    public static final String NAME = "boxagnts.tool.name";

    private ToolHeaders() {}
}
