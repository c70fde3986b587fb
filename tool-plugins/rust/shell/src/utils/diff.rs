//! diff (normal, -u/-U N, -q, -r, -N, -i, -w, -b, --label) and patch (unified diffs, -p N, -i, -R,
//! --dry-run; a file's hunks apply all or none).

use super::opts;
use crate::io::Io;
use crate::shell::Shell;
use crate::time;
use similar::{capture_diff_slices, group_diff_ops, Algorithm, DiffOp, DiffTag};

struct Side {
    name: String,
    label: String,
    lines: Vec<String>,
    newline_at_end: bool,
    binary: bool,
}

fn load(sh: &Shell, name: &str, io: &Io, absent_empty: bool) -> Option<Side> {
    let data = if name == "-" {
        io.read_all()
    } else if absent_empty && !sh.fs.exists(name) {
        Vec::new()
    } else {
        match sh.fs.read(name) {
            Ok(d) => d,
            Err(e) => {
                io.error("diff", &format!("{}: {}", name, e));
                return None;
            }
        }
    };
    let binary = data.contains(&0);
    let text = String::from_utf8_lossy(&data).to_string();
    let newline_at_end = text.is_empty() || text.ends_with('\n');
    let mut lines: Vec<String> = text.split('\n').map(|s| s.to_string()).collect();
    if text.is_empty() || text.ends_with('\n') {
        lines.pop();
    }
    let mtime = if name == "-" || !sh.fs.exists(name) {
        time::now()
    } else {
        sh.fs.meta(name).ok().and_then(|m| m.modified).map(time::of).unwrap_or((0, 0))
    };
    let stamp = time::format(&time::civil(mtime.0, mtime.1), "%Y-%m-%d %H:%M:%S.%N +0000");
    Some(Side { name: name.to_string(), label: format!("{}\t{}", name, stamp), lines, newline_at_end, binary })
}

struct Cmp {
    unified: Option<usize>,
    brief: bool,
    icase: bool,
    all_space: bool,
    space_change: bool,
}

fn key(l: &str, c: &Cmp) -> String {
    let mut s = if c.all_space {
        l.chars().filter(|ch| !ch.is_whitespace()).collect()
    } else if c.space_change {
        let mut out = String::new();
        let mut sp = false;
        for ch in l.trim_end().chars() {
            if ch == ' ' || ch == '\t' {
                sp = true;
            } else {
                if sp {
                    out.push(' ');
                }
                sp = false;
                out.push(ch);
            }
        }
        out
    } else {
        l.to_string()
    };
    if c.icase {
        s = s.to_lowercase();
    }
    s
}

fn range(start: usize, len: usize) -> String {
    // unified: "l,s" with l the first line (or the line before, when empty)
    match len {
        0 => format!("{},0", start),
        1 => format!("{}", start + 1),
        _ => format!("{},{}", start + 1, len),
    }
}

fn normal_range(start: usize, len: usize) -> String {
    match len {
        0 => format!("{}", start),
        1 => format!("{}", start + 1),
        _ => format!("{},{}", start + 1, start + len),
    }
}

