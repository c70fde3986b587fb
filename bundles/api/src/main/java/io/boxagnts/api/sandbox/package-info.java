/**
 * The WASM sandbox as other bundles see it: the state of the shared GraalWasm engine, the workspace read under
 * the sandbox's boundary ({@link io.boxagnts.api.sandbox.WorkspaceFiles}, 1.1), and its caps on tool limits (1.2).
 * Running modules is the sandbox
 * bundle's own business; tools reach the outside only through {@link io.boxagnts.api.tool.Tool}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.boxagnts.api.sandbox;
