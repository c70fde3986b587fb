//! .gitignore-aware directory walking shared by glob, grep and list_dir.
//!
//! Semantics are those of the `ignore` crate's walker as the tools configured it before
//! (`.gitignore`, `.ignore` and `.git/info/exclude` honoured without a `.git` directory, hidden
//! entries skipped unless asked for, links not followed, entries sorted by file name, depth
//! first), and `.git` itself is never yielded. Ignore files of every directory from the
//! workspace root down apply, so walking a subdirectory honours its parents' rules while
//! nothing above the workspace root is ever read.
//!
//! Why not the crate's walker: in the sandbox each directory cost one `fd_readdir` that stats
//! every entry, plus four failing lookups (`.git`, `.ignore`, `.gitignore`, `info/exclude`),
//! each a WASI call through Java. Here a directory is one host call, `boxagnts.read_dir`
//! (decision 0042), which gives every entry's name, type and size; ignore files are read only
//! where the listing shows them. Outside the sandbox, or where the host answers "unsupported",
//! the listing comes from `std::fs::read_dir`. The matching itself is still the crate's
//! (`ignore::gitignore`).

use crate::{Resolved, Workspace};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;
use std::io;
use std::path::{Path, PathBuf};

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

/// What an entry is, as listed (links are not followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    Symlink,
    Other,
}

/// One entry of a walk.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Workspace-relative path (`""` for a walk of the root, at depth 0).
    pub rel: String,
    /// The path to hand to std::fs.
    pub abs: PathBuf,
    /// 0 for the base, 1 for its children, ...
    pub depth: usize,
    pub kind: Kind,
    /// A file's size when the listing gave it (the host does; `std::fs::read_dir` does not).
    pub size: Option<u64>,
}

impl Entry {
    pub fn is_dir(&self) -> bool {
        self.kind == Kind::Dir
    }
    pub fn is_file(&self) -> bool {
        self.kind == Kind::File
    }
}

/// A directory entry as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Listed {
    name: String,
    kind: Kind,
    size: Option<u64>,
}

/// The ignore rules one directory contributes.
struct DirRules {
    ignore: Option<Gitignore>,
    gitignore: Option<Gitignore>,
    exclude: Option<Gitignore>,
    has_git: bool,
}

/// A directory being walked: its entries still to yield (last first) and how many rule levels
/// were on the stack before it.
struct Frame {
    rel: String,
    depth: usize,
    pending: Vec<Listed>,
    rules_below: usize,
}

/// A depth-first walk over `base` (the base itself is yielded first, at depth 0).
pub struct Walk<'a> {
    ws: &'a Workspace,
    opts: WalkOpts,
    lister: Lister,
    rules: Vec<DirRules>,
    frames: Vec<Frame>,
    base: Option<Entry>,
}

/// A walker over `base`, which must be a directory.
pub fn walker<'a>(ws: &'a Workspace, base: &Resolved, opts: WalkOpts) -> Walk<'a> {
    let mut walk = Walk { ws, opts, lister: Lister::new(ws), rules: Vec::new(), frames: Vec::new(), base: None };
    if opts.gitignore && !base.rel.is_empty() {
        // The rules of the workspace root and every directory down to the base's parent.
        let comps: Vec<&str> = base.rel.split('/').collect();
        for i in 0..comps.len() {
            let rel = comps[..i].join("/");
            if let Ok(listed) = walk.lister.list(ws, &rel) {
                let rules = walk.dir_rules(&rel, &listed);
                walk.rules.push(rules);
            }
        }
    }
    walk.base = Some(Entry { rel: base.rel.clone(), abs: base.abs.clone(), depth: 0, kind: Kind::Dir, size: None });
    walk.enter(&base.rel, 0);
    walk
}

impl<'a> Walk<'a> {
    /// Lists a directory whose entries are at `depth + 1` and pushes it (nothing when it cannot
    /// be listed: like the crate's walker, an unreadable directory is passed over).
    fn enter(&mut self, rel: &str, depth: usize) {
        let mut listed = match self.lister.list(self.ws, rel) {
            Ok(l) => l,
            Err(_) => return,
        };
        let rules_below = self.rules.len();
        if self.opts.gitignore {
            let rules = self.dir_rules(rel, &listed);
            self.rules.push(rules);
        }
        // Sorted by name (byte order), then reversed: entries are popped from the end.
        listed.sort_by(|a, b| b.name.cmp(&a.name));
        self.frames.push(Frame { rel: rel.to_string(), depth, pending: listed, rules_below });
    }