/// Compares two loaded files; writes the difference and returns whether they differ.
fn diff_sides(a: &Side, b: &Side, c: &Cmp, out: &mut String) -> bool {
    if a.binary || b.binary {
        let same = a.lines == b.lines && a.newline_at_end == b.newline_at_end;
        if !same {
            out.push_str(&format!("Binary files {} and {} differ\n", a.name, b.name));
        }
        return !same;
    }
    let ka: Vec<String> = a.lines.iter().map(|l| key(l, c)).collect();
    let kb: Vec<String> = b.lines.iter().map(|l| key(l, c)).collect();
    let mut ops = capture_diff_slices(Algorithm::Myers, &ka, &kb);
    // the missing newline at the end makes the last lines differ
    if a.newline_at_end != b.newline_at_end && !a.lines.is_empty() && !b.lines.is_empty() {
        ops = fix_last_line(ops, a.lines.len(), b.lines.len());
    }
    let differs = ops.iter().any(|o| o.tag() != DiffTag::Equal);
    if !differs {
        return false;
    }
    if c.brief {
        out.push_str(&format!("Files {} and {} differ\n", a.name, b.name));
        return true;
    }
    let no_nl = |side: &Side, idx: usize| !side.newline_at_end && idx + 1 == side.lines.len();
    match c.unified {
        Some(ctx) => {
            out.push_str(&format!("--- {}\n+++ {}\n", a.label, b.label));
            for group in group_diff_ops(ops, ctx) {
                let first = group.first().map(|o| o.as_tag_tuple());
                let last = group.last().map(|o| o.as_tag_tuple());
                let (f, l) = match (first, last) {
                    (Some(f), Some(l)) => (f, l),
                    _ => continue,
                };
                let (os, oe) = (f.1.start, l.1.end);
                let (ns, ne) = (f.2.start, l.2.end);
                out.push_str(&format!("@@ -{} +{} @@\n", range(os, oe - os), range(ns, ne - ns)));
                for op in &group {
                    let (tag, or, nr) = op.as_tag_tuple();
                    match tag {
                        DiffTag::Equal => {
                            for (k, i) in or.clone().enumerate() {
                                out.push_str(&format!(" {}\n", a.lines[i]));
                                if no_nl(a, i) {
                                    out.push_str("\\ No newline at end of file\n");
                                }
                                let _ = k;
                            }
                        }
                        _ => {
                            for i in or.clone() {
                                out.push_str(&format!("-{}\n", a.lines[i]));
                                if no_nl(a, i) {
                                    out.push_str("\\ No newline at end of file\n");
                                }
                            }
                            for j in nr.clone() {
                                out.push_str(&format!("+{}\n", b.lines[j]));
                                if no_nl(b, j) {
                                    out.push_str("\\ No newline at end of file\n");
                                }
                            }
                        }
                    }
                }
            }
        }
        None => {
            // normal format: merge adjacent delete+insert into a change
            let mut k = 0;
            let ops: Vec<(DiffTag, std::ops::Range<usize>, std::ops::Range<usize>)> = ops.iter().map(|o| o.as_tag_tuple()).collect();
            while k < ops.len() {
                let (tag, or, nr) = ops[k].clone();
                if tag == DiffTag::Equal {
                    k += 1;
                    continue;
                }
                let (mut or, mut nr) = (or, nr);
                while k + 1 < ops.len() && ops[k + 1].0 != DiffTag::Equal {
                    k += 1;
                    or = or.start..ops[k].1.end;
                    nr = nr.start..ops[k].2.end;
                }
                let (ol, nl) = (or.len(), nr.len());
                let letter = if ol == 0 { 'a' } else if nl == 0 { 'd' } else { 'c' };
                let left = if ol == 0 { format!("{}", or.start) } else { normal_range(or.start, ol) };
                let right = if nl == 0 { format!("{}", nr.start) } else { normal_range(nr.start, nl) };
                out.push_str(&format!("{}{}{}\n", left, letter, right));
                for i in or.clone() {
                    out.push_str(&format!("< {}\n", a.lines[i]));
                    if no_nl(a, i) {
                        out.push_str("\\ No newline at end of file\n");
                    }
                }
                if ol > 0 && nl > 0 {
                    out.push_str("---\n");
                }
                for j in nr.clone() {
                    out.push_str(&format!("> {}\n", b.lines[j]));
                    if no_nl(b, j) {
                        out.push_str("\\ No newline at end of file\n");
                    }
                }
                k += 1;
            }
        }
    }
    true
}

/// Makes the last lines of both files a change when only one of them ends with a newline.
fn fix_last_line(ops: Vec<DiffOp>, la: usize, lb: usize) -> Vec<DiffOp> {
    let mut out = Vec::new();
    for op in ops {
        let (tag, or, nr) = op.as_tag_tuple();
        if tag == DiffTag::Equal && or.end == la && nr.end == lb {
            if or.len() > 1 {
                out.push(DiffOp::Equal { old_index: or.start, new_index: nr.start, len: or.len() - 1 });
            }
            out.push(DiffOp::Replace { old_index: la - 1, old_len: 1, new_index: lb - 1, new_len: 1 });
        } else {
            out.push(op);
        }
    }
    out
}

