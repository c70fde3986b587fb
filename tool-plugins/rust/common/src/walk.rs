//! .gitignore-aware directory walking shared by glob, grep and list_dir.
//!
//! Built on the `ignore` crate's `WalkBuilder`: `.gitignore`, `.ignore` and `.git/info/exclude`
//! are honoured without a `.git` directory (`require_git(false)`), hidden entries are skipped
//! unless asked for, `.git` itself is never yielded, entries come sorted by file name.
//!
//! Walking a subdirectory: `ignore` looks for parent ignore files with `canonicalize()`, which
//! WASI preview 1 does not have, so parents would be silently skipped in the sandbox. Instead we
//! load the ignore files of every ancestor between the workspace root and the walk's base
//! ourselves, so host tests and the sandbox behave the same and nothing above the workspace
//! root is ever read.

use crate::{Resolved, Workspace};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{Match, Walk, WalkBuilder};
use std::path::PathBuf;

/// Walk options.
#[derive(Debug, Clone, Copy)]
pub struct WalkOpts {
    /// Include hidden (dot) entries. `.git` is excluded regardless.
    pub hidden: bool,
    /// Honour .gitignore / .ignore / .git/info/exclude.
    pub gitignore: bool,
    /// Maximum depth below the base (1 = direct children); None = unlimited.
    pub max_depth: Option<usize>,
}

impl Default for WalkOpts {
    fn default() -> Self {
        WalkOpts { hidden: false, gitignore: true, max_depth: None }
    }
}

/// Ignore matchers for the ancestors of `base` (workspace root .. parent of base), shallowest
/// first. The walker itself reads the ignore files inside `base` and below.
fn ancestor_ignores(ws: &Workspace, base: &Resolved) -> Vec<Gitignore> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    if !base.rel.is_empty() {
        let comps: Vec<&str> = base.rel.split('/').collect();
        let mut d = ws.root.clone();
        dirs.push(d.clone());
        for c in &comps[..comps.len() - 1] {
            d = d.join(c);
            dirs.push(d.clone());
        }
    }
    let mut out = Vec::new();
    for (i, d) in dirs.iter().enumerate() {
        let mut gb = GitignoreBuilder::new(d);
        let mut any = false;
        let mut names = vec![d.join(".gitignore"), d.join(".ignore")];
        if i == 0 {
            names.insert(0, d.join(".git").join("info").join("exclude"));
        }
        for f in names {
            if f.is_file() {
                // Like git, an unreadable or partially invalid file contributes what it can.
                let _ = gb.add(&f);
                any = true;
            }
        }
        if any {
            if let Ok(gi) = gb.build() {
                out.push(gi);
            }
        }
    }
    out
}

/// A walker over `base` (the base itself is yielded first, at depth 0).
pub fn walker(ws: &Workspace, base: &Resolved, opts: WalkOpts) -> Walk {
    let ancestors = if opts.gitignore { ancestor_ignores(ws, base) } else { Vec::new() };
    let mut b = WalkBuilder::new(&base.abs);
    b.hidden(!opts.hidden)
        .parents(false)
        .ignore(opts.gitignore)
        .git_ignore(opts.gitignore)
        .git_exclude(opts.gitignore)
        .git_global(false)
        .require_git(false)
        .follow_links(false)
        .max_depth(opts.max_depth)
        .sort_by_file_name(|a, b| a.cmp(b));
    b.filter_entry(move |e| {
        if e.depth() == 0 {
            return true;
        }
        if e.file_name() == ".git" {
            return false;
        }
        let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
        // Deeper ignore files take precedence, as in git.
        for gi in ancestors.iter().rev() {
            match gi.matched(e.path(), is_dir) {
                Match::Ignore(_) => return false,
                Match::Whitelist(_) => return true,
                Match::None => {}
            }
        }
        true
    });
    b.build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn names(ws: &Workspace, base: &str, opts: WalkOpts) -> Vec<String> {
        let r = ws.resolve(base).unwrap();
        walker(ws, &r, opts)
            .filter_map(|e| e.ok())
            .filter(|e| e.depth() > 0)
            .map(|e| ws.rel_of(e.path()))
            .collect()
    }

    #[test]
    fn gitignore_without_git_dir() {
        let root = crate::test_dir("walk");
        fs::create_dir_all(root.join("src/gen")).unwrap();
        fs::create_dir_all(root.join("target/debug")).unwrap();
        fs::create_dir_all(root.join(".git")).unwrap();
        fs::create_dir_all(root.join(".hidden")).unwrap();
        fs::write(root.join(".gitignore"), "target/\n*.log\n/src/gen/\n!keep.log\n").unwrap();
        fs::write(root.join("a.txt"), "a").unwrap();
        fs::write(root.join("x.log"), "x").unwrap();
        fs::write(root.join("keep.log"), "k").unwrap();
        fs::write(root.join("target/debug/out"), "o").unwrap();
        fs::write(root.join("src/main.rs"), "m").unwrap();
        fs::write(root.join("src/y.log"), "y").unwrap();
        fs::write(root.join("src/gen/g.rs"), "g").unwrap();
        fs::write(root.join(".git/config"), "c").unwrap();
        fs::write(root.join(".hidden/h"), "h").unwrap();
        let ws = Workspace::at(&root);

        let all = names(&ws, "", WalkOpts::default());
        assert_eq!(all, vec!["a.txt", "keep.log", "src", "src/main.rs"]);

        // Walking a subdirectory still honours the root .gitignore (ancestor rules).
        let sub = names(&ws, "src", WalkOpts::default());
        assert_eq!(sub, vec!["src/main.rs"]);

        // Hidden included, .git never.
        let hid = names(&ws, "", WalkOpts { hidden: true, ..WalkOpts::default() });
        assert!(hid.contains(&".gitignore".to_string()));
        assert!(hid.contains(&".hidden/h".to_string()));
        assert!(!hid.iter().any(|p| p.starts_with(".git/") || p == ".git"));

        // gitignore off: ignored entries come back.
        let raw = names(&ws, "", WalkOpts { gitignore: false, ..WalkOpts::default() });
        assert!(raw.contains(&"target/debug/out".to_string()));
        assert!(raw.contains(&"x.log".to_string()));

        // Depth limit.
        let d1 = names(&ws, "", WalkOpts { max_depth: Some(1), ..WalkOpts::default() });
        assert_eq!(d1, vec!["a.txt", "keep.log", "src"]);

        // An explicitly requested ignored directory is walked (its contents are not re-ignored
        // by the rule that matched the directory itself).
        let t = names(&ws, "target", WalkOpts::default());
        assert_eq!(t, vec!["target/debug", "target/debug/out"]);
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn nested_gitignore_precedence() {
        let root = crate::test_dir("walk2");
        fs::create_dir_all(root.join("a/b")).unwrap();
        fs::write(root.join(".gitignore"), "*.tmp\n").unwrap();
        fs::write(root.join("a/.gitignore"), "!important.tmp\n").unwrap();
        fs::write(root.join("a/b/important.tmp"), "i").unwrap();
        fs::write(root.join("a/b/junk.tmp"), "j").unwrap();
        let ws = Workspace::at(&root);
        assert_eq!(names(&ws, "a/b", WalkOpts::default()), vec!["a/b/important.tmp"]);
        assert_eq!(names(&ws, "", WalkOpts::default()), vec!["a", "a/b", "a/b/important.tmp"]);
        let _ = fs::remove_dir_all(&root);
    }
}
