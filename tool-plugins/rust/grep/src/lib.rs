//! grep: regex search over files, .gitignore-aware, with optional context lines.
//!
//! Each file is searched as one buffer (fast for sparse matches); every candidate is verified on
//! its own line, so results have grep's line semantics (`^`/`$` are line anchors, a match must
//! lie within one line).

use globset::{GlobBuilder, GlobMatcher};
use memchr::{memchr, memchr_iter, memrchr};
use regex::bytes::{Regex, RegexBuilder};
use std::fs;
use std::io::Read;
use std::time::{Duration, Instant};
use tool_common::walk::{walker, WalkOpts};
use tool_common::{cut_chars, is_binary, Args, Obj, ToolError, ToolResult, Workspace};

pub const FIELDS: &[&str] = &[
    "pattern",
    "path",
    "glob",
    "case_insensitive",
    "context",
    "max_results",
    "files_only",
    "include_hidden",
    "gitignore",
    "offset",
];
pub const DEFAULT_MAX: u64 = 200;
pub const MAX_MAX: u64 = 2000;
pub const MAX_CONTEXT: u64 = 10;
/// Line text is cut to this many characters (`text_truncated` marks it).
pub const MAX_LINE_CHARS: usize = 500;
/// Files larger than this are skipped (counted in `large_skipped`).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// Stop adding matches once the result is about this large.
pub const OUTPUT_BUDGET: usize = 512 * 1024;
/// Largest `offset` (pagination): far beyond what a model pages through.
pub const MAX_OFFSET: u64 = 1_000_000;
/// Searching stops after this long and answers with what it found, saying so: well inside the
/// descriptor's time limit (tool.json, 30 s), so that a search of a huge tree never ends as a bare
/// TIMEOUT with nothing.
pub const TIME_BUDGET: Duration = Duration::from_secs(20);

/// One matching line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub line: usize,
    pub text: String,
    pub cut: bool,
    pub before: Vec<String>,
    pub after: Vec<String>,
}

fn line_text(b: &[u8]) -> (String, bool) {
    let b = if b.last() == Some(&b'\r') { &b[..b.len() - 1] } else { b };
    let s = String::from_utf8_lossy(b);
    let (t, cut) = cut_chars(&s, MAX_LINE_CHARS);
    (t.to_string(), cut)
}

fn ctx_text(b: &[u8]) -> String {
    let (mut t, cut) = line_text(b);
    if cut {
        t.push('…');
    }
    t
}

/// Start offset of the line containing `pos`.
fn line_start(buf: &[u8], pos: usize) -> usize {
    match memrchr(b'\n', &buf[..pos]) {
        Some(i) => i + 1,
        None => 0,
    }
}

/// End offset (exclusive, before the '\n') of the line containing `pos`.
fn line_end(buf: &[u8], pos: usize) -> usize {
    match memchr(b'\n', &buf[pos..]) {
        Some(i) => pos + i,
        None => buf.len(),
    }
}

/// The next matching line at or after `pos`, as (start, end) offsets (end before the '\n').
/// `line_mode`: the buffer has CR bytes and is scanned line by line, so that `$` also matches
/// before "\r\n".
fn next_line(re: &Regex, buf: &[u8], mut pos: usize, line_mode: bool) -> Option<(usize, usize)> {
    while pos < buf.len() {
        if line_mode {
            let le = line_end(buf, pos);
            let line = &buf[pos..le];
            let line_cmp = if line.last() == Some(&b'\r') { &line[..line.len() - 1] } else { line };
            if re.is_match(line_cmp) {
                return Some((pos, le));
            }
            pos = le + 1;
            continue;
        }
        let m = re.find_at(buf, pos)?;
        let s = m.start();
        // An empty match after the final newline is not a line.
        if s >= buf.len() && buf[buf.len() - 1] == b'\n' {
            return None;
        }
        let ls = line_start(buf, s);
        let le = line_end(buf, s);
        if re.is_match(&buf[ls..le]) {
            return Some((ls, le));
        }
        // The candidate spans lines: continue on the next line.
        pos = le + 1;
    }
    None
}