    fn dir_rules(&self, rel: &str, listed: &[Listed]) -> DirRules {
        let dir = self.ws.abs_of(rel);
        let has = |name: &str| listed.iter().find(|e| e.name == name).map(|e| e.kind);
        let git = has(".git");
        let read = |name: &str| -> Option<Gitignore> {
            let mut builder = GitignoreBuilder::new(&dir);
            // Like git, an unreadable or partially invalid file contributes what it can.
            let _ = builder.add(dir.join(name));
            builder.build().ok()
        };
        let file_like = |k: Option<Kind>| matches!(k, Some(Kind::File) | Some(Kind::Symlink));
        DirRules {
            ignore: if file_like(has(".ignore")) { read(".ignore") } else { None },
            gitignore: if file_like(has(".gitignore")) { read(".gitignore") } else { None },
            exclude: if git == Some(Kind::Dir) && dir.join(".git/info/exclude").is_file() {
                read(".git/info/exclude")
            } else {
                None
            },
            has_git: git.is_some(),
        }
    }

    fn skipped(&self, listed: &Listed, abs: &Path) -> bool {
        if listed.name == ".git" {
            return true;
        }
        if self.opts.gitignore {
            let is_dir = listed.kind == Kind::Dir;
            let m = self.matched(abs, is_dir);
            if m.is_ignore() {
                return true;
            }
            if m.is_whitelist() {
                return false;
            }
        }
        !self.opts.hidden && listed.name.starts_with('.')
    }

    /// What the rules on the stack say of `path`: `.ignore` files before `.gitignore` files, the
    /// deepest directory with a matching rule deciding, and no `.gitignore` above a directory
    /// that holds a `.git` (the `ignore` crate's order).
    fn matched(&self, path: &Path, is_dir: bool) -> Match<()> {
        let (mut m_ignore, mut m_git, mut m_exclude) = (Match::None, Match::None, Match::None);
        let mut saw_git = false;
        for level in self.rules.iter().rev() {
            if m_ignore.is_none() {
                m_ignore = level.ignore.as_ref().map_or(Match::None, |g| g.matched(path, is_dir).map(|_| ()));
            }
            if !saw_git {
                if m_git.is_none() {
                    m_git = level.gitignore.as_ref().map_or(Match::None, |g| g.matched(path, is_dir).map(|_| ()));
                }
                if m_exclude.is_none() {
                    m_exclude = level.exclude.as_ref().map_or(Match::None, |g| g.matched(path, is_dir).map(|_| ()));
                }
            }
            saw_git = saw_git || level.has_git;
        }
        m_ignore.or(m_git).or(m_exclude)
    }
}

impl<'a> Iterator for Walk<'a> {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        if let Some(base) = self.base.take() {
            return Some(base);
        }
        loop {
            let frame = self.frames.last_mut()?;
            let listed = match frame.pending.pop() {
                Some(l) => l,
                None => {
                    let done = self.frames.pop().expect("a frame");
                    self.rules.truncate(done.rules_below);
                    continue;
                }
            };
            let rel = if frame.rel.is_empty() { listed.name.clone() } else { format!("{}/{}", frame.rel, listed.name) };
            let depth = frame.depth + 1;
            let abs = self.ws.abs_of(&rel);
            if self.skipped(&listed, &abs) {
                continue;
            }
            if listed.kind == Kind::Dir && self.opts.max_depth.map_or(true, |max| depth < max) {
                self.enter(&rel, depth);
            }
            return Some(Entry { rel, abs, depth, kind: listed.kind, size: listed.size });
        }
    }
}

/// Lists directories: through the host's `boxagnts.read_dir` inside the sandbox, else std::fs.
struct Lister {
    host: bool,
    buf: Vec<u8>,
}

