//! Files and names: ls mkdir cp mv rm rmdir touch tee basename dirname realpath stat du.

use super::{opts, Parsed};
use crate::io::Io;
use crate::shell::Shell;
use crate::time;
use crate::vfs::Meta;

fn join(dir: &str, name: &str) -> String {
    if dir.ends_with('/') {
        format!("{}{}", dir, name)
    } else {
        format!("{}/{}", dir, name)
    }
}

fn base_of(p: &str) -> &str {
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return "/";
    }
    t.rsplit('/').next().unwrap_or(t)
}

// ------------------------------------------------------------------------------------------ ls

struct Entry {
    name: String,
    path: String,
    meta: Meta,
}

fn human_size(n: u64) -> String {
    if n < 1024 {
        return n.to_string();
    }
    let units = ["K", "M", "G", "T", "P"];
    let mut v = n as f64 / 1024.0;
    let mut u = 0;
    while v >= 1024.0 && u < units.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if v < 10.0 {
        let r = (v * 10.0).ceil() / 10.0;
        if r < 10.0 {
            return format!("{:.1}{}", r, units[u]);
        }
    }
    format!("{}{}", v.ceil() as u64, units[u])
}

fn ls_sort(entries: &mut Vec<Entry>, p: &Parsed) {
    if p.has('U') || p.has('f') {
        return;
    }
    if p.has('t') {
        entries.sort_by(|a, b| b.meta.modified.cmp(&a.meta.modified).then(a.name.cmp(&b.name)));
    } else if p.has('S') {
        entries.sort_by(|a, b| b.meta.len.cmp(&a.meta.len).then(a.name.cmp(&b.name)));
    } else {
        entries.sort_by(|a, b| a.name.cmp(&b.name));
    }
    if p.has('r') {
        entries.reverse();
    }
}

fn ls_line(e: &Entry, p: &Parsed, now: i64, widths: (usize,)) -> String {
    let mut name = e.name.clone();
    if p.has('F') || p.has('p') {
        if e.meta.is_dir {
            name.push('/');
        } else if e.meta.is_symlink && p.has('F') {
            name.push('@');
        }
    }
    if !p.has('l') {
        return name;
    }
    let kind = if e.meta.is_dir { 'd' } else if e.meta.is_symlink { 'l' } else { '-' };
    let size = if p.has('h') { human_size(e.meta.len) } else { e.meta.len.to_string() };
    let (secs, _) = e.meta.modified.map(time::of).unwrap_or((0, 0));
    let c = time::civil(secs, 0);
    let recent = secs <= now + 60 && now - secs < 182 * 86_400;
    let when = if recent {
        format!("{} {:>2} {:02}:{:02}", time::MONTHS[(c.month - 1) as usize], c.day, c.hour, c.min)
    } else {
        format!("{} {:>2}  {}", time::MONTHS[(c.month - 1) as usize], c.day, c.year)
    };
    format!("{}????????? ? ? ? {:>w$} {} {}", kind, size, when, name, w = widths.0)
}

fn ls_block(sh: &Shell, io: &Io, entries: &[Entry], p: &Parsed, out: &mut String) {
    let now = time::now().0;
    let w = entries.iter().map(|e| if p.has('h') { human_size(e.meta.len).len() } else { e.meta.len.to_string().len() }).max().unwrap_or(1);
    if p.has('l') && !entries.is_empty() {
        let _ = sh;
        let _ = io;
    }
    for e in entries {
        out.push_str(&ls_line(e, p, now, (w,)));
        out.push('\n');
    }
}