/// How many lines of the buffer match (what `search` would return without a limit).
pub fn count(re: &Regex, buf: &[u8]) -> usize {
    let line_mode = memchr(b'\r', buf).is_some();
    let mut n = 0;
    let mut pos = 0;
    while let Some((_, le)) = next_line(re, buf, pos, line_mode) {
        n += 1;
        pos = le + 1;
    }
    n
}

/// Searches one buffer. `limit` caps the number of hits returned; `context` lines before/after.
/// Before-context never repeats lines at or above the previous hit.
pub fn search(re: &Regex, buf: &[u8], context: usize, limit: usize) -> Vec<Hit> {
    let mut hits: Vec<Hit> = Vec::new();
    let mut pos = 0usize;
    let mut counted_pos = 0usize;
    let mut counted_line = 1usize; // line number at counted_pos
    let mut prev_hit_end: Option<usize> = None; // end offset of the previous hit's line
    let line_mode = memchr(b'\r', buf).is_some();
    while hits.len() < limit {
        let (ls, le) = match next_line(re, buf, pos, line_mode) {
            Some(l) => l,
            None => break,
        };
        let line = &buf[ls..le];
        counted_line += memchr_iter(b'\n', &buf[counted_pos..ls]).count();
        counted_pos = ls;
        let (text, cut) = line_text(line);
        let mut before = Vec::new();
        let mut after = Vec::new();
        if context > 0 {
            let floor = match prev_hit_end {
                Some(e) => e + 1,
                None => 0,
            };
            let mut cur = ls;
            while before.len() < context && cur > floor {
                let pe = cur - 1; // the '\n' ending the previous line
                let ps = line_start(buf, pe);
                if ps < floor {
                    break;
                }
                before.push(ctx_text(&buf[ps..pe]));
                cur = ps;
            }
            before.reverse();
            let mut cur = le;
            while after.len() < context && cur < buf.len() {
                let ns = cur + 1;
                if ns >= buf.len() {
                    break;
                }
                let ne = line_end(buf, ns);
                after.push(ctx_text(&buf[ns..ne]));
                cur = ne;
            }
        }
        hits.push(Hit { line: counted_line, text, cut, before, after });
        prev_hit_end = Some(le);
        pos = le + 1;
    }
    hits
}

/// File filter: a glob without `/` matches the file name, otherwise the path below the base.
pub struct FileFilter {
    m: GlobMatcher,
    by_name: bool,
}

impl FileFilter {
    pub fn new(glob: &str) -> Result<FileFilter, ToolError> {
        let g = glob.trim().trim_start_matches("./");
        let by_name = !g.contains('/');
        let g = g.trim_start_matches('/');
        let m = GlobBuilder::new(g)
            .literal_separator(!by_name)
            .backslash_escape(true)
            .build()
            .map_err(|e| ToolError::invalid(format!("invalid glob '{}': {}", glob, e)))?
            .compile_matcher();
        Ok(FileFilter { m, by_name })
    }
    pub fn matches(&self, rel_to_base: &str) -> bool {
        if self.by_name {
            let name = match rel_to_base.rfind('/') {
                Some(i) => &rel_to_base[i + 1..],
                None => rel_to_base,
            };
            self.m.is_match(name)
        } else {
            self.m.is_match(rel_to_base)
        }
    }
}

pub fn build_regex(pattern: &str, case_insensitive: bool) -> Result<Regex, ToolError> {
    RegexBuilder::new(pattern)
        .case_insensitive(case_insensitive)
        .multi_line(true)
        .build()
        .map_err(|e| ToolError::invalid(format!("invalid regex: {}", e)))
}

