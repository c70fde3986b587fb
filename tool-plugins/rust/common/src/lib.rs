//! Shared ABI code for the BoxAgnts WASI tools.
//!
//! Every tool is a WASI preview-1 command module: one JSON object on stdin (the arguments),
//! exactly one JSON object on stdout. Exit code 0 = success (stdout is the result object),
//! exit code 1 = failure (stdout is `{"error":{"kind":..,"message":..}}`).
//! The workspace is preopened as guest `/`; every path in an input is workspace-relative
//! (a leading `/` means the workspace root too) and may never climb above the root.
//!
//! Must compile on Rust 1.63 (Debian bookworm): no let-else, no newer std APIs.

use serde::Serialize;
use serde_json::{Map, Value};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

#[cfg(feature = "walk")]
pub mod walk;

/// Bytes inspected for binary detection (NUL byte or invalid UTF-8 in this prefix).
pub const BINARY_PROBE: usize = 8 * 1024;

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// A tool failure: `kind` is one of `invalid_input`, `not_found`, `failed`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolError {
    pub kind: &'static str,
    pub message: String,
}

impl ToolError {
    pub fn invalid<S: Into<String>>(message: S) -> ToolError {
        ToolError { kind: "invalid_input", message: message.into() }
    }
    pub fn not_found<S: Into<String>>(message: S) -> ToolError {
        ToolError { kind: "not_found", message: message.into() }
    }
    pub fn failed<S: Into<String>>(message: S) -> ToolError {
        ToolError { kind: "failed", message: message.into() }
    }

    /// Maps an I/O error on `what` (a workspace-relative path for display) to a ToolError.
    pub fn io(action: &str, what: &str, err: &std::io::Error) -> ToolError {
        if is_not_found(err) {
            return ToolError::not_found(format!("{} '{}': no such file or directory", action, what));
        }
        match err.kind() {
            std::io::ErrorKind::PermissionDenied => ToolError::failed(format!(
                "{} '{}': permission denied (outside the sandbox or not allowed)",
                action, what
            )),
            _ => ToolError::failed(format!("{} '{}': {}", action, what, err)),
        }
    }

    /// The error object written to stdout.
    pub fn to_json(&self) -> String {
        Obj::new()
            .obj("error", Obj::new().field("kind", self.kind).field("message", &self.message))
            .finish()
    }
}

pub type ToolResult = Result<Obj, ToolError>;

// ---------------------------------------------------------------------------------------------
// Ordered JSON output
// ---------------------------------------------------------------------------------------------

/// A JSON object written in insertion order (serde_json's Map would sort keys; we want small
/// fields first and big ones such as `content` last, for a model reading the result).
#[derive(Debug, Clone)]
pub struct Obj {
    buf: String,
    empty: bool,
}

impl Default for Obj {
    fn default() -> Self {
        Obj::new()
    }
}

impl Obj {
    pub fn new() -> Obj {
        Obj { buf: String::from("{"), empty: true }
    }

    fn key(&mut self, k: &str) {
        if !self.empty {
            self.buf.push(',');
        }
        self.empty = false;
        self.buf.push_str(&serde_json::to_string(k).unwrap_or_else(|_| "\"?\"".to_string()));
        self.buf.push(':');
    }

    /// Adds a field with any serialisable value.
    pub fn field<T: Serialize + ?Sized>(mut self, k: &str, v: &T) -> Obj {
        self.key(k);
        let s = serde_json::to_string(v).unwrap_or_else(|_| "null".to_string());
        self.buf.push_str(&s);
        self
    }

    /// Adds a field only when `cond` holds (for optional fields such as `truncated` details).
    pub fn field_if<T: Serialize + ?Sized>(self, cond: bool, k: &str, v: &T) -> Obj {
        if cond {
            self.field(k, v)
        } else {
            self
        }
    }

    /// Adds a nested ordered object.
    pub fn obj(mut self, k: &str, o: Obj) -> Obj {
        self.key(k);
        self.buf.push_str(&o.finish());
        self
    }

    /// Adds an array of nested ordered objects.
    pub fn objs(mut self, k: &str, items: Vec<Obj>) -> Obj {
        self.key(k);
        self.buf.push('[');
        let mut first = true;
        for o in items {
            if !first {
                self.buf.push(',');
            }
            first = false;
            self.buf.push_str(&o.finish());
        }
        self.buf.push(']');
        self
    }

    /// Current serialised length (approximate output budget accounting).
    pub fn len(&self) -> usize {
        self.buf.len() + 1
    }

