//! edit_file: exact string replacement in a text file, with a unified diff of the change.

use similar::{Algorithm, TextDiff};
use std::fs;
use std::time::Duration;
use tool_common::{floor_char_boundary, is_binary, Args, Obj, ToolError, ToolResult, Workspace};

pub const FIELDS: &[&str] = &["path", "old_string", "new_string", "replace_all"];
/// Largest file edit_file will load (the module has 64 MiB of memory).
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;
/// Cap of the returned diff.
pub const MAX_DIFF_BYTES: usize = 8 * 1024;

/// The outcome of matching `old` in `text`.
#[derive(Debug, PartialEq, Eq)]
pub enum Plan {
    /// New text and the number of replacements.
    Replace(String, usize),
    /// No occurrence; the hint explains a likely cause (may be empty).
    NotFound(String),
    /// More than one occurrence without replace_all.
    Ambiguous(usize),
}

/// Pure matching logic: exact, non-overlapping occurrences of `old`.
pub fn plan(text: &str, old: &str, new: &str, replace_all: bool) -> Plan {
    let count = text.matches(old).count();
    if count == 0 {
        let mut hint = String::new();
        if text.contains("\r\n") && old.contains('\n') && !old.contains("\r\n") {
            let crlf = old.replace('\n', "\r\n");
            if text.contains(&crlf) {
                hint = "the file uses CRLF (\\r\\n) line endings; old_string uses \\n".to_string();
            }
        }
        if hint.is_empty() {
            let trimmed = old.trim();
            if !trimmed.is_empty() && trimmed != old && text.contains(trimmed) {
                hint = "old_string matches if its leading/trailing whitespace is removed".to_string();
            } else if text.to_lowercase().contains(&old.to_lowercase()) {
                hint = "a match exists with different upper/lower case".to_string();
            }
        }
        return Plan::NotFound(hint);
    }
    if count > 1 && !replace_all {
        return Plan::Ambiguous(count);
    }
    let out = if replace_all { text.replace(old, new) } else { text.replacen(old, new, 1) };
    Plan::Replace(out, count)
}

/// A unified diff (3 lines of context) capped at `max` bytes on a line boundary.
pub fn unified_diff(path: &str, old: &str, new: &str, max: usize) -> (String, bool) {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .timeout(Duration::from_millis(500))
        .diff_lines(old, new);
    let a = format!("a/{}", path);
    let b = format!("b/{}", path);
    let text = diff.unified_diff().context_radius(3).header(&a, &b).to_string();
    if text.len() <= max {
        return (text, false);
    }
    let cut = floor_char_boundary(&text, max);
    let end = match text[..cut].rfind('\n') {
        Some(i) => i + 1,
        None => cut,
    };
    (text[..end].to_string(), true)
}