/// Reads a file through one open into `scratch`, its size known from the walk's listing or else
/// asked of the open file, and returns how many bytes it holds. None: unreadable. Some(None):
/// larger than MAX_FILE_BYTES (not read, or not all: at most one byte more is read from a file
/// that grew since it was listed).
///
/// `scratch` is one buffer for every file of a call, kept zero-initialised to its length: a
/// fresh `Vec` per file cost an allocation, a free and a memset of its size (~12 % of a warm
/// grep of the crate corpus in the sandbox, where nothing of that is vectorised).
fn read_file(abs: &std::path::Path, listed_size: Option<u64>, scratch: &mut Vec<u8>) -> Option<Option<usize>> {
    if listed_size.map_or(false, |len| len > MAX_FILE_BYTES) {
        return Some(None);
    }
    let mut f = fs::File::open(abs).ok()?;
    let len = match listed_size {
        Some(len) => len,
        None => f.metadata().ok()?.len(),
    };
    if len > MAX_FILE_BYTES {
        return Some(None);
    }
    // Room for the whole file and one byte more, so that its end is seen in the same read.
    let mut want = len as usize + 1;
    let mut filled = 0;
    loop {
        if scratch.len() < want {
            scratch.resize(want, 0);
        }
        match f.read(&mut scratch[filled..want]) {
            Ok(0) => return Some(Some(filled)),
            Ok(n) => filled += n,
            Err(ref e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
        if filled == want {
            if filled as u64 > MAX_FILE_BYTES {
                return Some(None);
            }
            want = (want * 2).min(MAX_FILE_BYTES as usize + 1); // it grew since its size was taken
        }
    }
}

/// A file to search: workspace-relative path, the path to open, its size if the walk listed it.
type Candidate = (String, std::path::PathBuf, Option<u64>);

pub fn run(args: &Args, ws: &Workspace) -> ToolResult {
    let started = Instant::now();
    let pattern = args.str_req("pattern")?;
    let path = args.str_opt("path")?.unwrap_or_default();
    let glob = args.str_opt("glob")?;
    let ci = args.bool_opt("case_insensitive", false)?;
    let context = args.uint_opt("context", 0, 0, MAX_CONTEXT)? as usize;
    let max = args.uint_opt("max_results", DEFAULT_MAX, 1, MAX_MAX)? as usize;
    let offset = args.uint_opt("offset", 0, 0, MAX_OFFSET)? as usize;
    let files_only = args.bool_opt("files_only", false)?;
    let hidden = args.bool_opt("include_hidden", false)?;
    let gitignore = args.bool_opt("gitignore", true)?;
    let re = build_regex(&pattern, ci)?;
    let filter = match glob {
        Some(ref g) if !g.trim().is_empty() => Some(FileFilter::new(g)?),
        _ => None,
    };
    let base = ws.resolve(&path)?;
    let meta = fs::metadata(&base.abs).map_err(|e| ToolError::io("cannot search", base.display(), &e))?;

    // The files to search, in sorted walk order. An explicit file is searched as given.
    let mut files: Vec<Candidate> = Vec::new();
    let mut walk_iter = None;
    if meta.is_dir() {
        let opts = WalkOpts { hidden, gitignore, max_depth: None };
        walk_iter = Some(walker(ws, &base, opts));
    } else {
        files.push((base.rel.clone(), base.abs.clone(), None));
    }
    let strip = if base.rel.is_empty() { 0 } else { base.rel.len() + 1 };

    let mut matches: Vec<Obj> = Vec::new();
    let mut file_hits: Vec<String> = Vec::new();
    let mut searched = 0usize;
    let mut binary = 0usize;
    let mut large = 0usize;
    let mut unreadable = 0usize;
    let mut budget = 0usize;
    // Matching lines (files with files_only) in walk order, shown or not: the window shown is
    // [offset, offset + returned).
    let mut total = 0usize;
    let mut full = false; // the output budget ran out before max_results
    let mut stopped = false;
    let mut next_file = |files: &mut Vec<Candidate>| -> Option<Candidate> {
        if let Some(w) = walk_iter.as_mut() {
            for ent in w.by_ref() {
                if !ent.is_file() {
                    continue;
                }
                if let Some(f) = filter.as_ref() {
                    if ent.rel.len() <= strip || !f.matches(&ent.rel[strip..]) {
                        continue;
                    }
                }
                return Some((ent.rel, ent.abs, ent.size));
            }
            None
        } else {
            files.pop()
        }
    };
    let mut scratch: Vec<u8> = Vec::new();
    while let Some((rel, abs, listed_size)) = next_file(&mut files) {
        if started.elapsed() >= TIME_BUDGET {
            stopped = true;
            break;
        }
        let buf = match read_file(&abs, listed_size, &mut scratch) {
            Some(Some(n)) => &scratch[..n],
            Some(None) => {
                large += 1;
                continue;
            }
            None => {
                unreadable += 1;
                continue;
            }
        };
        if is_binary(&buf) {
            binary += 1;
            continue;
        }
        searched += 1;
        let shown = if files_only { file_hits.len() } else { matches.len() };
        if shown >= max || full {
            // The page is full: only count what else matches.
            total += if files_only { usize::from(next_line_any(&re, &buf)) } else { count(&re, &buf) };
            continue;
        }
        if files_only {
            if !next_line_any(&re, &buf) {
                continue;
            }
            total += 1;
            if total <= offset {
                continue;
            }
            budget += rel.len() + 3;
            file_hits.push(rel);
            if budget >= OUTPUT_BUDGET {
                full = true;
            }
            continue;
        }
        let in_file = count(&re, &buf);
        if in_file == 0 {
            continue;
        }
        let skip = offset.saturating_sub(total);
        total += in_file;
        if skip >= in_file {
            continue;
        }
        let room = max - matches.len();
        for h in search(&re, &buf, context, skip + room).into_iter().skip(skip) {
            let o = Obj::new()
                .field("path", &rel)
                .field("line", &h.line)
                .field("text", &h.text)
                .field_if(h.cut, "text_truncated", &true)
                .field_if(!h.before.is_empty(), "before", &h.before)
                .field_if(!h.after.is_empty(), "after", &h.after);
            budget += o.len() + 1;
            matches.push(o);
            if budget >= OUTPUT_BUDGET {
                full = true;
                break;
            }
        }
    }
    let returned = if files_only { file_hits.len() } else { matches.len() };
    let truncated = stopped || total > offset + returned;
    let mut out = Obj::new()
        .field("files_searched", &searched)
        .field("truncated", &truncated)
        .field("total", &total)
        .field_if(stopped, "total_is_lower_bound", &true)
        .field_if(truncated, "next_offset", &(offset + returned))
        .field_if(stopped, "stopped", &format!(
            "the search ran out of time after {} files ({} s); the results and total cover those files only",
            searched,
            TIME_BUDGET.as_secs()
        ))
        .field_if(binary > 0, "binary_skipped", &binary)
        .field_if(large > 0, "large_skipped", &large)
        .field_if(unreadable > 0, "unreadable", &unreadable);
    if files_only {
        out = out.field("files", &file_hits);
    } else {
        out = out.objs("matches", matches);
    }
    Ok(out)
}

/// Whether any line of the buffer matches.
fn next_line_any(re: &Regex, buf: &[u8]) -> bool {
    next_line(re, buf, 0, memchr(b'\r', buf).is_some()).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn lines(h: &[Hit]) -> Vec<usize> {
        h.iter().map(|h| h.line).collect()
    }

    #[test]
    fn line_semantics() {
        let re = build_regex("foo", false).unwrap();
        let buf = b"foo\nbar\nxfoo foo\n\nfoo";
        let h = search(&re, buf, 0, 100);
        assert_eq!(lines(&h), vec![1, 3, 5]);
        assert_eq!(h[1].text, "xfoo foo");
        // anchors are per line
        let re = build_regex("^bar$", false).unwrap();
        assert_eq!(lines(&search(&re, buf, 0, 100)), vec![2]);
        // a candidate spanning lines is not a match, but a later in-line match is
        let re = build_regex(r"o\s+b|xfoo", false).unwrap();
        assert_eq!(lines(&search(&re, buf, 0, 100)), vec![3]);
        // empty-matching patterns report each line once, not the phantom line after the final \n
        let re = build_regex("x*", false).unwrap();
        assert_eq!(lines(&search(&re, b"a\nb\n", 0, 100)), vec![1, 2]);
        let re = build_regex("$", false).unwrap();
        assert_eq!(lines(&search(&re, b"ab", 0, 100)), vec![1]);
        assert_eq!(lines(&search(&re, b"", 0, 100)), Vec::<usize>::new());
        let re = build_regex("b$", false).unwrap();
        assert_eq!(lines(&search(&re, b"a\nab", 0, 100)), vec![2]);
        // CRLF
        let re = build_regex("a$", false).unwrap();
        let h = search(&re, b"a\r\nb\r\n", 0, 100);
        assert_eq!(lines(&h), vec![1]);
        assert_eq!(h[0].text, "a");
        // case insensitive + limit
        let re = build_regex("FOO", true).unwrap();
        assert_eq!(lines(&search(&re, buf, 0, 2)), vec![1, 3]);
        // count agrees with an unlimited search
        for (p, b) in [("foo", &buf[..]), ("x*", b"a\nb\n"), ("$", b"ab"), ("a$", b"a\r\nb\r\na")] {
            let re = build_regex(p, false).unwrap();
            assert_eq!(count(&re, b), search(&re, b, 0, usize::MAX).len(), "{}", p);
        }
    }

    #[test]
    fn context_lines() {
        let re = build_regex("^m", false).unwrap();
        let buf = b"1\n2\nm3\n4\nm5\n6\n7\n";
        let h = search(&re, buf, 2, 100);
        assert_eq!(lines(&h), vec![3, 5]);
        assert_eq!(h[0].before, vec!["1", "2"]);
        assert_eq!(h[0].after, vec!["4", "m5"]);
        assert_eq!(h[1].before, vec!["4"]); // not repeating line 3
        assert_eq!(h[1].after, vec!["6", "7"]);
    }

    #[test]
    fn long_lines_are_cut() {
        let re = build_regex("z", false).unwrap();
        let long = format!("{}z\n", "é".repeat(800));
        let h = search(&re, long.as_bytes(), 0, 10);
        assert!(h[0].cut);
        assert_eq!(h[0].text.chars().count(), MAX_LINE_CHARS);
    }

    #[test]
    fn files_are_read_whole_into_one_buffer_whatever_size_was_listed() {
        let root = tool_common::test_dir("grep-read");
        let small = root.join("small.txt");
        let grown = root.join("grown.txt");
        fs::write(&small, b"abc").unwrap();
        fs::write(&grown, vec![b'x'; 5000]).unwrap();
        let mut scratch = Vec::new();
        // The listed size is right, or unknown (stat of the open file).
        assert_eq!(read_file(&small, Some(3), &mut scratch), Some(Some(3)));
        assert_eq!(&scratch[..3], b"abc");
        assert_eq!(read_file(&small, None, &mut scratch), Some(Some(3)));
        // The file grew after it was listed: it is still read to its end.
        assert_eq!(read_file(&grown, Some(10), &mut scratch), Some(Some(5000)));
        assert!(scratch[..5000].iter().all(|&b| b == b'x'));
        // A shorter file after a longer one: only its own bytes count.
        assert_eq!(read_file(&small, Some(3), &mut scratch), Some(Some(3)));
        assert_eq!(&scratch[..3], b"abc");
        // Listed as too large: not opened; missing: unreadable.
        assert_eq!(read_file(&small, Some(MAX_FILE_BYTES + 1), &mut scratch), Some(None));
        assert_eq!(read_file(&root.join("missing"), Some(3), &mut scratch), None);
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn file_filter() {
        let f = FileFilter::new("*.java").unwrap();
        assert!(f.matches("src/a/B.java"));
        assert!(!f.matches("src/a/B.kt"));
        let f = FileFilter::new("src/**/*.{ts,tsx}").unwrap();
        assert!(f.matches("src/x/y.tsx"));
        assert!(!f.matches("lib/y.ts"));
        assert!(FileFilter::new("a[").is_err());
    }

    fn run_in(ws: &Workspace, input: &str) -> (Value, i32) {
        tool_common::run_json(input, FIELDS, ws, run)
    }

    #[test]
    fn tool_behaviour() {
        let root = tool_common::test_dir("grep");
        for (p, c) in [
            ("src/A.java", "class A {\n  // TODO fix\n}\n"),
            ("src/b.kt", "// TODO kotlin\n"),
            ("README.md", "todo: none\n"),
            ("target/gen.java", "// TODO generated\n"),
            (".hidden/h.java", "// TODO hidden\n"),
        ] {
            let f = root.join(p);
            fs::create_dir_all(f.parent().unwrap()).unwrap();
            fs::write(&f, c).unwrap();
        }
        fs::write(root.join("img.bin"), b"TODO\0\0").unwrap();
        fs::write(root.join(".gitignore"), "target/\n").unwrap();
        let ws = Workspace::at(&root);
        let (v, c) = run_in(&ws, r#"{"pattern":"TODO"}"#);
        assert_eq!(c, 0, "{}", v);
        let m = v["matches"].as_array().unwrap();
        assert_eq!(m.len(), 2, "{}", v);
        assert_eq!(m[0], serde_json::json!({"path":"src/A.java","line":2,"text":"  // TODO fix"}));
        assert_eq!(v["binary_skipped"], 1);
        assert_eq!(v["truncated"], false);
        let (v, _) = run_in(&ws, r#"{"pattern":"todo","case_insensitive":true,"glob":"*.md"}"#);
        assert_eq!(v["matches"].as_array().unwrap().len(), 1);
        assert_eq!(v["files_searched"], 1);
        let (v, _) = run_in(&ws, r#"{"pattern":"TODO","files_only":true}"#);
        assert_eq!(v["files"], serde_json::json!(["src/A.java", "src/b.kt"]));
        let (v, _) = run_in(&ws, r#"{"pattern":"TODO","path":"target/gen.java"}"#);
        assert_eq!(v["matches"][0]["path"], "target/gen.java");
        let (v, _) = run_in(&ws, r#"{"pattern":"TODO","max_results":1,"context":1}"#);
        assert_eq!(v["truncated"], true);
        assert_eq!(v["matches"][0]["before"], serde_json::json!(["class A {"]));
        assert_eq!(v["matches"][0]["after"], serde_json::json!(["}"]));
        // pages: the total, and where the next page starts
        assert_eq!(v["total"], 2);
        assert_eq!(v["next_offset"], 1);
        let (v, _) = run_in(&ws, r#"{"pattern":"TODO","max_results":1,"offset":1}"#);
        assert_eq!(v["matches"][0]["path"], "src/b.kt", "{}", v);
        assert_eq!(v["truncated"], false);
        assert_eq!(v["total"], 2);
        assert!(v.get("next_offset").is_none());
        let (v, _) = run_in(&ws, r#"{"pattern":"TODO","files_only":true,"max_results":1,"offset":1}"#);
        assert_eq!(v["files"], serde_json::json!(["src/b.kt"]));
        assert_eq!(v["total"], 2);
        let (v, c) = run_in(&ws, r#"{"pattern":"("}"#);
        assert_eq!(c, 1);
        assert_eq!(v["error"]["kind"], "invalid_input");
        assert!(v["error"]["message"].as_str().unwrap().starts_with("invalid regex:"));
        let (v, _) = run_in(&ws, r#"{"pattern":"x","path":"missing"}"#);
        assert_eq!(v["error"]["kind"], "not_found");
        let (v, _) = run_in(&ws, r#"{"pattern":"x","context":11}"#);
        assert_eq!(v["error"]["kind"], "invalid_input");
        let _ = fs::remove_dir_all(&root);
    }
}