impl Lister {
    fn new(ws: &Workspace) -> Lister {
        // The host lists paths relative to the workspace, which the guest sees as `/`.
        Lister { host: cfg!(target_arch = "wasm32") && ws.root == Path::new("/"), buf: Vec::new() }
    }

    fn list(&mut self, ws: &Workspace, rel: &str) -> io::Result<Vec<Listed>> {
        if self.host {
            match host::read_dir(rel, &mut self.buf) {
                Answer::Listed(bytes) => return decode(bytes),
                Answer::Failed(e) => return Err(e),
                Answer::Unsupported => self.host = false,
                Answer::Refused => {}
            }
        }
        std_list(&ws.abs_of(rel))
    }
}

fn std_list(dir: &Path) -> io::Result<Vec<Listed>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = match entry {
            Ok(e) => e,
            Err(_) => continue,
        };
        let kind = match entry.file_type() {
            Ok(t) if t.is_symlink() => Kind::Symlink,
            Ok(t) if t.is_dir() => Kind::Dir,
            Ok(t) if t.is_file() => Kind::File,
            _ => Kind::Other,
        };
        out.push(Listed { name: entry.file_name().to_string_lossy().into_owned(), kind, size: None });
    }
    Ok(out)
}

/// The host's answer (ABI in decision 0042): per entry u8 type, u64 size, u16 name length, name.
fn decode(bytes: &[u8]) -> io::Result<Vec<Listed>> {
    let bad = || io::Error::new(io::ErrorKind::InvalidData, "malformed directory listing from the host");
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if bytes.len() - at < 11 {
            return Err(bad());
        }
        let kind = match bytes[at] {
            1 => Kind::File,
            2 => Kind::Dir,
            3 => Kind::Symlink,
            _ => Kind::Other,
        };
        let mut size = [0u8; 8];
        size.copy_from_slice(&bytes[at + 1..at + 9]);
        let len = u16::from_le_bytes([bytes[at + 9], bytes[at + 10]]) as usize;
        at += 11;
        if bytes.len() - at < len || len == 0 {
            return Err(bad());
        }
        let name = std::str::from_utf8(&bytes[at..at + len]).map_err(|_| bad())?;
        if name.contains('/') || name == "." || name == ".." {
            return Err(bad());
        }
        at += len;
        let size = if kind == Kind::File { Some(u64::from_le_bytes(size)) } else { None };
        out.push(Listed { name: name.to_string(), kind, size });
    }
    Ok(out)
}

/// What the host said to a `read_dir` call.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
enum Answer<'b> {
    Listed(&'b [u8]),
    Failed(io::Error),
    /// Not here (several mounts, or another host): WASI lists from now on.
    Unsupported,
    /// Not a path the host takes: WASI answers this one, with its own error.
    Refused,
}

#[cfg(target_arch = "wasm32")]
mod host {
    use super::Answer;
    use std::io;

    #[link(wasm_import_module = "boxagnts")]
    extern "C" {
        #[link_name = "read_dir"]
        fn host_read_dir(path: *const u8, path_len: usize, out: *mut u8, out_capacity: usize) -> i32;
    }

