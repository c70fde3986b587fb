/**
 * Tools: what an agent can call. A {@link io.boxagnts.api.tool.Tool} is an OSGi service; most are backed by a
 * sandboxed WASM module and registered on a tool bundle's behalf by the sandbox extender, some are plain Java
 * components. All JSON travels as text so that this API needs no JSON library.
 *
 * <p>Records here grow by adding components together with a constructor of the old shape, so existing callers keep
 * compiling; that is a minor version step.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package io.boxagnts.api.tool;