    pub fn is_empty(&self) -> bool {
        self.empty
    }

    pub fn finish(mut self) -> String {
        self.buf.push('}');
        self.buf
    }
}

// ---------------------------------------------------------------------------------------------
// Input arguments
// ---------------------------------------------------------------------------------------------

/// The tool's input object with typed, lenient accessors (null = absent; numbers and booleans
/// may also arrive as strings, which models sometimes produce).
#[derive(Debug, Clone)]
pub struct Args {
    map: Map<String, Value>,
}

impl Args {
    /// Parses the stdin text. Empty input means `{}`. Unknown fields are rejected so a typo
    /// (e.g. `file_path` for `path`) is reported instead of silently ignored.
    pub fn parse(text: &str, allowed: &[&str]) -> Result<Args, ToolError> {
        let trimmed = text.trim();
        let value: Value = if trimmed.is_empty() {
            Value::Object(Map::new())
        } else {
            serde_json::from_str(trimmed)
                .map_err(|e| ToolError::invalid(format!("input is not valid JSON: {}", e)))?
        };
        let map = match value {
            Value::Object(m) => m,
            other => {
                return Err(ToolError::invalid(format!(
                    "input must be a JSON object, got {}",
                    json_type(&other)
                )))
            }
        };
        for k in map.keys() {
            if !allowed.iter().any(|a| a == k) {
                return Err(ToolError::invalid(format!(
                    "unknown field '{}' (allowed: {})",
                    k,
                    allowed.join(", ")
                )));
            }
        }
        Ok(Args { map })
    }

    fn get(&self, k: &str) -> Option<&Value> {
        match self.map.get(k) {
            Some(Value::Null) | None => None,
            Some(v) => Some(v),
        }
    }

    pub fn str_req(&self, k: &str) -> Result<String, ToolError> {
        match self.str_opt(k)? {
            Some(s) => Ok(s),
            None => Err(ToolError::invalid(format!("missing required field '{}'", k))),
        }
    }

    pub fn str_opt(&self, k: &str) -> Result<Option<String>, ToolError> {
        match self.get(k) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(v) => Err(ToolError::invalid(format!(
                "field '{}' must be a string, got {}",
                k,
                json_type(v)
            ))),
        }
    }

    pub fn bool_opt(&self, k: &str, default: bool) -> Result<bool, ToolError> {
        match self.get(k) {
            None => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(Value::String(s)) if s == "true" => Ok(true),
            Some(Value::String(s)) if s == "false" => Ok(false),
            Some(v) => Err(ToolError::invalid(format!(
                "field '{}' must be a boolean, got {}",
                k,
                json_type(v)
            ))),
        }
    }

    /// A non-negative integer in `[min, max]`, `default` when absent.
    pub fn uint_opt(&self, k: &str, default: u64, min: u64, max: u64) -> Result<u64, ToolError> {
        let bad = |v: &Value| {
            ToolError::invalid(format!(
                "field '{}' must be an integer between {} and {}, got {}",
                k, min, max, v
            ))
        };
        let n = match self.get(k) {
            None => return Ok(default),
            Some(v @ Value::Number(num)) => {
                if let Some(n) = num.as_u64() {
                    n
                } else {
                    match num.as_f64() {
                        Some(f) if f >= 0.0 && f.fract() == 0.0 && f <= u64::MAX as f64 => f as u64,
                        _ => return Err(bad(v)),
                    }
                }
            }
            Some(v @ Value::String(s)) => match s.trim().parse::<u64>() {
                Ok(n) => n,
                Err(_) => return Err(bad(v)),
            },
            Some(v) => return Err(bad(v)),
        };
        if n < min || n > max {
            return Err(ToolError::invalid(format!(
                "field '{}' must be between {} and {}, got {}",
                k, min, max, n
            )));
        }
        Ok(n)
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

// ---------------------------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------------------------

/// Lexically normalises a workspace-relative path: `/`, `./` and empty components are dropped,
/// `..` pops a component. Returns the relative form without leading slash (`""` = the root).
/// A `..` that would climb above the root is an `invalid_input` error.
pub fn normalize(input: &str) -> Result<String, ToolError> {
    if input.contains('\0') {
        return Err(ToolError::invalid("path contains a NUL byte"));
    }
    let mut parts: Vec<&str> = Vec::new();
    for comp in input.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(ToolError::invalid(format!(
                        "path '{}' climbs above the workspace root with '..'; paths are relative to the workspace root",
                        input
                    )));
                }
            }
            c => parts.push(c),
        }
    }
    Ok(parts.join("/"))
}

