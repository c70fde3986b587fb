//! grep (GNU 3.8 behaviour): -E -F -G -P, -e/-f patterns, -i -v -w -x, -c -l -L -q -s -o, -n -h -H,
//! -A -B -C context, -m, -r with --include/--exclude/--exclude-dir, binary files said on stderr.

use super::{lines, opts};
use crate::io::Io;
use crate::pattern;
use crate::shell::Shell;
use regex::Regex;

pub fn egrep(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let mut v = vec!["grep".to_string(), "-E".to_string()];
    v.extend(argv[1..].iter().cloned());
    grep(sh, &v, io)
}

pub fn fgrep(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let mut v = vec!["grep".to_string(), "-F".to_string()];
    v.extend(argv[1..].iter().cloned());
    grep(sh, &v, io)
}

struct Options {
    invert: bool,
    count: bool,
    files_with: bool,
    files_without: bool,
    quiet: bool,
    only: bool,
    number: bool,
    names: bool,
    before: usize,
    after: usize,
    max: Option<usize>,
    null: bool,
    text: bool,
    skip_binary: bool,
}

/// `-5` means `-C 5`.
fn context_shorthand(argv: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for (k, a) in argv.iter().enumerate() {
        if k > 0 && a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| c.is_ascii_digit()) {
            out.push("-C".to_string());
            out.push(a[1..].to_string());
        } else {
            out.push(a.clone());
        }
    }
    out
}