fn join(d: &str, n: &str) -> String {
    if d.ends_with('/') {
        format!("{}{}", d, n)
    } else {
        format!("{}/{}", d, n)
    }
}

/// Two files met in a directory comparison: their difference under a `diff -r a/f b/f` line. Returns the status.
#[allow(clippy::too_many_arguments)]
fn diff_pair(sh: &Shell, pa: &str, pb: &str, absent: bool, c: &Cmp, cmdline: &str, io: &Io, out: &mut String) -> i32 {
    match (load(sh, pa, io, absent), load(sh, pb, io, absent)) {
        (Some(sa), Some(sb)) => {
            let mut o = String::new();
            if !diff_sides(&sa, &sb, c, &mut o) {
                return 0;
            }
            if !c.brief {
                out.push_str(&format!("{} {} {}\n", cmdline, pa, pb));
            }
            out.push_str(&o);
            1
        }
        _ => 2,
    }
}

#[allow(clippy::too_many_arguments)]
fn diff_dirs(sh: &Shell, a: &str, b: &str, c: &Cmp, recursive: bool, absent: bool, cmdline: &str, io: &Io, out: &mut String) -> i32 {
    let la = sh.fs.list(a).unwrap_or_default();
    let lb = sh.fs.list(b).unwrap_or_default();
    let mut names: Vec<String> = la.iter().chain(lb.iter()).cloned().collect();
    names.sort();
    names.dedup();
    let mut status = 0;
    for n in names {
        let (pa, pb) = (join(a, &n), join(b, &n));
        let (ea, eb) = (la.contains(&n), lb.contains(&n));
        if !ea || !eb {
            if absent && !(ea && sh.fs.is_dir(&pa)) && !(eb && sh.fs.is_dir(&pb)) {
                status = status.max(diff_pair(sh, &pa, &pb, true, c, cmdline, io, out));
                continue;
            }
            out.push_str(&format!("Only in {}: {}\n", if ea { a } else { b }, n));
            status = 1;
            continue;
        }
        let (da, db) = (sh.fs.is_dir(&pa), sh.fs.is_dir(&pb));
        if da && db {
            if recursive {
                status = status.max(diff_dirs(sh, &pa, &pb, c, recursive, absent, cmdline, io, out));
            } else {
                out.push_str(&format!("Common subdirectories: {} and {}\n", pa, pb));
            }
            continue;
        }
        if da != db {
            out.push_str(&format!("File {} is a {} while file {} is a {}\n", pa, if da { "directory" } else { "regular file" }, pb, if db { "directory" } else { "regular file" }));
            status = 1;
            continue;
        }
        status = status.max(diff_pair(sh, &pa, &pb, false, c, cmdline, io, out));
    }
    status
}