/// How a relative path is shown to the model: `.` for the root.
pub fn display(rel: &str) -> &str {
    if rel.is_empty() {
        "."
    } else {
        rel
    }
}

/// A path resolved inside the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// Normalised workspace-relative path (`""` = root).
    pub rel: String,
    /// The path to hand to std::fs (guest path in the sandbox, or below a test root on the host).
    pub abs: PathBuf,
}

impl Resolved {
    pub fn display(&self) -> &str {
        display(&self.rel)
    }
    pub fn is_root(&self) -> bool {
        self.rel.is_empty()
    }
}

/// The workspace: guest `/` inside the sandbox; any directory in host-side tests.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
}

impl Workspace {
    /// The sandbox workspace (preopened as guest `/`).
    pub fn guest() -> Workspace {
        Workspace { root: PathBuf::from("/") }
    }

    pub fn at<P: Into<PathBuf>>(root: P) -> Workspace {
        Workspace { root: root.into() }
    }

    /// Normalises `path` and checks that following its symlinks stays inside the workspace.
    pub fn resolve(&self, path: &str) -> Result<Resolved, ToolError> {
        let rel = normalize(path)?;
        self.confine(&rel)?;
        let abs = self.abs_of(&rel);
        Ok(Resolved { rel, abs })
    }

    /// The path std::fs takes for a normalised workspace-relative path.
    pub fn abs_of(&self, rel: &str) -> PathBuf {
        if rel.is_empty() {
            self.root.clone()
        } else {
            self.root.join(rel)
        }
    }

    /// Follows the symlinks along `rel` the way the OS would and refuses any that lead outside
    /// the workspace (an absolute target, or `..` above the root). The sandbox host enforces
    /// this too; the check makes the tools safe on hosts that follow links out of a preopen
    /// (node:wasi does) and gives a clear error.
    pub fn confine(&self, rel: &str) -> Result<(), ToolError> {
        let mut todo: std::collections::VecDeque<String> =
            rel.split('/').filter(|c| !c.is_empty()).map(|c| c.to_string()).collect();
        let mut cur: Vec<String> = Vec::new();
        let mut hops = 0;
        while let Some(c) = todo.pop_front() {
            cur.push(c);
            let here = cur.join("/");
            let p = self.root.join(&here);
            let meta = match std::fs::symlink_metadata(&p) {
                Ok(m) => m,
                Err(_) => return Ok(()), // does not exist (yet): nothing further to follow
            };
            if !meta.file_type().is_symlink() {
                continue;
            }
            hops += 1;
            if hops > 40 {
                return Err(ToolError::failed(format!("too many levels of symbolic links in '{}'", rel)));
            }
            let target = std::fs::read_link(&p)
                .map_err(|e| ToolError::io("cannot read symlink", &here, &e))?;
            let t = target.to_string_lossy().to_string();
            let outside = || {
                ToolError::invalid(format!(
                    "'{}' is a symlink to '{}', which is outside the workspace",
                    here, t
                ))
            };
            if t.starts_with('/') {
                return Err(outside());
            }
            cur.pop();
            let joined = format!("{}/{}", cur.join("/"), t);
            let norm = normalize(&joined).map_err(|_| outside())?;
            cur.clear();
            for comp in norm.split('/').filter(|c| !c.is_empty()).rev() {
                todo.push_front(comp.to_string());
            }
        }
        Ok(())
    }