pub fn run(args: &Args, ws: &Workspace) -> ToolResult {
    let path = args.str_req("path")?;
    let old = args.str_req("old_string")?;
    let new = args.str_req("new_string")?;
    let replace_all = args.bool_opt("replace_all", false)?;
    if old.is_empty() {
        return Err(ToolError::invalid("old_string must not be empty (use write_file to create or overwrite a file)"));
    }
    if old == new {
        return Err(ToolError::invalid("old_string and new_string are identical; nothing to change"));
    }
    let r = ws.resolve(&path)?;
    let shown = r.display().to_string();
    let meta = fs::metadata(&r.abs).map_err(|e| ToolError::io("cannot edit", &shown, &e))?;
    if meta.is_dir() {
        return Err(ToolError::invalid(format!("'{}' is a directory, not a file", shown)));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ToolError::failed(format!(
            "'{}' is too large to edit ({} bytes, max {})",
            shown,
            meta.len(),
            MAX_FILE_BYTES
        )));
    }
    let bytes = fs::read(&r.abs).map_err(|e| ToolError::io("cannot read", &shown, &e))?;
    if is_binary(&bytes) {
        return Err(ToolError::failed(format!("binary file '{}' ({} bytes): edit_file only edits text", shown, bytes.len())));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        ToolError::failed(format!(
            "'{}' is not valid UTF-8 text (invalid byte at offset {}); edit_file only edits UTF-8 text",
            shown,
            e.utf8_error().valid_up_to()
        ))
    })?;
    match plan(&text, &old, &new, replace_all) {
        Plan::NotFound(hint) => {
            let mut msg = format!("old_string not found in '{}' (0 matches); it must match the file exactly, including whitespace and indentation", shown);
            if !hint.is_empty() {
                msg.push_str("; hint: ");
                msg.push_str(&hint);
            }
            Err(ToolError::not_found(msg))
        }
        Plan::Ambiguous(n) => Err(ToolError::invalid(format!(
            "old_string occurs {} times in '{}'; add surrounding context to make it unique, or set replace_all to true",
            n, shown
        ))),
        Plan::Replace(out, n) => {
            fs::write(&r.abs, out.as_bytes()).map_err(|e| ToolError::io("cannot write", &shown, &e))?;
            let (diff, cut) = unified_diff(&r.rel, &text, &out, MAX_DIFF_BYTES);
            Ok(Obj::new()
                .field("path", &shown)
                .field("replacements", &n)
                .field_if(cut, "diff_truncated", &true)
                .field("diff", &diff))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn matching() {
        assert_eq!(plan("a b a", "b", "c", false), Plan::Replace("a c a".into(), 1));
        assert_eq!(plan("a b a", "a", "c", false), Plan::Ambiguous(2));
        assert_eq!(plan("a b a", "a", "c", true), Plan::Replace("c b c".into(), 2));
        assert_eq!(plan("aaa", "aa", "b", true), Plan::Replace("ba".into(), 1)); // non-overlapping
        assert_eq!(plan("x", "y", "z", false), Plan::NotFound(String::new()));
        match plan("a\r\nb\r\n", "a\nb", "c", false) {
            Plan::NotFound(h) => assert!(h.contains("CRLF")),
            p => panic!("{:?}", p),
        }
        match plan("fn main() {}", "  fn main()", "x", false) {
            Plan::NotFound(h) => assert!(h.contains("whitespace")),
            p => panic!("{:?}", p),
        }
        match plan("Hello", "hello", "x", false) {
            Plan::NotFound(h) => assert!(h.contains("case")),
            p => panic!("{:?}", p),
        }
    }

    #[test]
    fn diff_format_and_cap() {
        let (d, cut) = unified_diff("f.txt", "a\nb\nc\n", "a\nB\nc\n", 8192);
        assert!(!cut);
        assert_eq!(d, "--- a/f.txt\n+++ b/f.txt\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
        let old: String = (0..2000).map(|i| format!("line {}\n", i)).collect();
        let new = old.replace("line", "LINE");
        let (d, cut) = unified_diff("f", &old, &new, 1000);
        assert!(cut);
        assert!(d.len() <= 1000 && d.ends_with('\n'));
    }

    fn run_in(ws: &Workspace, input: &str) -> (Value, i32) {
        tool_common::run_json(input, FIELDS, ws, run)
    }

    #[test]
    fn tool_behaviour() {
        let root = tool_common::test_dir("edit");
        let ws = Workspace::at(&root);
        fs::write(root.join("m.rs"), "fn main() {\n    println!(\"hi\");\n    println!(\"hi\");\n}\n").unwrap();
        let (v, c) = run_in(&ws, r#"{"path":"m.rs","old_string":"println!(\"hi\");","new_string":"x();"}"#);
        assert_eq!(c, 1);
        assert_eq!(v["error"]["kind"], "invalid_input");
        assert!(v["error"]["message"].as_str().unwrap().contains("occurs 2 times"));
        let (v, c) = run_in(&ws, r#"{"path":"m.rs","old_string":"nothing","new_string":"x"}"#);
        assert_eq!(c, 1);
        assert_eq!(v["error"]["kind"], "not_found");
        assert!(v["error"]["message"].as_str().unwrap().contains("0 matches"));
        let (v, c) = run_in(&ws, r#"{"path":"m.rs","old_string":"println!(\"hi\");","new_string":"x();","replace_all":true}"#);
        assert_eq!(c, 0, "{}", v);
        assert_eq!(v["replacements"], 2);
        assert!(v["diff"].as_str().unwrap().contains("+    x();"));
        assert_eq!(fs::read_to_string(root.join("m.rs")).unwrap(), "fn main() {\n    x();\n    x();\n}\n");
        let (v, _) = run_in(&ws, r#"{"path":"m.rs","old_string":"a","new_string":"a"}"#);
        assert_eq!(v["error"]["kind"], "invalid_input");
        let (v, _) = run_in(&ws, r#"{"path":"m.rs","old_string":"","new_string":"a"}"#);
        assert_eq!(v["error"]["kind"], "invalid_input");
        let (v, _) = run_in(&ws, r#"{"path":"none.rs","old_string":"a","new_string":"b"}"#);
        assert_eq!(v["error"]["kind"], "not_found");
        let _ = fs::remove_dir_all(&root);
    }
}