pub fn ls(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts(
        "ls",
        argv,
        "aAlh1RrtSdFpUfCx",
        &[("all", 'a'), ("almost-all", 'A'), ("human-readable", 'h'), ("recursive", 'R'), ("reverse", 'r'),
          ("directory", 'd'), ("classify", 'F'), ("color=", 'c'), ("color", 'c'), ("group-directories-first", 'g')],
        io,
        2,
    ) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let operands = if p.operands.is_empty() { vec![".".to_string()] } else { p.operands.clone() };
    let mut status = 0;
    let mut files: Vec<Entry> = Vec::new();
    let mut dirs: Vec<Entry> = Vec::new();
    for op in &operands {
        match sh.fs.meta(op) {
            Ok(m) => {
                let e = Entry { name: op.clone(), path: op.clone(), meta: m };
                if e.meta.is_dir && !p.has('d') {
                    dirs.push(e);
                } else {
                    files.push(e);
                }
            }
            Err(e) => {
                io.error("ls", &format!("cannot access '{}': {}", op, crate::vfs::error_text(&e)));
                status = 2;
            }
        }
    }
    ls_sort(&mut files, &p);
    ls_sort(&mut dirs, &p);
    let mut out = String::new();
    ls_block(sh, io, &files, &p, &mut out);
    let headers = operands.len() > 1 || p.has('R') || status != 0;
    let mut first = files.is_empty();
    let mut queue: Vec<Entry> = dirs;
    while !queue.is_empty() {
        let d = queue.remove(0);
        if !first {
            out.push('\n');
        }
        first = false;
        if headers {
            out.push_str(&format!("{}:\n", d.path));
        }
        let names = match sh.fs.list(&d.path) {
            Ok(n) => n,
            Err(e) => {
                io.error("ls", &format!("cannot open directory '{}': {}", d.path, e));
                status = 2;
                continue;
            }
        };
        let mut entries = Vec::new();
        if p.has('a') || p.has('f') {
            for dot in [".", ".."] {
                if let Ok(m) = sh.fs.meta(&join(&d.path, dot)) {
                    entries.push(Entry { name: dot.to_string(), path: join(&d.path, dot), meta: m });
                }
            }
        }
        for n in names {
            if n.starts_with('.') && !(p.has('a') || p.has('A') || p.has('f')) {
                continue;
            }
            let path = join(&d.path, &n);
            if let Ok(m) = sh.fs.meta(&path) {
                entries.push(Entry { name: n, path, meta: m });
            }
        }
        ls_sort(&mut entries, &p);
        if p.has('l') {
            let blocks: u64 = entries.iter().map(|e| (e.meta.len + 1023) / 1024).sum();
            out.push_str(&format!("total {}\n", blocks));
        }
        ls_block(sh, io, &entries, &p, &mut out);
        if p.has('R') {
            let subs: Vec<Entry> = entries
                .into_iter()
                .filter(|e| e.meta.is_dir && !e.meta.is_symlink && e.name != "." && e.name != "..")
                .collect();
            for (k, s) in subs.into_iter().enumerate() {
                queue.insert(k, s);
            }
        }
    }
    io.print(&out);
    status
}

// ------------------------------------------------------------------------------- mkdir, rmdir

pub fn mkdir(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts("mkdir", argv, "pvm:", &[("parents", 'p'), ("verbose", 'v'), ("mode=", 'm')], io, 1) {
        Ok(p) => p,
        Err(c) => return c,
    };
    if p.operands.is_empty() {
        io.error("mkdir", "missing operand");
        return 1;
    }
    let mut status = 0;
    for d in &p.operands {
        if p.has('p') {
            let abs = sh.fs.abs(d);
            let mut cur = String::new();
            for comp in abs.split('/').filter(|c| !c.is_empty()) {
                cur.push('/');
                cur.push_str(comp);
                if sh.fs.is_dir(&cur) {
                    continue;
                }
                if sh.fs.exists(&cur) {
                    io.error("mkdir", &format!("cannot create directory '{}': Not a directory", d));
                    status = 1;
                    break;
                }
                if let Err(e) = sh.fs.mkdir(&cur) {
                    io.error("mkdir", &format!("cannot create directory '{}': {}", d, e));
                    status = 1;
                    break;
                }
                if p.has('v') {
                    io.print(&format!("mkdir: created directory '{}'\n", cur));
                }
            }
            continue;
        }
        if sh.fs.exists(d) {
            io.error("mkdir", &format!("cannot create directory '{}': File exists", d));
            status = 1;
            continue;
        }
        match sh.fs.mkdir(d) {
            Ok(()) => {
                if p.has('v') {
                    io.print(&format!("mkdir: created directory '{}'\n", d));
                }
            }
            Err(e) => {
                let parent = sh.fs.abs(&format!("{}/..", d));
                let e = if !sh.fs.is_dir(&parent) { "No such file or directory".to_string() } else { e };
                io.error("mkdir", &format!("cannot create directory '{}': {}", d, e));
                status = 1;
            }
        }
    }
    status
}

