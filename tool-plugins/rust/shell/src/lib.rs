//! shell: runs a POSIX sh subset over built-in utilities, all inside this one WASI instance (no
//! processes exist in the sandbox). Input `{"command","cwd"}`; result
//! `{"exit_code","stdout","stderr","truncated"}`. See README.md for what is supported.

pub mod arith;
pub mod expand;
pub mod io;
pub mod lexer;
pub mod parser;
pub mod pattern;
pub mod shell;
pub mod time;
pub mod utils;
pub mod vfs;

use tool_common::{Args, Obj, ToolError, ToolResult, Workspace};

pub const FIELDS: &[&str] = &["command", "cwd"];

/// What the result keeps of stdout and stderr; the rest is dropped and `truncated` says so.
pub const STDOUT_LIMIT: usize = 256 << 10;
pub const STDERR_LIMIT: usize = 64 << 10;

/// The longest command accepted.
pub const MAX_COMMAND: usize = 256 << 10;

pub struct Outcome {
    pub exit_code: i32,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub truncated: bool,
}

/// Runs `command` in `cwd` (a workspace path) on the workspace at `ws`.
pub fn execute(ws: &Workspace, command: &str, cwd: &str) -> Outcome {
    execute_with(ws, command, cwd, false)
}

/// As `execute`; `read_only`: every write is refused before it is tried.
pub fn execute_with(ws: &Workspace, command: &str, cwd: &str, read_only: bool) -> Outcome {
    let mut fs = vfs::Vfs::new(ws.root.clone(), vfs::absolute("/", cwd));
    fs.read_only = read_only;
    let mut sh = shell::Shell::new(fs);
    let out = io::sink(STDOUT_LIMIT);
    let err = io::sink(STDERR_LIMIT);
    let top = io::Io::new(io::source(Vec::new()), out.clone(), err.clone());
    let status = sh.run_script(command, &top);
    let exit_code = sh.exit.unwrap_or(status);
    let truncated = out.borrow().dropped > 0 || err.borrow().dropped > 0;
    let stdout = io::take(&out);
    let stderr = io::take(&err);
    Outcome { exit_code, stdout, stderr, truncated }
}

pub fn run(args: &Args, ws: &Workspace) -> ToolResult {
    let command = args.str_req("command")?;
    if command.trim().is_empty() {
        return Err(ToolError::invalid("'command' is empty; give a shell command such as \"ls -la\""));
    }
    if command.len() > MAX_COMMAND {
        return Err(ToolError::invalid(format!("'command' is {} bytes; at most {} are accepted", command.len(), MAX_COMMAND)));
    }
    let cwd = args.str_opt("cwd")?.unwrap_or_default();
    let rel = ws.resolve(&cwd)?;
    match std::fs::metadata(&rel.abs) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(ToolError::invalid(format!("cwd '{}' is a file, not a directory", rel.display()))),
        Err(_) => return Err(ToolError::not_found(format!("cwd '{}': no such directory in the workspace", rel.display()))),
    }
    // The sandbox names the grant of this call (its filesystem refuses writes under "read" in any case).
    let read_only = std::env::var("BOXAGNTS_WORKSPACE").map(|g| g == "read").unwrap_or(false);
    let o = execute_with(ws, &command, &rel.rel, read_only);
    Ok(Obj::new()
        .field("exit_code", &o.exit_code)
        .field("truncated", &o.truncated)
        .field("stdout", &String::from_utf8_lossy(&o.stdout))
        .field("stderr", &String::from_utf8_lossy(&o.stderr)))
}

#[cfg(test)]
mod tests;