    /// Workspace-relative display form of a path below the root (used for walk results).
    pub fn rel_of(&self, abs: &Path) -> String {
        let stripped = abs.strip_prefix(&self.root).unwrap_or(abs);
        let s = stripped.to_string_lossy();
        s.trim_start_matches('/').to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------------------------

/// True when the probe (the first bytes of a file) contains a NUL byte or invalid UTF-8.
/// A multi-byte character cut at the end of the probe is not counted as invalid.
pub fn is_binary(probe: &[u8]) -> bool {
    let probe = &probe[..probe.len().min(BINARY_PROBE)];
    if probe.contains(&0) {
        return true;
    }
    match std::str::from_utf8(probe) {
        Ok(_) => false,
        Err(e) => e.error_len().is_some(),
    }
}

/// Cuts `s` to at most `max_chars` characters. Returns the prefix and whether it was cut.
pub fn cut_chars(s: &str, max_chars: usize) -> (&str, bool) {
    match s.char_indices().nth(max_chars) {
        Some((i, _)) => (&s[..i], true),
        None => (s, false),
    }
}

/// Largest index `<= max` that is a char boundary of `s`.
pub fn floor_char_boundary(s: &str, max: usize) -> usize {
    if max >= s.len() {
        return s.len();
    }
    let mut i = max;
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

// ---------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------

/// Runs a tool against stdin/stdout with the ABI's exit codes. Never returns.
pub fn run_main<F>(allowed: &[&str], tool: F) -> !
where
    F: FnOnce(&Args, &Workspace) -> ToolResult,
{
    let mut raw = Vec::new();
    let result = match std::io::stdin().read_to_end(&mut raw) {
        Err(e) => Err(ToolError::failed(format!("could not read stdin: {}", e))),
        Ok(_) => match String::from_utf8(raw) {
            Err(_) => Err(ToolError::invalid("input is not valid UTF-8")),
            Ok(text) => Args::parse(&text, allowed).and_then(|a| tool(&a, &Workspace::guest())),
        },
    };
    let (out, code) = match result {
        Ok(o) => (o.finish(), 0),
        Err(e) => {
            eprintln!("{}: {}", e.kind, e.message);
            (e.to_json(), 1)
        }
    };
    exit_with(&out, code)
}

/// Writes the tool's output (one JSON object and a newline) to stdout and exits with `code`.
pub fn exit_with(out: &str, code: i32) -> ! {
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    let _ = lock.write_all(out.as_bytes());
    let _ = lock.write_all(b"\n");
    let _ = lock.flush();
    std::process::exit(code)
}

/// Runs a tool in-process (host tests): returns the parsed JSON output and the exit code.
pub fn run_json<F>(input: &str, allowed: &[&str], ws: &Workspace, tool: F) -> (Value, i32)
where
    F: FnOnce(&Args, &Workspace) -> ToolResult,
{
    let (out, code) = match Args::parse(input, allowed).and_then(|a| tool(&a, ws)) {
        Ok(o) => (o.finish(), 0),
        Err(e) => (e.to_json(), 1),
    };
    (serde_json::from_str(&out).expect("tool output is valid JSON"), code)
}

/// A fresh, empty directory for host tests (no tempfile crate offline).
pub fn test_dir(name: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    let d = std::env::temp_dir().join(format!("boxagnts-tool-{}-{}-{}", name, std::process::id(), n));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("create test dir");
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_basic() {
        assert_eq!(normalize("").unwrap(), "");
        assert_eq!(normalize("/").unwrap(), "");
        assert_eq!(normalize(".").unwrap(), "");
        assert_eq!(normalize("./").unwrap(), "");
        assert_eq!(normalize("src/main.rs").unwrap(), "src/main.rs");
        assert_eq!(normalize("/src/main.rs").unwrap(), "src/main.rs");
        assert_eq!(normalize("//src//./main.rs/").unwrap(), "src/main.rs");
        assert_eq!(normalize("a/b/../c").unwrap(), "a/c");
        assert_eq!(normalize("a/..").unwrap(), "");
        assert_eq!(normalize("a/../b/../..x").unwrap(), "..x");
        assert_eq!(normalize("...").unwrap(), "...");
    }

    #[test]
    fn normalize_rejects_escape() {
        for p in ["..", "../x", "/..", "a/../..", "a/b/../../../etc/passwd", "./../"] {
            let e = normalize(p).unwrap_err();
            assert_eq!(e.kind, "invalid_input", "{}", p);
            assert!(e.message.contains("climbs above"), "{}", e.message);
        }
        assert_eq!(normalize("a\0b").unwrap_err().kind, "invalid_input");
    }

    #[test]
    fn resolve_guest_and_host() {
        let g = Workspace::guest();
        let r = g.resolve("/src/../lib/x.rs").unwrap();
        assert_eq!(r.rel, "lib/x.rs");
        assert_eq!(r.abs, PathBuf::from("/lib/x.rs"));
        assert_eq!(g.resolve("").unwrap().abs, PathBuf::from("/"));
        assert_eq!(g.resolve(".").unwrap().display(), ".");
        assert_eq!(g.rel_of(Path::new("/lib/x.rs")), "lib/x.rs");
        let h = Workspace::at("/tmp/ws");
        assert_eq!(h.resolve("a/b").unwrap().abs, PathBuf::from("/tmp/ws/a/b"));
        assert_eq!(h.rel_of(Path::new("/tmp/ws/a/b")), "a/b");
        assert_eq!(h.rel_of(Path::new("/tmp/ws")), "");
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_stay_inside() {
        use std::os::unix::fs::symlink;
        let root = test_dir("confine");
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("a/b/f.txt"), "x").unwrap();
        symlink("/etc", root.join("abs")).unwrap();
        symlink("../..", root.join("a/up2")).unwrap();
        symlink("b", root.join("a/inb")).unwrap();
        symlink("../a/b/f.txt", root.join("a/flink")).unwrap();
        symlink("loop2", root.join("loop1")).unwrap();
        symlink("loop1", root.join("loop2")).unwrap();
        let ws = Workspace::at(&root);
        let e = ws.resolve("abs/passwd").unwrap_err();
        assert_eq!(e.kind, "invalid_input");
        assert!(e.message.contains("'abs' is a symlink to '/etc'"), "{}", e.message);
        assert_eq!(ws.resolve("a/up2/x").unwrap_err().kind, "invalid_input");
        assert!(ws.resolve("a/inb/f.txt").is_ok());
        assert!(ws.resolve("a/flink").is_ok());
        assert!(ws.resolve("a/inb/new/deeper.txt").is_ok());
        assert_eq!(ws.resolve("loop1").unwrap_err().kind, "failed");
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn args_parsing() {
        let a = Args::parse(r#"{"path":"x","n":"12","b":"true","f":3.0,"z":null}"#, &["path", "n", "b", "f", "z"]).unwrap();
        assert_eq!(a.str_req("path").unwrap(), "x");
        assert_eq!(a.uint_opt("n", 1, 0, 100).unwrap(), 12);
        assert_eq!(a.uint_opt("f", 1, 0, 100).unwrap(), 3);
        assert_eq!(a.uint_opt("z", 7, 0, 100).unwrap(), 7);
        assert!(a.bool_opt("b", false).unwrap());
        assert_eq!(a.str_opt("z").unwrap(), None);
        assert_eq!(a.uint_opt("n", 1, 0, 10).unwrap_err().kind, "invalid_input");
        assert!(a.str_req("nope").unwrap_err().message.contains("missing required field 'nope'"));
        let e = Args::parse(r#"{"file_path":"x"}"#, &["path"]).unwrap_err();
        assert!(e.message.contains("unknown field 'file_path'"), "{}", e.message);
        assert!(Args::parse("[1]", &[]).unwrap_err().message.contains("an array"));
        assert!(Args::parse("{", &[]).unwrap_err().message.contains("not valid JSON"));
        assert!(Args::parse("  ", &[]).is_ok());
        let e = Args::parse(r#"{"n":-1}"#, &["n"]).unwrap().uint_opt("n", 0, 0, 5).unwrap_err();
        assert_eq!(e.kind, "invalid_input");
    }

    #[test]
    fn binary_detection() {
        assert!(!is_binary(b"hello\nworld"));
        assert!(is_binary(b"hel\0lo"));
        assert!(is_binary(&[0xff, 0xfe, b'a']));
        // a multi-byte char cut at the probe end is fine
        let mut v = vec![b'a'; BINARY_PROBE - 1];
        v.extend_from_slice("é".as_bytes());
        assert!(!is_binary(&v));
    }

    #[test]
    fn obj_is_ordered_json() {
        let o = Obj::new().field("b", &1).field("a", "x\"y").objs("m", vec![Obj::new().field("k", &true)]);
        assert_eq!(o.finish(), r#"{"b":1,"a":"x\"y","m":[{"k":true}]}"#);
        let e = ToolError::not_found("nope").to_json();
        assert_eq!(e, r#"{"error":{"kind":"not_found","message":"nope"}}"#);
    }

    #[test]
    fn text_helpers() {
        assert_eq!(cut_chars("héllo", 2), ("hé", true));
        assert_eq!(cut_chars("hé", 2), ("hé", false));
        assert_eq!(floor_char_boundary("hé", 2), 1);
        assert_eq!(floor_char_boundary("hé", 10), 3);
    }
}

/// Whether an I/O error means "no such file". GraalWasm 25's WASI layer reports a path that does not exist (and one
/// the host sandbox refuses) as EIO (errno 29) where other runtimes say ENOENT; tools treat both alike.
pub fn is_not_found(err: &std::io::Error) -> bool {
    err.kind() == std::io::ErrorKind::NotFound || err.raw_os_error() == Some(29)
}