pub fn rmdir(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts("rmdir", argv, "pv", &[("parents", 'p'), ("verbose", 'v'), ("ignore-fail-on-non-empty", 'i')], io, 1) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let mut status = 0;
    for d in &p.operands {
        let msg = if !sh.fs.exists(d) {
            Some("No such file or directory".to_string())
        } else if !sh.fs.is_dir(d) {
            Some("Not a directory".to_string())
        } else if !sh.fs.list(d).map(|l| l.is_empty()).unwrap_or(false) {
            if p.has('i') { None } else { Some("Directory not empty".to_string()) }
        } else {
            sh.fs.remove_dir(d).err()
        };
        if let Some(m) = msg {
            io.error("rmdir", &format!("failed to remove '{}': {}", d, m));
            status = 1;
            continue;
        }
        if p.has('p') {
            // then each parent named in the operand, innermost first
            let mut cur = dirname_of(d);
            while cur != "." && cur != "/" {
                // emptiness checked first: the sandbox's WASI words ENOTEMPTY as another error
                let empty = sh.fs.list(&cur).map(|l| l.is_empty()).unwrap_or(false);
                let r = if empty { sh.fs.remove_dir(&cur) } else { Err("Directory not empty".to_string()) };
                if let Err(e) = r {
                    io.error("rmdir", &format!("failed to remove directory '{}': {}", cur, e));
                    status = 1;
                    break;
                }
                cur = dirname_of(&cur);
            }
        }
    }
    status
}

// ------------------------------------------------------------------------------------ rm

fn remove_tree(sh: &mut Shell, path: &str, io: &Io, verbose: bool) -> bool {
    let mut ok = true;
    let meta = match sh.fs.meta(path) {
        Ok(m) => m,
        Err(_) => return true,
    };
    if meta.is_dir && !meta.is_symlink {
        if let Ok(names) = sh.fs.list(path) {
            for n in names {
                if !remove_tree(sh, &join(path, &n), io, verbose) {
                    ok = false;
                    if sh.fs.read_only {
                        return false; // nothing can be removed: stop at the first refusal
                    }
                }
            }
        }
        if let Err(e) = sh.fs.remove_dir(path) {
            io.error("rm", &format!("cannot remove '{}': {}", path, e));
            return false;
        }
        if verbose {
            io.print(&format!("removed directory '{}'\n", path));
        }
        return ok;
    }
    if let Err(e) = sh.fs.remove_file(path) {
        io.error("rm", &format!("cannot remove '{}': {}", path, e));
        return false;
    }
    if verbose {
        io.print(&format!("removed '{}'\n", path));
    }
    ok
}

