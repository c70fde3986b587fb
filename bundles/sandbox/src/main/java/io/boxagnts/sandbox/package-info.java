/**
 * The WASM sandbox: owns the one GraalWasm {@code Engine} that every tool module runs on (sharing it shares parsed
 * and compiled code) and reports whether that engine is the optimizing runtime. Running tool modules under
 * permissions and limits is this bundle's job too; nothing here is exported.
 */
package io.boxagnts.sandbox;
