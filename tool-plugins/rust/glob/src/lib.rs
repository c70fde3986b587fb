//! glob: lists files whose path matches a glob pattern, .gitignore-aware.

use globset::GlobBuilder;
use std::time::{Duration, Instant};
use tool_common::walk::{walker, WalkOpts};
use tool_common::{normalize, Args, Obj, ToolError, ToolResult, Workspace};

pub const FIELDS: &[&str] = &["pattern", "path", "max_results", "include_hidden", "gitignore"];
pub const DEFAULT_MAX: u64 = 1000;
pub const MAX_MAX: u64 = 10_000;
/// The walk stops collecting after this many matches (memory bound); `total` is then a floor.
pub const SCAN_CAP: usize = 100_000;
/// The walk stops after this long and answers with what it found, saying so: well inside the
/// descriptor's time limit (tool.json, 30 s).
pub const TIME_BUDGET: Duration = Duration::from_secs(20);

fn has_meta(s: &str) -> bool {
    s.chars().any(|c| matches!(c, '*' | '?' | '[' | ']' | '{' | '}' | '\\'))
}

/// Splits a pattern into its literal directory prefix and the glob rest:
/// `src/main/**/*.java` -> (`src/main`, `**/*.java`). The last component always stays in the rest.
pub fn split_pattern(pattern: &str) -> (String, String) {
    let comps: Vec<&str> = pattern.split('/').collect();
    let mut n = 0;
    while n + 1 < comps.len() && !has_meta(comps[n]) {
        n += 1;
    }
    let prefix = comps[..n].join("/");
    let rest = comps[n..].join("/");
    (prefix, rest)
}

/// Cleans the pattern: leading `/` and `./` are dropped; `..` is not allowed.
pub fn clean_pattern(pattern: &str) -> Result<String, ToolError> {
    let mut p = pattern.trim();
    loop {
        if let Some(s) = p.strip_prefix("./") {
            p = s;
        } else if let Some(s) = p.strip_prefix('/') {
            p = s;
        } else {
            break;
        }
    }
    if p.is_empty() {
        return Err(ToolError::invalid("pattern is empty"));
    }
    let mut p = p.to_string();
    if p.ends_with('/') {
        // "src/" means everything below src
        p.push_str("**");
    }
    if p.split('/').any(|c| c == "..") {
        return Err(ToolError::invalid("pattern must not contain '..'; use path to choose the directory to search"));
    }
    Ok(p)
}

