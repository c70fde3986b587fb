/**
 * The WASM sandbox: owns the one GraalWasm {@code Engine} that every tool module runs on (sharing it shares parsed
 * and compiled code) and reports whether that engine is the optimizing runtime. Running tool modules under
 * permissions and limits is this bundle's job too, and so is the workspace boundary: {@link
 * io.boxagnts.sandbox.WorkspaceRoot} resolves every path beneath the open workspace in the kernel, following no link
 * (decision 0011), and {@link io.boxagnts.sandbox.WorkspaceFileSystem} is all a tool module sees of the host. The
 * workspace is opened (its system calls linked) once the framework has started, beside the engine, and tool calls wait
 * for both (decision 0041).
 * {@link io.boxagnts.sandbox.WarmUp} runs the tools' declared warm-up inputs on a scratch workspace after start, giving
 * way to real calls, so that the engine has compiled them before the first one (decision 0019), then the read-only
 * tools' inputs on the user's workspace, read-only and within a time budget (decision 0038).
 * {@link io.boxagnts.sandbox.ModuleRun} is one run of a module in the sandbox, for a tool call and for
 * {@link io.boxagnts.sandbox.ToolRun}, the {@code boxagnts tool run} command (a plain main on a flat class path, no
 * framework), so a tool author tries a tool in exactly the runtime's sandbox (decision 0023). Besides WASI, a module
 * may import two host functions, given only to a module that imports them: {@link
 * io.boxagnts.sandbox.ReadDirImport} ({@code boxagnts.read_dir}, any tool: one call lists a workspace directory through
 * the same filesystem layer, decision 0042) and {@link io.boxagnts.sandbox.WebFetchImport} ({@code
 * boxagnts.web_fetch}, tools that declare it, decision 0024); {@link io.boxagnts.sandbox.GuestMemory} is how both read
 * and write the module's memory.
 * {@link io.boxagnts.sandbox.ToolThreads} runs calls at most a configured number at once and only while their memory
 * limits fit the {@link io.boxagnts.sandbox.MemoryBudget}, since linear memories live on the Java heap (decision 0028);
 * a platform thread runs its own call, a virtual thread's goes to a pool thread (decision 0037).
 * Nothing here is exported.
 */
package io.boxagnts.sandbox;