pub fn diff(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts(
        "diff",
        argv,
        "uU:qrNiwbBapsc",
        &[("unified=", 'U'), ("brief", 'q'), ("recursive", 'r'), ("new-file", 'N'), ("ignore-case", 'i'),
          ("ignore-all-space", 'w'), ("ignore-space-change", 'b'), ("ignore-blank-lines", 'B'), ("text", 'a'),
          ("label=", 'L'), ("report-identical-files", 's'), ("color=", 'C'), ("color", 'C'), ("no-dereference", 'D'), ("strip-trailing-cr", 'S')],
        io,
        2,
    ) {
        Ok(p) => p,
        Err(c) => return c,
    };
    if p.has('c') {
        io.error("diff", "the context format (-c) is not supported; use -u");
        return 2;
    }
    if p.operands.len() != 2 {
        io.error("diff", if p.operands.len() < 2 { "missing operand" } else { "extra operand" });
        return 2;
    }
    let unified = if p.has('U') {
        match p.value('U').and_then(|v| v.parse().ok()) {
            Some(n) => Some(n),
            None => {
                io.error("diff", &format!("invalid context length '{}'", p.value('U').unwrap_or("")));
                return 2;
            }
        }
    } else if p.has('u') {
        Some(3)
    } else {
        None
    };
    let c = Cmp { unified, brief: p.has('q'), icase: p.has('i'), all_space: p.has('w'), space_change: p.has('b') };
    let (a, b) = (p.operands[0].clone(), p.operands[1].clone());
    let absent = p.has('N');
    let (da, db) = (sh.fs.is_dir(&a), sh.fs.is_dir(&b));
    let mut out = String::new();
    let status;
    if da && db {
        let flags: Vec<String> = argv[1..].iter().filter(|x| x.starts_with('-') && x.as_str() != "-").cloned().collect();
        let cmdline = if flags.is_empty() { "diff".to_string() } else { format!("diff {}", flags.join(" ")) };
        status = diff_dirs(sh, &a, &b, &c, p.has('r'), absent, &cmdline, io, &mut out);
    } else {
        // a directory and a file: compare with the file of the same name in the directory
        let a2 = if da { join(&a, b.rsplit('/').next().unwrap_or(&b)) } else { a.clone() };
        let b2 = if db { join(&b, a.rsplit('/').next().unwrap_or(&a)) } else { b.clone() };
        let mut sa = match load(sh, &a2, io, absent) {
            Some(s) => s,
            None => return 2,
        };
        let mut sb = match load(sh, &b2, io, absent) {
            Some(s) => s,
            None => return 2,
        };
        let labels = p.values('L');
        if let Some(l) = labels.first() {
            sa.label = l.clone();
        }
        if let Some(l) = labels.get(1) {
            sb.label = l.clone();
        }
        status = if diff_sides(&sa, &sb, &c, &mut out) {
            1
        } else {
            if p.has('s') {
                out.push_str(&format!("Files {} and {} are identical\n", a2, b2));
            }
            0
        };
    }
    io.print(&out);
    status
}

// ------------------------------------------------------------------------------------ patch

struct Hunk {
    old_start: usize,
    old: Vec<String>,
    new: Vec<String>,
    old_no_nl: bool,
    new_no_nl: bool,
}

struct FilePatch {
    old_name: String,
    new_name: String,
    hunks: Vec<Hunk>,
}

fn parse_patch(text: &str) -> Result<Vec<FilePatch>, String> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut files = Vec::new();
    let mut i = 0;
    let name = |l: &str| -> String {
        let n = l[4..].split('\t').next().unwrap_or("").trim_end();
        n.trim_matches('"').to_string()
    };
    while i < lines.len() {
        if lines[i].starts_with("--- ") && i + 1 < lines.len() && lines[i + 1].starts_with("+++ ") {
            let mut fp = FilePatch { old_name: name(lines[i]), new_name: name(lines[i + 1]), hunks: Vec::new() };
            i += 2;
            while i < lines.len() && lines[i].starts_with("@@ ") {
                let h = lines[i];
                let inner = h[3..].split(" @@").next().unwrap_or("");
                let mut parts = inner.split(' ');
                let parse_range = |s: Option<&str>| -> Result<(usize, usize), String> {
                    let s = s.ok_or("malformed hunk header")?;
                    let s = &s[1..];
                    let mut it = s.split(',');
                    let start: usize = it.next().unwrap_or("0").parse().map_err(|_| format!("malformed hunk header: {}", h))?;
                    let len: usize = match it.next() {
                        Some(l) => l.parse().map_err(|_| format!("malformed hunk header: {}", h))?,
                        None => 1,
                    };
                    Ok((start, len))
                };
                let (os, ol) = parse_range(parts.next())?;
                let (_ns, nl) = parse_range(parts.next())?;
                let mut hunk = Hunk { old_start: os, old: Vec::new(), new: Vec::new(), old_no_nl: false, new_no_nl: false };
                i += 1;
                let (mut seen_old, mut seen_new) = (0, 0);
                let mut last = ' ';
                while i < lines.len() && (seen_old < ol || seen_new < nl || lines[i].starts_with('\\')) {
                    let l = lines[i];
                    if l.starts_with('\\') {
                        match last {
                            '-' => hunk.old_no_nl = true,
                            '+' => hunk.new_no_nl = true,
                            _ => {
                                hunk.old_no_nl = true;
                                hunk.new_no_nl = true;
                            }
                        }
                        i += 1;
                        continue;
                    }
                    let (tag, body) = if l.is_empty() { (' ', "") } else { (l.chars().next().unwrap_or(' '), &l[1..]) };
                    match tag {
                        ' ' => {
                            hunk.old.push(body.to_string());
                            hunk.new.push(body.to_string());
                            seen_old += 1;
                            seen_new += 1;
                        }
                        '-' => {
                            hunk.old.push(body.to_string());
                            seen_old += 1;
                        }
                        '+' => {
                            hunk.new.push(body.to_string());
                            seen_new += 1;
                        }
                        _ => return Err(format!("malformed patch at line {}: {}", i + 1, l)),
                    }
                    last = tag;
                    i += 1;
                }
                fp.hunks.push(hunk);
            }
            files.push(fp);
            continue;
        }
        i += 1;
    }
    if files.is_empty() {
        return Err("only garbage was found in the patch input.".to_string());
    }
    Ok(files)
}