pub fn grep(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let argv = context_shorthand(argv);
    let p = match opts(
        "grep",
        &argv,
        "EFGPivwxclLqsonhHrRe:f:A:B:C:m:abIZyUz",
        &[("extended-regexp", 'E'), ("fixed-strings", 'F'), ("basic-regexp", 'G'), ("perl-regexp", 'P'),
          ("ignore-case", 'i'), ("invert-match", 'v'), ("word-regexp", 'w'), ("line-regexp", 'x'), ("count", 'c'),
          ("files-with-matches", 'l'), ("files-without-match", 'L'), ("quiet", 'q'), ("silent", 'q'),
          ("no-messages", 's'), ("only-matching", 'o'), ("line-number", 'n'), ("no-filename", 'h'),
          ("with-filename", 'H'), ("recursive", 'r'), ("dereference-recursive", 'R'), ("regexp=", 'e'), ("file=", 'f'),
          ("after-context=", 'A'), ("before-context=", 'B'), ("context=", 'C'), ("max-count=", 'm'), ("text", 'a'),
          ("include=", '1'), ("exclude=", '2'), ("exclude-dir=", '3'), ("color=", '4'), ("colour=", '4'),
          ("color", '4'), ("null", 'Z'), ("line-buffered", '5'), ("binary-files=", '6'), ("no-ignore-case", '7')],
        io,
        2,
    ) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let mut operands = p.operands.clone();
    let mut patterns: Vec<String> = Vec::new();
    for e in p.values('e') {
        patterns.extend(e.split('\n').map(|s| s.to_string()));
    }
    for f in p.values('f') {
        match sh.fs.read(&f) {
            Ok(d) => patterns.extend(lines(&d).iter().map(|l| String::from_utf8_lossy(l).to_string())),
            Err(e) => {
                io.error("grep", &format!("{}: {}", f, e));
                return 2;
            }
        }
    }
    if !p.has('e') && !p.has('f') {
        if operands.is_empty() {
            io.eprint("Usage: grep [OPTION]... PATTERNS [FILE]...\n");
            return 2;
        }
        patterns.extend(operands.remove(0).split('\n').map(|s| s.to_string()));
    }
    let icase = (p.has('i') || p.has('y')) && !p.has('7');
    let fixed = p.has('F');
    let extended = p.has('E') || p.has('P');
    let mut parts = Vec::new();
    for pat in &patterns {
        let t = if fixed { regex::escape(pat) } else { pattern::translate(pat, extended) };
        parts.push(format!("(?:{})", t));
    }
    let mut body = parts.join("|");
    if patterns.is_empty() {
        body = "[^\\s\\S]".to_string(); // -f of an empty file matches nothing
    }
    if p.has('x') {
        body = format!("^(?:{})$", body);
    } else if p.has('w') {
        body = format!("\\b(?:{})\\b", body);
    }
    let re = match Regex::new(&format!("{}{}", if icase { "(?i)" } else { "" }, body)) {
        Ok(r) => r,
        Err(e) => {
            let msg = e.to_string();
            if msg.contains("backreferences") {
                io.error("grep", "back-references (\\1 in a pattern) are not supported in the sandbox");
            } else {
                io.error("grep", &format!("invalid regular expression: {}", msg.lines().last().unwrap_or("").trim()));
            }
            return 2;
        }
    };
    let ctx = p.value('C').and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
    let o = Options {
        invert: p.has('v'),
        count: p.has('c'),
        files_with: p.has('l'),
        files_without: p.has('L'),
        quiet: p.has('q'),
        only: p.has('o'),
        number: p.has('n'),
        names: false,
        before: p.value('B').and_then(|v| v.parse().ok()).unwrap_or(ctx),
        after: p.value('A').and_then(|v| v.parse().ok()).unwrap_or(ctx),
        max: p.value('m').and_then(|v| v.parse().ok()),
        null: p.has('Z'),
        text: p.has('a') || p.value('6') == Some("text"),
        skip_binary: p.has('I') || p.value('6') == Some("without-match"),
    };
    let recursive = p.has('r') || p.has('R');
    let implicit_dot = recursive && operands.is_empty();
    if implicit_dot {
        operands.push(".".to_string());
    }
    let include = p.values('1');
    let exclude = p.values('2');
    let exclude_dir = p.values('3');
    // the files to search, in order
    let mut files: Vec<String> = Vec::new();
    let mut errors = false;
    let silent = p.has('s');
    if operands.is_empty() {
        files.push("-".to_string());
    }
    for op in &operands {
        if op != "-" && sh.fs.is_dir(op) {
            if !recursive {
                if !silent {
                    io.error("grep", &format!("{}: Is a directory", op));
                }
                errors = true;
                continue;
            }
            let mut found = Vec::new();
            walk(sh, op, &include, &exclude, &exclude_dir, &mut found);
            for f in found {
                let shown = if implicit_dot { f.trim_start_matches("./").to_string() } else { f };
                files.push(shown);
            }
        } else {
            let base = op.rsplit('/').next().unwrap_or(op);
            if recursive && (!include.is_empty() || !exclude.is_empty()) && !included(base, &include, &exclude) {
                continue;
            }
            files.push(op.clone());
        }
    }
    let mut o = o;
    o.names = (files.len() > 1 || recursive) && !p.has('h') || p.has('H');
    let mut any = false;
    for f in &files {
        let data = if f == "-" {
            io.read_all()
        } else {
            match sh.fs.read(f) {
                Ok(d) => d,
                Err(e) => {
                    if !silent {
                        io.error("grep", &format!("{}: {}", f, e));
                    }
                    errors = true;
                    continue;
                }
            }
        };
        let shown = if f == "-" { "(standard input)" } else { f.as_str() };
        if search(&re, &data, shown, &o, io) {
            any = true;
            if o.quiet {
                return 0;
            }
        }
    }
    if errors && !(o.quiet && any) {
        2
    } else if any {
        0
    } else {
        1
    }
}

fn included(name: &str, include: &[String], exclude: &[String]) -> bool {
    if exclude.iter().any(|g| pattern::fnmatch(g, name)) {
        return false;
    }
    include.is_empty() || include.iter().any(|g| pattern::fnmatch(g, name))
}

fn walk(sh: &Shell, dir: &str, include: &[String], exclude: &[String], exclude_dir: &[String], out: &mut Vec<String>) {
    let entries = match sh.fs.list(dir) {
        Ok(e) => e,
        Err(_) => return,
    };
    for name in entries {
        let path = if dir.ends_with('/') { format!("{}{}", dir, name) } else { format!("{}/{}", dir, name) };
        let meta = match sh.fs.meta(&path) {
            Ok(m) => m,
            Err(_) => continue,
        };
        if meta.is_symlink {
            continue; // grep -r does not follow links it meets
        }
        if meta.is_dir {
            if exclude_dir.iter().any(|g| pattern::fnmatch(g, &name)) {
                continue;
            }
            walk(sh, &path, include, exclude, exclude_dir, out);
        } else if meta.is_file && included(&name, include, exclude) {
            out.push(path);
        }
    }
}