pub fn rm(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts("rm", argv, "rRfidvI", &[("recursive", 'r'), ("force", 'f'), ("dir", 'd'), ("verbose", 'v'), ("interactive", 'i')], io, 1) {
        Ok(p) => p,
        Err(c) => return c,
    };
    if p.operands.is_empty() {
        if p.has('f') {
            return 0;
        }
        io.error("rm", "missing operand");
        return 1;
    }
    let recursive = p.has('r') || p.has('R');
    let mut status = 0;
    for f in &p.operands {
        let abs = sh.fs.abs(f);
        if abs == "/" || base_of(f) == "." || base_of(f) == ".." {
            io.error("rm", &format!("refusing to remove '.' or '..' directory: skipping '{}'", f));
            status = 1;
            continue;
        }
        let meta = match sh.fs.meta(f) {
            Ok(m) => m,
            Err(_) => {
                if !p.has('f') {
                    io.error("rm", &format!("cannot remove '{}': No such file or directory", f));
                    status = 1;
                }
                continue;
            }
        };
        if meta.is_dir && !meta.is_symlink {
            if recursive {
                if !remove_tree(sh, f, io, p.has('v')) {
                    status = 1;
                }
            } else if p.has('d') {
                if let Err(e) = sh.fs.remove_dir(f) {
                    io.error("rm", &format!("cannot remove '{}': {}", f, e));
                    status = 1;
                }
            } else {
                io.error("rm", &format!("cannot remove '{}': Is a directory", f));
                status = 1;
            }
            continue;
        }
        match sh.fs.remove_file(f) {
            Ok(()) => {
                if p.has('v') {
                    io.print(&format!("removed '{}'\n", f));
                }
            }
            Err(e) => {
                io.error("rm", &format!("cannot remove '{}': {}", f, e));
                status = 1;
            }
        }
    }
    status
}

// ------------------------------------------------------------------------------- cp, mv

fn copy_tree(sh: &mut Shell, from: &str, to: &str, io: &Io, verbose: bool) -> bool {
    let meta = match sh.fs.meta(from) {
        Ok(m) => m,
        Err(e) => {
            io.error("cp", &format!("cannot stat '{}': {}", from, crate::vfs::error_text(&e)));
            return false;
        }
    };
    if meta.is_dir {
        if sh.fs.abs(to).starts_with(&format!("{}/", sh.fs.abs(from))) {
            io.error("cp", &format!("cannot copy a directory, '{}', into itself, '{}'", from, to));
            return false;
        }
        if !sh.fs.is_dir(to) {
            if let Err(e) = sh.fs.mkdir(to) {
                io.error("cp", &format!("cannot create directory '{}': {}", to, e));
                return false;
            }
        }
        let mut ok = true;
        for n in sh.fs.list(from).unwrap_or_default() {
            if !copy_tree(sh, &join(from, &n), &join(to, &n), io, verbose) {
                ok = false;
                if sh.fs.read_only {
                    return false;
                }
            }
        }
        return ok;
    }
    let data = match sh.fs.read(from) {
        Ok(d) => d,
        Err(e) => {
            io.error("cp", &format!("cannot open '{}' for reading: {}", from, e));
            return false;
        }
    };
    if let Err(e) = sh.fs.write(to, &data, false) {
        io.error("cp", &format!("cannot create regular file '{}': {}", to, e));
        return false;
    }
    if verbose {
        io.print(&format!("'{}' -> '{}'\n", from, to));
    }
    true
}

/// The sources and the destination of cp/mv; a destination directory takes each source's name.
fn targets(sh: &Shell, name: &str, p: &Parsed, io: &Io) -> Option<Vec<(String, String)>> {
    let mut ops = p.operands.clone();
    let dir_opt = p.value('t').map(|s| s.to_string());
    let dest = match dir_opt {
        Some(d) => d,
        None => {
            if ops.len() < 2 {
                if ops.is_empty() {
                    io.error(name, "missing file operand");
                } else {
                    io.error(name, &format!("missing destination file operand after '{}'", ops[0]));
                }
                return None;
            }
            ops.pop().unwrap_or_default()
        }
    };
    let dest_is_dir = sh.fs.is_dir(&dest) && !p.has('T');
    if ops.len() > 1 && !dest_is_dir {
        io.error(name, &format!("target '{}' is not a directory", dest));
        return None;
    }
    Some(ops.into_iter().map(|s| {
        let to = if dest_is_dir { join(&dest, base_of(&s)) } else { dest.clone() };
        (s, to)
    }).collect())
}