pub fn run(args: &Args, ws: &Workspace) -> ToolResult {
    let started = Instant::now();
    let raw = args.str_req("pattern")?;
    let base_in = args.str_opt("path")?.unwrap_or_default();
    let max = args.uint_opt("max_results", DEFAULT_MAX, 1, MAX_MAX)? as usize;
    let pattern = clean_pattern(&raw)?;
    // A pattern that names hidden components (".github/**") includes hidden entries.
    let names_hidden = pattern.split('/').any(|c| c.starts_with('.') && c != "." && c != "..");
    let hidden = args.bool_opt("include_hidden", names_hidden)?;
    let gitignore = args.bool_opt("gitignore", true)?;

    let base = ws.resolve(&base_in)?;
    match std::fs::metadata(&base.abs) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(ToolError::invalid(format!("path '{}' is a file; give a directory to search in", base.display()))),
        Err(e) => return Err(ToolError::io("cannot search", base.display(), &e)),
    }
    let (prefix, rest) = split_pattern(&pattern);
    let matcher = GlobBuilder::new(&rest)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .map_err(|e| ToolError::invalid(format!("invalid glob pattern '{}': {}", raw, e)))?
        .compile_matcher();
    let start_rel = normalize(&format!("{}/{}", base.rel, prefix))?;
    let start = ws.resolve(&start_rel)?;

    let mut found: Vec<String> = Vec::new();
    let mut capped = false;
    let mut stopped = false;
    let is_dir_start = std::fs::metadata(&start.abs).map(|m| m.is_dir()).unwrap_or(false);
    if is_dir_start {
        let strip = if start.rel.is_empty() { 0 } else { start.rel.len() + 1 };
        let opts = WalkOpts { hidden, gitignore, max_depth: None };
        for ent in walker(ws, &start, opts) {
            if started.elapsed() >= TIME_BUDGET {
                stopped = true;
                break;
            }
            if ent.depth == 0 || ent.is_dir() {
                continue;
            }
            let rel = ent.rel;
            if rel.len() <= strip {
                continue;
            }
            if matcher.is_match(&rel[strip..]) {
                if found.len() >= SCAN_CAP {
                    capped = true;
                    break;
                }
                found.push(rel);
            }
        }
    }
    found.sort();
    let total = found.len();
    let truncated = total > max || capped || stopped;
    found.truncate(max);
    Ok(Obj::new()
        .field("truncated", &truncated)
        .field_if(truncated, "total", &total)
        .field_if(capped || stopped, "total_is_lower_bound", &true)
        .field_if(stopped, "stopped", &format!(
            "the walk ran out of time ({} s); the matches and total cover the part walked",
            TIME_BUDGET.as_secs()
        ))
        .field("matches", &found))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use std::fs;

    #[test]
    fn pattern_split() {
        assert_eq!(split_pattern("src/main/**/*.java"), ("src/main".into(), "**/*.java".into()));
        assert_eq!(split_pattern("*.rs"), ("".into(), "*.rs".into()));
        assert_eq!(split_pattern("Cargo.toml"), ("".into(), "Cargo.toml".into()));
        assert_eq!(split_pattern("a/b/c.txt"), ("a/b".into(), "c.txt".into()));
        assert_eq!(split_pattern("a/*/c.txt"), ("a".into(), "*/c.txt".into()));
        assert_eq!(clean_pattern("./src/*.rs").unwrap(), "src/*.rs");
        assert_eq!(clean_pattern("/src/*.rs").unwrap(), "src/*.rs");
        assert!(clean_pattern("../*.rs").is_err());
        assert_eq!(clean_pattern("src/").unwrap(), "src/**");
        assert!(clean_pattern("").is_err());
    }

    fn run_in(ws: &Workspace, input: &str) -> (Value, i32) {
        tool_common::run_json(input, FIELDS, ws, run)
    }

    #[test]
    fn tool_behaviour() {
        let root = tool_common::test_dir("glob");
        for p in ["src/main.rs", "src/lib.rs", "src/a/b/deep.rs", "src/notes.txt", "build.rs", "target/x.rs", ".github/workflows/ci.yml", ".hidden.rs", "docs/x.md"] {
            let f = root.join(p);
            fs::create_dir_all(f.parent().unwrap()).unwrap();
            fs::write(&f, "x").unwrap();
        }
        fs::write(root.join(".gitignore"), "target/\n").unwrap();
        let ws = Workspace::at(&root);

        let (v, c) = run_in(&ws, r#"{"pattern":"**/*.rs"}"#);
        assert_eq!(c, 0, "{}", v);
        assert_eq!(v["matches"], serde_json::json!(["build.rs", "src/a/b/deep.rs", "src/lib.rs", "src/main.rs"]));
        assert_eq!(v["truncated"], false);
        let (v, _) = run_in(&ws, r#"{"pattern":"*.rs"}"#);
        assert_eq!(v["matches"], serde_json::json!(["build.rs"]));
        let (v, _) = run_in(&ws, r#"{"pattern":"src/*.rs"}"#);
        assert_eq!(v["matches"], serde_json::json!(["src/lib.rs", "src/main.rs"]));
        let (v, _) = run_in(&ws, r#"{"pattern":"*.rs","path":"src"}"#);
        assert_eq!(v["matches"], serde_json::json!(["src/lib.rs", "src/main.rs"]));
        let (v, _) = run_in(&ws, r#"{"pattern":"**/*.{rs,txt}","path":"/src","max_results":2}"#);
        assert_eq!(v["matches"], serde_json::json!(["src/a/b/deep.rs", "src/lib.rs"]));
        assert_eq!(v["truncated"], true);
        assert_eq!(v["total"], 4);
        let (v, _) = run_in(&ws, r#"{"pattern":".github/**/*.yml"}"#);
        assert_eq!(v["matches"], serde_json::json!([".github/workflows/ci.yml"]));
        let (v, _) = run_in(&ws, r#"{"pattern":"**/*.rs","gitignore":false,"include_hidden":true}"#);
        assert_eq!(v["matches"].as_array().unwrap().len(), 6);
        let (v, _) = run_in(&ws, r#"{"pattern":"src/a/"}"#);
        assert_eq!(v["matches"], serde_json::json!(["src/a/b/deep.rs"]));
        let (v, _) = run_in(&ws, r#"{"pattern":"nothere/**"}"#);
        assert_eq!(v["matches"], serde_json::json!([]));
        let (v, c) = run_in(&ws, r#"{"pattern":"a[b"}"#);
        assert_eq!(c, 1);
        assert_eq!(v["error"]["kind"], "invalid_input");
        let (v, _) = run_in(&ws, r#"{"pattern":"*","path":"nope"}"#);
        assert_eq!(v["error"]["kind"], "not_found");
        let _ = fs::remove_dir_all(&root);
    }
}