fn strip(name: &str, n: usize) -> String {
    if name == "/dev/null" {
        return name.to_string();
    }
    let parts: Vec<&str> = name.split('/').collect();
    if n >= parts.len() {
        return parts.last().unwrap_or(&"").to_string();
    }
    parts[n..].join("/")
}

pub fn patch(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts("patch", argv, "p:i:RNsfteEuo:b", &[("strip=", 'p'), ("input=", 'i'), ("reverse", 'R'), ("dry-run", 'D'), ("forward", 'N'), ("silent", 's'), ("quiet", 's'), ("force", 'f'), ("batch", 't'), ("remove-empty-files", 'E'), ("unified", 'u'), ("output=", 'o'), ("backup", 'b'), ("no-backup-if-mismatch", 'n')], io, 2) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let text = match p.value('i').or_else(|| p.operands.get(1).map(|s| s.as_str())) {
        Some(f) => match sh.fs.read(f) {
            Ok(d) => String::from_utf8_lossy(&d).to_string(),
            Err(e) => {
                io.error("patch", &format!("can't open patch file {}: {}", f, e));
                return 2;
            }
        },
        None => String::from_utf8_lossy(&io.read_all()).to_string(),
    };
    let strip_n: Option<usize> = p.value('p').and_then(|v| v.parse().ok());
    let dry = p.has('D');
    let mut files = match parse_patch(&text) {
        Ok(f) => f,
        Err(e) => {
            io.error("patch", &e);
            return 2;
        }
    };
    let mut status = 0;
    for fp in files.iter_mut() {
        if p.has('R') {
            std::mem::swap(&mut fp.old_name, &mut fp.new_name);
            for h in fp.hunks.iter_mut() {
                std::mem::swap(&mut h.old, &mut h.new);
                std::mem::swap(&mut h.old_no_nl, &mut h.new_no_nl);
            }
        }
        let sn = strip_n.unwrap_or(0);
        let (old, new) = (strip(&fp.old_name, sn), strip(&fp.new_name, sn));
        let target = if let Some(first) = p.operands.first() {
            first.clone()
        } else if old == "/dev/null" {
            new.clone()
        } else if new == "/dev/null" || sh.fs.exists(&old) {
            old.clone()
        } else if sh.fs.exists(&new) {
            new.clone()
        } else if strip_n.is_none() && (old.starts_with("a/") || new.starts_with("b/")) && sh.fs.exists(&strip(&new, 1)) {
            strip(&new, 1)
        } else {
            io.print(&format!("can't find file to patch at input line 1\nNo file to patch.  Skipping patch.\n{} out of {} hunk{} ignored\n", fp.hunks.len(), fp.hunks.len(), if fp.hunks.len() == 1 { "" } else { "s" }));
            status = 1;
            continue;
        };
        let creating = old == "/dev/null" && !sh.fs.exists(&target);
        let removing = new == "/dev/null";
        let original = if creating { String::new() } else {
            match sh.fs.read(&target) {
                Ok(d) => String::from_utf8_lossy(&d).to_string(),
                Err(e) => {
                    io.error("patch", &format!("{}: {}", target, e));
                    status = 2;
                    continue;
                }
            }
        };
        let had_nl = original.is_empty() || original.ends_with('\n');
        let mut lines: Vec<String> = original.split('\n').map(|s| s.to_string()).collect();
        if original.is_empty() || original.ends_with('\n') {
            lines.pop();
        }
        let mut final_nl = had_nl;
        io.print(&format!("{} file {}\n", if dry { "checking" } else { "patching" }, target));
        let mut failed = 0;
        let mut offset_used = false;
        let mut delta: isize = 0;
        let mut msgs = String::new();
        for (k, h) in fp.hunks.iter().enumerate() {
            let want = (h.old_start as isize - 1 + delta).max(0) as usize;
            let want = if h.old.is_empty() { (h.old_start as isize + delta).max(0) as usize } else { want };
            let fits = |at: usize| at + h.old.len() <= lines.len() && lines[at..at + h.old.len()] == h.old[..];
            let mut found = None;
            for off in 0..=lines.len() {
                if want >= off && fits(want - off) {
                    found = Some(want - off);
                    break;
                }
                if fits(want + off) {
                    found = Some(want + off);
                    break;
                }
                if want < off && want + off > lines.len() {
                    break;
                }
            }
            match found {
                Some(at) => {
                    if at != want {
                        offset_used = true;
                        let off = at as isize - want as isize;
                        msgs.push_str(&format!("Hunk #{} succeeded at {} (offset {} line{}).\n", k + 1, at + 1, off, if off.abs() == 1 { "" } else { "s" }));
                    }
                    lines.splice(at..at + h.old.len(), h.new.iter().cloned());
                    delta += h.new.len() as isize - h.old.len() as isize;
                    if at + h.new.len() == lines.len() {
                        if h.new_no_nl {
                            final_nl = false;
                        } else if h.old_no_nl || !h.new.is_empty() {
                            final_nl = true;
                        }
                    }
                }
                None => {
                    failed += 1;
                    msgs.push_str(&format!("Hunk #{} FAILED at {}.\n", k + 1, h.old_start));
                }
            }
        }
        io.print(&msgs);
        if failed > 0 {
            io.print(&format!("{} out of {} hunk{} FAILED -- {} was not changed (the sandbox's patch applies all of a file's hunks or none)\n", failed, fp.hunks.len(), if fp.hunks.len() == 1 { "" } else { "s" }, target));
            status = 1;
            continue;
        }
        if dry {
            continue;
        }
        let target_out = p.value('o').map(|s| s.to_string()).unwrap_or_else(|| target.clone());
        if (offset_used && !p.has('n')) || p.has('b') {
            // GNU keeps the original as FILE.orig when the patch did not apply exactly
            if let Err(e) = sh.fs.write(&format!("{}.orig", target), original.as_bytes(), false) {
                io.error("patch", &format!("{}.orig: {}", target, e));
            }
        }
        if removing && lines.is_empty() {
            if let Err(e) = sh.fs.remove_file(&target) {
                io.error("patch", &format!("{}: {}", target, e));
                status = 2;
            }
            continue;
        }
        let mut text = lines.join("\n");
        if final_nl && !lines.is_empty() {
            text.push('\n');
        }
        if creating {
            let parent = super::files::dirname_of(&target_out);
            let mut cur = String::new();
            for comp in sh.fs.abs(&parent).split('/').filter(|c| !c.is_empty()) {
                cur.push('/');
                cur.push_str(comp);
                if !sh.fs.is_dir(&cur) {
                    let _ = sh.fs.mkdir(&cur);
                }
            }
        }
        if let Err(e) = sh.fs.write(&target_out, text.as_bytes(), false) {
            io.error("patch", &format!("{}: {}", target_out, e));
            status = 2;
        }
    }
    status
}