pub fn cp(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts("cp", argv, "rRapfivnt:Tu", &[("recursive", 'r'), ("archive", 'a'), ("force", 'f'), ("verbose", 'v'), ("no-clobber", 'n'), ("target-directory=", 't'), ("no-target-directory", 'T'), ("preserve", 'P'), ("update", 'u')], io, 1) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let pairs = match targets(sh, "cp", &p, io) {
        Some(t) => t,
        None => return 1,
    };
    let recursive = p.has('r') || p.has('R') || p.has('a');
    let mut status = 0;
    for (from, to) in pairs {
        if !sh.fs.exists(&from) {
            io.error("cp", &format!("cannot stat '{}': No such file or directory", from));
            status = 1;
            continue;
        }
        if sh.fs.is_dir(&from) && !recursive {
            io.error("cp", &format!("-r not specified; omitting directory '{}'", from));
            status = 1;
            continue;
        }
        if sh.fs.abs(&from) == sh.fs.abs(&to) {
            io.error("cp", &format!("'{}' and '{}' are the same file", from, to));
            status = 1;
            continue;
        }
        if p.has('n') && sh.fs.exists(&to) {
            continue;
        }
        if !copy_tree(sh, &from, &to, io, p.has('v')) {
            status = 1;
        }
    }
    status
}

pub fn mv(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts("mv", argv, "fivnt:Tu", &[("force", 'f'), ("verbose", 'v'), ("no-clobber", 'n'), ("target-directory=", 't'), ("no-target-directory", 'T'), ("update", 'u')], io, 1) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let pairs = match targets(sh, "mv", &p, io) {
        Some(t) => t,
        None => return 1,
    };
    let mut status = 0;
    for (from, to) in pairs {
        if !sh.fs.exists(&from) {
            io.error("mv", &format!("cannot stat '{}': No such file or directory", from));
            status = 1;
            continue;
        }
        let (fa, ta) = (sh.fs.abs(&from), sh.fs.abs(&to));
        if fa == ta {
            io.error("mv", &format!("'{}' and '{}' are the same file", from, to));
            status = 1;
            continue;
        }
        if ta.starts_with(&format!("{}/", fa)) {
            io.error("mv", &format!("cannot move '{}' to a subdirectory of itself, '{}'", from, to));
            status = 1;
            continue;
        }
        if p.has('n') && sh.fs.exists(&to) {
            continue;
        }
        if sh.fs.is_dir(&to) && !sh.fs.is_dir(&from) {
            io.error("mv", &format!("cannot overwrite directory '{}' with non-directory", to));
            status = 1;
            continue;
        }
        match sh.fs.rename(&from, &to) {
            Ok(()) => {
                if p.has('v') {
                    io.print(&format!("renamed '{}' -> '{}'\n", from, to));
                }
            }
            Err(e) => {
                io.error("mv", &format!("cannot move '{}' to '{}': {}", from, to, e));
                status = 1;
            }
        }
    }
    status
}

// --------------------------------------------------------------------------- touch, tee

pub fn touch(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts("touch", argv, "camd:r:t:h", &[("no-create", 'c'), ("date=", 'd'), ("reference=", 'r')], io, 1) {
        Ok(p) => p,
        Err(c) => return c,
    };
    if p.operands.is_empty() {
        io.error("touch", "missing file operand");
        return 1;
    }
    if p.has('d') || p.has('r') || p.has('t') {
        io.error("touch", "setting a given time (-d, -r, -t) is not supported in the sandbox; touch sets the current time");
        return 1;
    }
    let mut status = 0;
    for f in &p.operands {
        let parent = sh.fs.abs(&format!("{}/..", f));
        if !sh.fs.exists(f) && !sh.fs.is_dir(&parent) {
            if !p.has('c') {
                io.error("touch", &format!("cannot touch '{}': No such file or directory", f));
                status = 1;
            }
            continue;
        }
        if let Err(e) = sh.fs.touch(f, !p.has('c')) {
            io.error("touch", &format!("cannot touch '{}': {}", f, e));
            status = 1;
        }
    }
    status
}

pub fn tee(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts("tee", argv, "ai", &[("append", 'a'), ("ignore-interrupts", 'i')], io, 1) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let data = io.read_all();
    let mut status = 0;
    for f in &p.operands {
        if let Err(e) = sh.fs.write(f, &data, p.has('a')) {
            io.error("tee", &format!("{}: {}", f, e));
            status = 1;
        }
    }
    io.write(&data);
    status
}

