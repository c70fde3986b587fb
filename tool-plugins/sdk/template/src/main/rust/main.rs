//! @NAME@: a BoxAgnts tool. The ABI: a WASI command module reads one JSON object (the request) from stdin and writes
//! one JSON object (the result) to stdout, exit status 0; on failure it writes {"error":{"kind":...,"message":...}}
//! (kind "invalid_input" for a bad request) and exits non-zero. The workspace is its `/`, as the tool's descriptor
//! (tool.json) grants it; it has no network, no environment, no clock beyond WASI's, and limits on time, memory and
//! output.
use serde_json::{json, Value};
use std::io::Read;

fn fail(kind: &str, message: &str) -> ! {
    println!("{}", json!({"error": {"kind": kind, "message": message}}));
    std::process::exit(1);
}

fn main() {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        fail("invalid_input", &format!("the request cannot be read: {}", e));
    }
    let request: Value = match serde_json::from_str(&input) {
        Ok(value) => value,
        Err(e) => fail("invalid_input", &format!("the request is not JSON: {}", e)),
    };
    let path = match request.get("path").and_then(Value::as_str) {
        Some(path) => path.to_string(),
        None => fail("invalid_input", "\"path\" (a file of the workspace) is required"),
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => fail("failed", &format!("{} cannot be read: {}", path, e)),
    };
    println!(
        "{}",
        json!({
            "path": path,
            "lines": text.lines().count(),
            "words": text.split_whitespace().count(),
            "bytes": text.len()
        })
    );
}