/// Searches one input; returns whether a line was selected.
fn search(re: &Regex, data: &[u8], name: &str, o: &Options, io: &Io) -> bool {
    let binary = !o.text && data.contains(&0);
    if binary && o.skip_binary {
        return false;
    }
    let ls = lines(data);
    let mut selected = 0usize;
    let mut out = String::new();
    let sep = if o.null { "\0" } else { ":" };
    let prefix = |n: usize, c: char| -> String {
        let mut s = String::new();
        if o.names {
            s.push_str(name);
            s.push_str(if o.null { "\0" } else { if c == ':' { ":" } else { "-" } });
        }
        if o.number {
            s.push_str(&n.to_string());
            s.push(c);
        }
        s
    };
    let mut last_printed: Option<usize> = None;
    let mut after_left = 0usize;
    let ctx = o.before > 0 || o.after > 0;
    let listing = o.count || o.files_with || o.files_without || o.quiet;
    for (i, raw) in ls.iter().enumerate() {
        if let Some(m) = o.max {
            if selected >= m {
                // trailing context after the last match still prints
                if after_left > 0 && !listing && !binary {
                    let line = String::from_utf8_lossy(raw);
                    if !(re.is_match(&line) != o.invert) {
                        out.push_str(&format!("{}{}\n", prefix(i + 1, '-'), line));
                        last_printed = Some(i);
                        after_left -= 1;
                        continue;
                    }
                }
                break;
            }
        }
        let line = String::from_utf8_lossy(raw);
        let is_match = re.is_match(&line) != o.invert;
        if !is_match {
            if after_left > 0 && !listing && !binary {
                out.push_str(&format!("{}{}\n", prefix(i + 1, '-'), line));
                last_printed = Some(i);
                after_left -= 1;
            }
            continue;
        }
        selected += 1;
        if listing || binary {
            continue;
        }
        if ctx {
            let from = i.saturating_sub(o.before);
            let from = match last_printed {
                Some(l) if l + 1 > from => l + 1,
                _ => from,
            };
            if let Some(l) = last_printed {
                if from > l + 1 {
                    out.push_str("--\n");
                }
            } else if selected > 1 || from > 0 {
                // first group: no separator
            }
            for (k, raw_before) in ls.iter().enumerate().take(i).skip(from) {
                out.push_str(&format!("{}{}\n", prefix(k + 1, '-'), String::from_utf8_lossy(raw_before)));
            }
            after_left = o.after;
        }
        if o.only && !o.invert {
            for m in re.find_iter(&line) {
                if !m.as_str().is_empty() {
                    out.push_str(&format!("{}{}\n", prefix(i + 1, ':'), m.as_str()));
                }
            }
        } else if !o.only {
            out.push_str(&format!("{}{}\n", prefix(i + 1, ':'), line));
        }
        last_printed = Some(i);
    }
    let _ = sep;
    if o.quiet {
        return selected > 0;
    }
    if o.files_with {
        if selected > 0 {
            io.print(&format!("{}{}", name, if o.null { "\0" } else { "\n" }));
        }
        return selected > 0;
    }
    if o.files_without {
        if selected == 0 {
            io.print(&format!("{}{}", name, if o.null { "\0" } else { "\n" }));
        }
        return selected > 0;
    }
    if o.count {
        if o.names {
            io.print(&format!("{}{}{}\n", name, sep, selected));
        } else {
            io.print(&format!("{}\n", selected));
        }
        return selected > 0;
    }
    if binary {
        if selected > 0 {
            io.eprint(&format!("grep: {}: binary file matches\n", name));
        }
        return selected > 0;
    }
    io.print(&out);
    selected > 0
}