// ------------------------------------------------------------------- basename, dirname, realpath

pub fn basename(_sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts("basename", argv, "as:z", &[("multiple", 'a'), ("suffix=", 's'), ("zero", 'z')], io, 1) {
        Ok(p) => p,
        Err(c) => return c,
    };
    if p.operands.is_empty() {
        io.error("basename", "missing operand");
        return 1;
    }
    let multiple = p.has('a') || p.has('s');
    let (names, suffix): (Vec<String>, Option<String>) = if multiple {
        (p.operands.clone(), p.value('s').map(|s| s.to_string()))
    } else {
        if p.operands.len() > 2 {
            io.error("basename", &format!("extra operand '{}'", p.operands[2]));
            return 1;
        }
        (vec![p.operands[0].clone()], p.operands.get(1).cloned())
    };
    for n in names {
        let mut b = base_of(&n).to_string();
        if let Some(s) = &suffix {
            if b.len() > s.len() && b.ends_with(s.as_str()) {
                b.truncate(b.len() - s.len());
            }
        }
        if n.is_empty() {
            b = String::new();
        }
        io.print(&format!("{}{}", b, if p.has('z') { "\0" } else { "\n" }));
    }
    0
}

pub fn dirname_of(p: &str) -> String {
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return if p.starts_with('/') { "/".into() } else { ".".into() };
    }
    match t.rfind('/') {
        None => ".".to_string(),
        Some(k) => {
            let d = t[..k].trim_end_matches('/');
            if d.is_empty() { "/".to_string() } else { d.to_string() }
        }
    }
}

pub fn dirname(_sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts("dirname", argv, "z", &[("zero", 'z')], io, 1) {
        Ok(p) => p,
        Err(c) => return c,
    };
    if p.operands.is_empty() {
        io.error("dirname", "missing operand");
        return 1;
    }
    for n in &p.operands {
        io.print(&format!("{}{}", dirname_of(n), if p.has('z') { "\0" } else { "\n" }));
    }
    0
}

fn relative(from_dir: &str, to: &str) -> String {
    let a: Vec<&str> = from_dir.split('/').filter(|c| !c.is_empty()).collect();
    let b: Vec<&str> = to.split('/').filter(|c| !c.is_empty()).collect();
    let common = a.iter().zip(b.iter()).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<&str> = vec![".."; a.len() - common];
    parts.extend(&b[common..]);
    if parts.is_empty() { ".".to_string() } else { parts.join("/") }
}

pub fn realpath(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts("realpath", argv, "emsqLPz", &[("canonicalize-existing", 'e'), ("canonicalize-missing", 'm'), ("strip", 's'), ("no-symlinks", 's'), ("quiet", 'q'), ("relative-to=", 'R'), ("relative-base=", 'B'), ("zero", 'z')], io, 1) {
        Ok(p) => p,
        Err(c) => return c,
    };
    if p.operands.is_empty() {
        io.error("realpath", "missing operand");
        return 1;
    }
    let mut status = 0;
    for n in &p.operands {
        let abs = sh.fs.abs(n);
        let parent = dirname_of(&abs);
        let ok = if p.has('m') { true } else if p.has('e') { sh.fs.exists(&abs) } else { sh.fs.exists(&abs) || sh.fs.is_dir(&parent) };
        if !ok {
            if !p.has('q') {
                io.error("realpath", &format!("{}: No such file or directory", n));
            }
            status = 1;
            continue;
        }
        let shown = match p.value('R') {
            Some(base) => relative(&sh.fs.abs(base), &abs),
            None => match p.value('B') {
                Some(base) if abs.starts_with(&sh.fs.abs(base)) => relative(&sh.fs.abs(base), &abs),
                _ => abs,
            },
        };
        io.print(&format!("{}{}", shown, if p.has('z') { "\0" } else { "\n" }));
    }
    status
}

// ---------------------------------------------------------------------------------- stat, du

