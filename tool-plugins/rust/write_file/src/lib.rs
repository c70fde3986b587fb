//! write_file: creates or overwrites a file with the given text.

use std::fs;
use tool_common::{display, Args, Obj, ToolError, ToolResult, Workspace};

pub const FIELDS: &[&str] = &["path", "content", "create_dirs"];

/// Creates each missing directory of `rel_dir`, walking down from the workspace root. (std's create_dir_all walks up
/// on ENOENT, and GraalWasm reports a missing parent as EIO, so it would give up.)
fn create_dirs_from_root(ws: &Workspace, rel_dir: &str) -> Result<(), ToolError> {
    let mut cur = String::new();
    for c in rel_dir.split('/').filter(|c| !c.is_empty()) {
        if !cur.is_empty() {
            cur.push('/');
        }
        cur.push_str(c);
        let abs = ws.root.join(&cur);
        if fs::metadata(&abs).map(|m| m.is_dir()).unwrap_or(false) {
            continue;
        }
        if let Err(e) = fs::create_dir(&abs) {
            if e.kind() != std::io::ErrorKind::AlreadyExists {
                return Err(ToolError::io("cannot create directory", &cur, &e));
            }
        }
    }
    Ok(())
}

/// Finds the first existing non-directory component on the way to `dir` (for a clear error).
fn blocking_file(ws: &Workspace, rel_dir: &str) -> Option<String> {
    let mut cur = String::new();
    for c in rel_dir.split('/').filter(|c| !c.is_empty()) {
        if !cur.is_empty() {
            cur.push('/');
        }
        cur.push_str(c);
        match fs::metadata(ws.root.join(&cur)) {
            Ok(m) if !m.is_dir() => return Some(cur),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

pub fn run(args: &Args, ws: &Workspace) -> ToolResult {
    let path = args.str_req("path")?;
    let content = args.str_req("content")?;
    let create_dirs = args.bool_opt("create_dirs", true)?;
    let r = ws.resolve(&path)?;
    if r.is_root() {
        return Err(ToolError::invalid("path must name a file, not the workspace root"));
    }
    let shown = r.display().to_string();
    let parent_rel = match r.rel.rfind('/') {
        Some(i) => r.rel[..i].to_string(),
        None => String::new(),
    };
    let existed = match fs::metadata(&r.abs) {
        Ok(m) if m.is_dir() => {
            return Err(ToolError::invalid(format!("'{}' is a directory; give a file path", shown)))
        }
        Ok(_) => true,
        Err(e) => {
            if let Some(f) = blocking_file(ws, &parent_rel) {
                return Err(ToolError::invalid(format!(
                    "cannot create '{}': '{}' is a file, not a directory",
                    shown, f
                )));
            }
            if !tool_common::is_not_found(&e) {
                return Err(ToolError::io("cannot access", &shown, &e));
            }
            false
        }
    };
    if !existed && !parent_rel.is_empty() {
        let parent_abs = ws.root.join(&parent_rel);
        match fs::metadata(&parent_abs) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(ToolError::invalid(format!("'{}' is a file, not a directory", parent_rel)))
            }
            Err(_) => {
                if let Some(f) = blocking_file(ws, &parent_rel) {
                    return Err(ToolError::invalid(format!(
                        "cannot create '{}': '{}' is a file, not a directory",
                        shown, f
                    )));
                }
                if !create_dirs {
                    return Err(ToolError::not_found(format!(
                        "parent directory '{}' does not exist (set create_dirs to true to create it)",
                        display(&parent_rel)
                    )));
                }
                create_dirs_from_root(ws, &parent_rel)?;
            }
        }
    }
    fs::write(&r.abs, content.as_bytes()).map_err(|e| ToolError::io("cannot write", &shown, &e))?;
    Ok(Obj::new()
        .field("path", &shown)
        .field("bytes_written", &content.len())
        .field("created", &!existed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn run_in(ws: &Workspace, input: &str) -> (Value, i32) {
        tool_common::run_json(input, FIELDS, ws, run)
    }

    #[test]
    fn writes_and_reports() {
        let root = tool_common::test_dir("write");
        let ws = Workspace::at(&root);
        let (v, c) = run_in(&ws, r#"{"path":"a/b/c.txt","content":"héllo\n"}"#);
        assert_eq!(c, 0, "{}", v);
        assert_eq!(v, serde_json::json!({"path":"a/b/c.txt","bytes_written":7,"created":true}));
        assert_eq!(fs::read_to_string(root.join("a/b/c.txt")).unwrap(), "héllo\n");
        let (v, _) = run_in(&ws, r#"{"path":"/a/b/c.txt","content":""}"#);
        assert_eq!(v["created"], false);
        assert_eq!(v["bytes_written"], 0);
        assert_eq!(fs::read_to_string(root.join("a/b/c.txt")).unwrap(), "");

        let (v, c) = run_in(&ws, r#"{"path":"x/y.txt","content":"1","create_dirs":false}"#);
        assert_eq!(c, 1);
        assert_eq!(v["error"]["kind"], "not_found");
        assert!(v["error"]["message"].as_str().unwrap().contains("parent directory 'x' does not exist"));

        let (v, _) = run_in(&ws, r#"{"path":"a/b/c.txt/z","content":"1"}"#);
        assert_eq!(v["error"]["kind"], "invalid_input");
        let (v, _) = run_in(&ws, r#"{"path":"a","content":"1"}"#);
        assert!(v["error"]["message"].as_str().unwrap().contains("is a directory"));
        let (v, _) = run_in(&ws, r#"{"path":"/","content":"1"}"#);
        assert_eq!(v["error"]["kind"], "invalid_input");
        let (v, _) = run_in(&ws, r#"{"path":"../out.txt","content":"1"}"#);
        assert_eq!(v["error"]["kind"], "invalid_input");
        let (v, _) = run_in(&ws, r#"{"path":"k.txt"}"#);
        assert!(v["error"]["message"].as_str().unwrap().contains("'content'"));
        let _ = fs::remove_dir_all(&root);
    }
}