    pub(super) fn read_dir<'b>(rel: &str, buf: &'b mut Vec<u8>) -> Answer<'b> {
        if buf.capacity() < 16 << 10 {
            buf.reserve(16 << 10);
        }
        loop {
            buf.clear();
            let n = unsafe { host_read_dir(rel.as_ptr(), rel.len(), buf.as_mut_ptr(), buf.capacity()) };
            match n {
                n if n >= 0 => {
                    // Safety: the host wrote n <= capacity bytes at the buffer's start.
                    let n = (n as usize).min(buf.capacity());
                    unsafe { buf.set_len(n) };
                    return Answer::Listed(&buf[..]);
                }
                -1 => return Answer::Refused,
                -2 => return Answer::Failed(io::Error::from(io::ErrorKind::NotFound)),
                -3 => return Answer::Failed(io::Error::new(io::ErrorKind::Other, "not a directory")),
                -4 => return Answer::Failed(io::Error::from(io::ErrorKind::PermissionDenied)),
                -5 => return Answer::Failed(io::Error::new(io::ErrorKind::Other, "cannot list the directory")),
                -6 => return Answer::Unsupported,
                needed => buf.reserve((-(needed as i64)) as usize),
            }
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod host {
    use super::Answer;

    pub(super) fn read_dir<'b>(_rel: &str, _buf: &'b mut Vec<u8>) -> Answer<'b> {
        Answer::Unsupported
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn names(ws: &Workspace, base: &str, opts: WalkOpts) -> Vec<String> {
        let r = ws.resolve(base).unwrap();
        walker(ws, &r, opts).filter(|e| e.depth > 0).map(|e| e.rel).collect()
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

    #[test]
    fn dot_ignore_before_gitignore_and_a_nested_repository_stops_the_parents_gitignore() {
        let root = crate::test_dir("walk3");
        fs::create_dir_all(root.join("vendor/.git/info")).unwrap();
        fs::create_dir_all(root.join("docs")).unwrap();
        fs::write(root.join(".gitignore"), "*.gen\n!docs/keep.md\n").unwrap();
        fs::write(root.join(".ignore"), "docs/*.md\n").unwrap();
        fs::write(root.join("docs/keep.md"), "k").unwrap();
        fs::write(root.join("docs/a.txt"), "a").unwrap();
        fs::write(root.join("top.gen"), "t").unwrap();
        // A nested repository: the parent's .gitignore stops at it, its own exclude file applies.
        fs::write(root.join("vendor/lib.gen"), "l").unwrap();
        fs::write(root.join("vendor/secret.txt"), "s").unwrap();
        fs::write(root.join("vendor/.git/info/exclude"), "secret.txt\n").unwrap();
        let ws = Workspace::at(&root);
        assert_eq!(
            names(&ws, "", WalkOpts::default()),
            vec!["docs", "docs/a.txt", "vendor", "vendor/lib.gen"]
        );
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn a_whitelisted_hidden_file_is_listed_and_links_are_not_followed() {
        let root = crate::test_dir("walk4");
        fs::create_dir_all(root.join("d")).unwrap();
        fs::write(root.join(".gitignore"), "!.env.example\n").unwrap();
        fs::write(root.join(".env.example"), "e").unwrap();
        fs::write(root.join(".env"), "s").unwrap();
        fs::write(root.join("d/f"), "f").unwrap();
        std::os::unix::fs::symlink(root.join("d"), root.join("link")).unwrap();
        let ws = Workspace::at(&root);
        let all: Vec<(String, Kind)> = walker(&ws, &ws.resolve("").unwrap(), WalkOpts::default())
            .filter(|e| e.depth > 0)
            .map(|e| (e.rel, e.kind))
            .collect();
        assert_eq!(
            all,
            vec![
                (".env.example".to_string(), Kind::File),
                ("d".to_string(), Kind::Dir),
                ("d/f".to_string(), Kind::File),
                ("link".to_string(), Kind::Symlink),
            ]
        );
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn the_hosts_listing_is_decoded_and_malformed_ones_refused() {
        let mut bytes = vec![1u8];
        bytes.extend_from_slice(&42u64.to_le_bytes());
        bytes.extend_from_slice(&5u16.to_le_bytes());
        bytes.extend_from_slice(b"a.txt");
        bytes.push(2);
        bytes.extend_from_slice(&0u64.to_le_bytes());
        bytes.extend_from_slice(&3u16.to_le_bytes());
        bytes.extend_from_slice(b"src");
        let listed = decode(&bytes).unwrap();
        assert_eq!(
            listed,
            vec![
                Listed { name: "a.txt".into(), kind: Kind::File, size: Some(42) },
                Listed { name: "src".into(), kind: Kind::Dir, size: None },
            ]
        );
        assert!(decode(&bytes[..bytes.len() - 1]).is_err()); // truncated name
        assert!(decode(&bytes[..5]).is_err()); // truncated header
        let mut slash = vec![1u8];
        slash.extend_from_slice(&0u64.to_le_bytes());
        slash.extend_from_slice(&3u16.to_le_bytes());
        slash.extend_from_slice(b"a/b");
        assert!(decode(&slash).is_err());
        assert_eq!(decode(&[]).unwrap(), vec![]);
    }
}
