//! list_dir: a sorted, .gitignore-aware listing of a directory tree down to a depth.
//!
//! When there are more entries than max_entries, shallower entries are kept first, so the
//! model always sees the top of the tree; the kept entries are then sorted by path.

use tool_common::walk::{walker, Kind, WalkOpts};
use tool_common::{Args, Obj, ToolError, ToolResult, Workspace};

pub const FIELDS: &[&str] = &["path", "depth", "max_entries", "include_hidden", "gitignore"];
pub const DEFAULT_DEPTH: u64 = 2;
pub const MAX_DEPTH: u64 = 10;
pub const DEFAULT_MAX: u64 = 500;
pub const MAX_MAX: u64 = 5000;
/// The walk stops after this many entries (memory bound); `total` is then a floor.
pub const SCAN_CAP: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    pub kind: &'static str,
    pub size: Option<u64>,
    pub depth: usize,
}

/// Keeps at most `max` entries, shallowest first, then sorts them by path.
pub fn select(mut entries: Vec<Entry>, max: usize) -> (Vec<Entry>, bool) {
    let truncated = entries.len() > max;
    if truncated {
        entries.sort_by(|a, b| a.depth.cmp(&b.depth).then_with(|| a.path.cmp(&b.path)));
        entries.truncate(max);
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    (entries, truncated)
}

pub fn run(args: &Args, ws: &Workspace) -> ToolResult {
    let path = args.str_opt("path")?.unwrap_or_default();
    let depth = args.uint_opt("depth", DEFAULT_DEPTH, 1, MAX_DEPTH)? as usize;
    let max = args.uint_opt("max_entries", DEFAULT_MAX, 1, MAX_MAX)? as usize;
    let hidden = args.bool_opt("include_hidden", false)?;
    let gitignore = args.bool_opt("gitignore", true)?;
    let base = ws.resolve(&path)?;
    let shown = base.display().to_string();
    let meta = std::fs::symlink_metadata(&base.abs).map_err(|e| ToolError::io("cannot list", &shown, &e))?;
    let is_dir = meta.is_dir() || std::fs::metadata(&base.abs).map(|m| m.is_dir()).unwrap_or(false);
    if !is_dir {
        return Err(ToolError::invalid(format!("'{}' is not a directory; use read_file for files", shown)));
    }
    let mut entries: Vec<Entry> = Vec::new();
    let mut capped = false;
    let opts = WalkOpts { hidden, gitignore, max_depth: Some(depth) };
    for ent in walker(ws, &base, opts) {
        if ent.depth == 0 {
            continue;
        }
        if entries.len() >= SCAN_CAP {
            capped = true;
            break;
        }
        let (kind, size) = match ent.kind {
            Kind::Symlink => ("symlink", None),
            Kind::Dir => ("dir", None),
            // The host's listing carries the size; std::fs's needs one stat.
            _ => ("file", ent.size.or_else(|| std::fs::symlink_metadata(&ent.abs).ok().map(|m| m.len()))),
        };
        entries.push(Entry { path: ent.rel, kind, size, depth: ent.depth });
    }
    let total = entries.len();
    let (kept, cut) = select(entries, max);
    let truncated = cut || capped;
    let items: Vec<Obj> = kept
        .iter()
        .map(|e| {
            let o = Obj::new().field("path", &e.path).field("type", e.kind);
            match e.size {
                Some(s) => o.field("size", &s),
                None => o,
            }
        })
        .collect();
    Ok(Obj::new()
        .field("path", &shown)
        .field("truncated", &truncated)
        .field_if(truncated, "total", &total)
        .field_if(capped, "total_is_lower_bound", &true)
        .objs("entries", items))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};
    use std::fs;

    fn run_in(ws: &Workspace, input: &str) -> (Value, i32) {
        tool_common::run_json(input, FIELDS, ws, run)
    }

    #[test]
    fn selection_prefers_shallow() {
        let e = |p: &str, d| Entry { path: p.into(), kind: "file", size: None, depth: d };
        let (k, t) = select(vec![e("a", 1), e("a/x", 2), e("a/y", 2), e("b", 1)], 3);
        assert!(t);
        assert_eq!(k.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(), vec!["a", "a/x", "b"]);
    }

    #[test]
    fn tool_behaviour() {
        let root = tool_common::test_dir("list");
        for p in ["src/main.rs", "src/deep/er/x.rs", "README.md", "target/out", ".env"] {
            let f = root.join(p);
            fs::create_dir_all(f.parent().unwrap()).unwrap();
            fs::write(&f, "12345").unwrap();
        }
        fs::write(root.join(".gitignore"), "target\n").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("README.md", root.join("link.md")).unwrap();
        let ws = Workspace::at(&root);
        let (v, c) = run_in(&ws, "{}");
        assert_eq!(c, 0, "{}", v);
        assert_eq!(v["path"], ".");
        assert_eq!(v["truncated"], false);
        let mut expect = vec![
            json!({"path":"README.md","type":"file","size":5}),
            json!({"path":"src","type":"dir"}),
            json!({"path":"src/deep","type":"dir"}),
            json!({"path":"src/main.rs","type":"file","size":5}),
        ];
        #[cfg(unix)]
        expect.insert(1, json!({"path":"link.md","type":"symlink"}));
        assert_eq!(v["entries"], Value::Array(expect));

        let (v, _) = run_in(&ws, r#"{"path":"src","depth":10}"#);
        let paths: Vec<&str> = v["entries"].as_array().unwrap().iter().map(|e| e["path"].as_str().unwrap()).collect();
        assert_eq!(paths, vec!["src/deep", "src/deep/er", "src/deep/er/x.rs", "src/main.rs"]);
        let (v, _) = run_in(&ws, r#"{"depth":1,"max_entries":1}"#);
        assert_eq!(v["truncated"], true);
        assert_eq!(v["entries"].as_array().unwrap().len(), 1);
        let (v, _) = run_in(&ws, r#"{"depth":1,"include_hidden":true,"gitignore":false}"#);
        let paths: Vec<&str> = v["entries"].as_array().unwrap().iter().map(|e| e["path"].as_str().unwrap()).collect();
        assert!(paths.contains(&".env") && paths.contains(&"target") && paths.contains(&".gitignore"));
        let (v, _) = run_in(&ws, r#"{"path":"README.md"}"#);
        assert_eq!(v["error"]["kind"], "invalid_input");
        let (v, _) = run_in(&ws, r#"{"path":"nope"}"#);
        assert_eq!(v["error"]["kind"], "not_found");
        let (v, _) = run_in(&ws, r#"{"depth":11}"#);
        assert_eq!(v["error"]["kind"], "invalid_input");
        let _ = fs::remove_dir_all(&root);
    }
}