pub fn stat(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts("stat", argv, "c:Lt", &[("format=", 'c'), ("printf=", 'c'), ("dereference", 'L')], io, 1) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let mut status = 0;
    for f in &p.operands {
        let m = match sh.fs.meta(f) {
            Ok(m) => m,
            Err(e) => {
                io.error("stat", &format!("cannot statx '{}': {}", f, crate::vfs::error_text(&e)));
                status = 1;
                continue;
            }
        };
        let (secs, nanos) = m.modified.map(time::of).unwrap_or((0, 0));
        let kind = if m.is_dir { "directory" } else if m.is_symlink { "symbolic link" } else if m.len == 0 { "regular empty file" } else { "regular file" };
        let mtime = time::format(&time::civil(secs, nanos), "%Y-%m-%d %H:%M:%S.%N +0000");
        match p.value('c') {
            Some(fmt) => {
                let mut out = String::new();
                let mut chars = fmt.chars();
                while let Some(c) = chars.next() {
                    if c != '%' {
                        out.push(c);
                        continue;
                    }
                    match chars.next() {
                        Some('s') => out.push_str(&m.len.to_string()),
                        Some('n') => out.push_str(f),
                        Some('N') => out.push_str(&format!("'{}'", f)),
                        Some('F') => out.push_str(kind),
                        Some('Y') => out.push_str(&secs.to_string()),
                        Some('y') => out.push_str(&mtime),
                        Some('%') => out.push('%'),
                        Some(o) => {
                            out.push('?');
                            let _ = o;
                        }
                        None => out.push('%'),
                    }
                }
                io.print(&format!("{}\n", out));
            }
            None => io.print(&format!("  File: {}\n  Size: {}\t{}\nModify: {}\n", f, m.len, kind, mtime)),
        }
    }
    status
}

fn du_size(sh: &Shell, path: &str, depth: usize, max_depth: Option<usize>, all: bool, human: bool, out: &mut String) -> u64 {
    let m = match sh.fs.meta(path) {
        Ok(m) => m,
        Err(_) => return 0,
    };
    let own = (m.len + 1023) / 1024;
    if !m.is_dir || m.is_symlink {
        return own;
    }
    let mut total = 4; // a directory's own block, as ext4 reports it
    for n in sh.fs.list(path).unwrap_or_default() {
        let child = join(path, &n);
        let is_dir = sh.fs.is_dir(&child);
        let s = du_size(sh, &child, depth + 1, max_depth, all, human, out);
        if !is_dir && all && max_depth.map(|d| depth + 1 <= d).unwrap_or(true) {
            out.push_str(&format!("{}\t{}\n", if human { human_size(s * 1024) } else { s.to_string() }, child));
        }
        total += s;
    }
    if max_depth.map(|d| depth <= d).unwrap_or(true) {
        out.push_str(&format!("{}\t{}\n", if human { human_size(total * 1024) } else { total.to_string() }, path));
    }
    total
}

pub fn du(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let p = match opts("du", argv, "shacd:kb", &[("summarize", 's'), ("human-readable", 'h'), ("all", 'a'), ("total", 'c'), ("max-depth=", 'd')], io, 1) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let operands = if p.operands.is_empty() { vec![".".to_string()] } else { p.operands.clone() };
    let max_depth = if p.has('s') { Some(0) } else { p.value('d').and_then(|v| v.parse().ok()) };
    let mut grand = 0;
    let mut status = 0;
    for o in &operands {
        if !sh.fs.exists(o) {
            io.error("du", &format!("cannot access '{}': No such file or directory", o));
            status = 1;
            continue;
        }
        let mut out = String::new();
        let s = du_size(sh, o, 0, max_depth, p.has('a'), p.has('h'), &mut out);
        if !sh.fs.is_dir(o) {
            out.push_str(&format!("{}\t{}\n", if p.has('h') { human_size(s * 1024) } else { s.to_string() }, o));
        }
        grand += s;
        io.print(&out);
    }
    if p.has('c') {
        io.print(&format!("{}\ttotal\n", if p.has('h') { human_size(grand * 1024) } else { grand.to_string() }));
    }
    status
}
