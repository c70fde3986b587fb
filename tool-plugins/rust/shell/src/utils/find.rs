//! find: tests -name -iname -path -ipath -regex -iregex -type -size -empty -newer -mtime -mmin,
//! operators ( ) ! -not -a -o, actions -print -print0 -printf -exec ... ; / + -delete -prune -quit,
//! options -maxdepth -mindepth -depth. Entries are visited in name order (GNU: directory order).

use crate::io::Io;
use crate::pattern;
use crate::shell::Shell;
use regex::Regex;
use std::time::SystemTime;

enum Cmp {
    Less(u64),
    More(u64),
    Equal(u64),
}

impl Cmp {
    fn parse(s: &str) -> Option<(Cmp, &str)> {
        let (kind, rest) = match s.chars().next()? {
            '+' => ('+', &s[1..]),
            '-' => ('-', &s[1..]),
            _ => ('=', s),
        };
        let end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        let n: u64 = rest[..end].parse().ok()?;
        let c = match kind {
            '+' => Cmp::More(n),
            '-' => Cmp::Less(n),
            _ => Cmp::Equal(n),
        };
        Some((c, &rest[end..]))
    }

    fn test(&self, v: u64) -> bool {
        match *self {
            Cmp::Less(n) => v < n,
            Cmp::More(n) => v > n,
            Cmp::Equal(n) => v == n,
        }
    }
}

enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Name(String, bool),
    Path(String, bool),
    Regex(Regex),
    Type(Vec<char>),
    Size(Cmp, u64),
    Empty,
    Newer(Option<SystemTime>),
    Age(Cmp, u64), // seconds per unit
    Print(bool),
    Printf(String),
    Exec(Vec<String>, bool),
    Delete,
    Prune,
    Quit,
    True,
    False,
}

struct Parser<'a> {
    args: &'a [String],
    i: usize,
    has_action: bool,
    max_depth: Option<usize>,
    min_depth: usize,
    depth_first: bool,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&str> {
        self.args.get(self.i).map(|s| s.as_str())
    }

    fn arg(&mut self, what: &str) -> Result<String, String> {
        self.i += 1;
        self.args.get(self.i - 1).cloned().ok_or_else(|| format!("missing argument to `{}'", what))
    }

    fn or(&mut self, sh: &Shell) -> Result<Expr, String> {
        let mut l = self.and(sh)?;
        while matches!(self.peek(), Some("-o") | Some("-or")) {
            self.i += 1;
            let r = self.and(sh)?;
            l = Expr::Or(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn and(&mut self, sh: &Shell) -> Result<Expr, String> {
        let mut l = self.not(sh)?;
        loop {
            match self.peek() {
                None | Some("-o") | Some("-or") | Some(")") => return Ok(l),
                Some("-a") | Some("-and") => self.i += 1,
                _ => {}
            }
            let r = self.not(sh)?;
            l = Expr::And(Box::new(l), Box::new(r));
        }
    }

    fn not(&mut self, sh: &Shell) -> Result<Expr, String> {
        if matches!(self.peek(), Some("!") | Some("-not")) {
            self.i += 1;
            return Ok(Expr::Not(Box::new(self.not(sh)?)));
        }
        self.primary(sh)
    }

    fn primary(&mut self, sh: &Shell) -> Result<Expr, String> {
        let a = self.arg("expression")?;
        Ok(match a.as_str() {
            "(" => {
                let e = self.or(sh)?;
                if self.peek() != Some(")") {
                    return Err("invalid expression; I was expecting to find a ')' somewhere but did not see one.".to_string());
                }
                self.i += 1;
                e
            }
            "-name" | "-iname" => Expr::Name(self.arg(&a)?, a == "-iname"),
            "-path" | "-ipath" | "-wholename" | "-iwholename" => Expr::Path(self.arg(&a)?, a.starts_with("-i")),
            "-regex" | "-iregex" => {
                let r = self.arg(&a)?;
                let t = pattern::translate(&r, true);
                let re = Regex::new(&format!("{}^(?:{})$", if a == "-iregex" { "(?i)" } else { "" }, t))
                    .map_err(|e| format!("invalid regular expression '{}': {}", r, e))?;
                Expr::Regex(re)
            }
            "-type" | "-xtype" => {
                let t = self.arg(&a)?;
                let kinds: Vec<char> = t.split(',').filter_map(|k| k.chars().next()).collect();
                for k in &kinds {
                    if !"fdlbcps".contains(*k) {
                        return Err(format!("Unknown argument to -type: {}", k));
                    }
                }
                Expr::Type(kinds)
            }
            "-size" => {
                let s = self.arg(&a)?;
                let (c, unit) = Cmp::parse(&s).ok_or_else(|| format!("invalid argument `{}' to `-size'", s))?;
                let mult = match unit {
                    "" | "b" => 512,
                    "c" => 1,
                    "w" => 2,
                    "k" => 1024,
                    "M" => 1 << 20,
                    "G" => 1 << 30,
                    _ => return Err(format!("invalid -size type `{}'", unit)),
                };
                Expr::Size(c, mult)
            }
            "-empty" => Expr::Empty,
            "-newer" => {
                let f = self.arg(&a)?;
                let m = sh.fs.meta(&f).map_err(|e| format!("'{}': {}", f, crate::vfs::error_text(&e)))?;
                Expr::Newer(m.modified)
            }
            "-mtime" | "-mmin" | "-ctime" | "-cmin" | "-atime" | "-amin" => {
                let s = self.arg(&a)?;
                let (c, _) = Cmp::parse(&s).ok_or_else(|| format!("invalid argument `{}' to `{}'", s, a))?;
                Expr::Age(c, if a.ends_with("min") { 60 } else { 86_400 })
            }
            "-print" => {
                self.has_action = true;
                Expr::Print(false)
            }
            "-print0" => {
                self.has_action = true;
                Expr::Print(true)
            }
            "-printf" => {
                self.has_action = true;
                Expr::Printf(self.arg(&a)?)
            }
            "-exec" | "-execdir" | "-ok" => {
                self.has_action = true;
                let mut cmd = Vec::new();
                loop {
                    let w = self.args.get(self.i).cloned().ok_or_else(|| format!("missing argument to `{}'", a))?;
                    self.i += 1;
                    if w == ";" {
                        break;
                    }
                    if w == "+" && cmd.last().map(|l: &String| l == "{}").unwrap_or(false) {
                        cmd.pop();
                        if cmd.is_empty() {
                            return Err(format!("missing argument to `{}'", a));
                        }
                        return Ok(Expr::Exec(cmd, true));
                    }
                    cmd.push(w);
                }
                if cmd.is_empty() {
                    return Err(format!("missing argument to `{}'", a));
                }
                Expr::Exec(cmd, false)
            }
            "-delete" => {
                self.has_action = true;
                self.depth_first = true;
                Expr::Delete
            }
            "-prune" => Expr::Prune,
            "-quit" => Expr::Quit,
            "-true" | "-readable" | "-writable" | "-nowarn" | "-xdev" | "-mount" | "-follow" | "-noleaf" => Expr::True,
            "-false" | "-executable" => Expr::False,
            "-maxdepth" | "-mindepth" => {
                let v = self.arg(&a)?;
                let n: usize = v.parse().map_err(|_| format!("Expected a positive decimal integer argument to {}, but got `{}'", a, v))?;
                if a == "-maxdepth" {
                    self.max_depth = Some(n);
                } else {
                    self.min_depth = n;
                }
                Expr::True
            }
            "-depth" | "-d" => {
                self.depth_first = true;
                Expr::True
            }
            other => return Err(format!("unknown predicate `{}'", other)),
        })
    }
}

struct Walk<'a> {
    io: &'a Io,
    out: String,
    batch: Vec<(usize, String)>,
    quit: bool,
    status: i32,
    now: i64,
}

struct Visit<'a> {
    path: &'a str,
    depth: usize,
    meta: crate::vfs::Meta,
    start: &'a str,
}

fn eval(sh: &mut Shell, e: &Expr, v: &Visit, w: &mut Walk, prune: &mut bool, batch_id: &mut usize) -> bool {
    match e {
        Expr::And(a, b) => eval(sh, a, v, w, prune, batch_id) && !w.quit && eval(sh, b, v, w, prune, batch_id),
        Expr::Or(a, b) => eval(sh, a, v, w, prune, batch_id) || (!w.quit && eval(sh, b, v, w, prune, batch_id)),
        Expr::Not(a) => !eval(sh, a, v, w, prune, batch_id),
        Expr::Name(p, ci) => {
            let t = v.path.trim_end_matches('/');
            let base = if t.is_empty() { "/" } else { t.rsplit('/').next().unwrap_or(t) };
            if *ci { pattern::fnmatch_ci(p, base) } else { pattern::fnmatch(p, base) }
        }
        Expr::Path(p, ci) => if *ci { pattern::fnmatch_ci(p, v.path) } else { pattern::fnmatch(p, v.path) },
        Expr::Regex(r) => r.is_match(v.path),
        Expr::Type(kinds) => kinds.iter().any(|k| match k {
            'f' => v.meta.is_file && !v.meta.is_symlink,
            'd' => v.meta.is_dir && !v.meta.is_symlink,
            'l' => v.meta.is_symlink,
            _ => false,
        }),
        Expr::Size(c, unit) => {
            let units = (v.meta.len + unit - 1) / unit;
            c.test(units)
        }
        Expr::Empty => {
            if v.meta.is_dir {
                sh.fs.list(v.path).map(|l| l.is_empty()).unwrap_or(false)
            } else {
                v.meta.len == 0
            }
        }
        Expr::Newer(t) => match (v.meta.modified, t) {
            (Some(m), Some(t)) => m > *t,
            _ => false,
        },
        Expr::Age(c, unit) => {
            let m = v.meta.modified.map(|m| crate::time::of(m).0).unwrap_or(0);
            let age = (w.now - m).max(0) as u64 / unit;
            c.test(age)
        }
        Expr::Print(nul) => {
            w.out.push_str(v.path);
            w.out.push(if *nul { '\0' } else { '\n' });
            true
        }
        Expr::Printf(f) => {
            w.out.push_str(&printf(f, v));
            true
        }
        Expr::Exec(cmd, batch) => {
            if *batch {
                *batch_id += 1;
                w.batch.push((*batch_id, v.path.to_string()));
                return true;
            }
            let argv: Vec<String> = cmd.iter().map(|a| a.replace("{}", v.path)).collect();
            flush(w);
            sh.run_command(&argv, w.io) == 0
        }
        Expr::Delete => {
            let r = if v.meta.is_dir && !v.meta.is_symlink { sh.fs.remove_dir(v.path) } else { sh.fs.remove_file(v.path) };
            match r {
                Ok(()) => true,
                Err(e) => {
                    w.io.error("find", &format!("cannot delete '{}': {}", v.path, e));
                    w.status = 1;
                    false
                }
            }
        }
        Expr::Prune => {
            *prune = true;
            true
        }
        Expr::Quit => {
            w.quit = true;
            true
        }
        Expr::True => true,
        Expr::False => false,
    }
}

fn printf(f: &str, v: &Visit) -> String {
    let mut out = String::new();
    let mut cs = f.chars();
    while let Some(c) = cs.next() {
        match c {
            '\\' => match cs.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('0') => out.push('\0'),
                Some('\\') => out.push('\\'),
                Some(o) => {
                    out.push('\\');
                    out.push(o);
                }
                None => out.push('\\'),
            },
            '%' => match cs.next() {
                Some('p') => out.push_str(v.path),
                Some('f') => {
                    let t = v.path.trim_end_matches('/');
                    out.push_str(t.rsplit('/').next().unwrap_or(t));
                }
                Some('P') => {
                    let rest = v.path.strip_prefix(v.start).unwrap_or(v.path);
                    out.push_str(rest.trim_start_matches('/'));
                }
                Some('h') => out.push_str(&super::files::dirname_of(v.path)),
                Some('s') => out.push_str(&v.meta.len.to_string()),
                Some('d') => out.push_str(&v.depth.to_string()),
                Some('y') => out.push(if v.meta.is_dir { 'd' } else if v.meta.is_symlink { 'l' } else { 'f' }),
                Some('T') => {
                    // %T@: modification time as seconds since the epoch
                    if let Some(k) = cs.next() {
                        let (s, n) = v.meta.modified.map(crate::time::of).unwrap_or((0, 0));
                        if k == '@' {
                            out.push_str(&format!("{}.{:010}", s, (n as u64) * 10));
                        } else {
                            out.push_str(&crate::time::format(&crate::time::civil(s, n), &format!("%{}", k)));
                        }
                    }
                }
                Some('%') => out.push('%'),
                Some(o) => {
                    out.push('%');
                    out.push(o);
                }
                None => out.push('%'),
            },
            c => out.push(c),
        }
    }
    out
}

fn flush(w: &mut Walk) {
    if !w.out.is_empty() {
        w.io.print(&w.out);
        w.out.clear();
    }
}

#[allow(clippy::too_many_arguments)]
fn visit(sh: &mut Shell, e: &Expr, path: &str, start: &str, depth: usize, p: &Parser, w: &mut Walk, batch_id: &mut usize) {
    if w.quit {
        return;
    }
    let meta = match sh.fs.meta(path) {
        Ok(m) => m,
        Err(err) => {
            w.io.error("find", &format!("'{}': {}", path, crate::vfs::error_text(&err)));
            w.status = 1;
            return;
        }
    };
    let is_dir = meta.is_dir && !meta.is_symlink;
    let mut prune = false;
    let v = Visit { path, depth, meta, start };
    let descend = is_dir && p.max_depth.map(|m| depth < m).unwrap_or(true);
    if !p.depth_first && depth >= p.min_depth {
        let r = eval(sh, e, &v, w, &mut prune, batch_id);
        if r && !p.has_action {
            w.out.push_str(path);
            w.out.push('\n');
        }
    }
    if descend && !prune {
        for n in sh.fs.list(path).unwrap_or_default() {
            let child = if path.ends_with('/') { format!("{}{}", path, n) } else { format!("{}/{}", path, n) };
            visit(sh, e, &child, start, depth + 1, p, w, batch_id);
            if w.quit {
                return;
            }
        }
    }
    if p.depth_first && depth >= p.min_depth {
        let r = eval(sh, e, &v, w, &mut prune, batch_id);
        if r && !p.has_action {
            w.out.push_str(path);
            w.out.push('\n');
        }
    }
}

fn find_exec_batches(sh: &mut Shell, e: &Expr, w: &mut Walk) {
    // every `-exec ... {} +` gets all the paths that reached it
    fn collect<'e>(e: &'e Expr, out: &mut Vec<&'e Vec<String>>) {
        match e {
            Expr::And(a, b) | Expr::Or(a, b) => {
                collect(a, out);
                collect(b, out);
            }
            Expr::Not(a) => collect(a, out),
            Expr::Exec(cmd, true) => out.push(cmd),
            _ => {}
        }
    }
    let mut cmds = Vec::new();
    collect(e, &mut cmds);
    if cmds.is_empty() || w.batch.is_empty() {
        return;
    }
    flush(w);
    let paths: Vec<String> = w.batch.iter().map(|(_, p)| p.clone()).collect();
    for cmd in cmds {
        let mut argv = cmd.clone();
        argv.extend(paths.iter().cloned());
        if sh.run_command(&argv, w.io) != 0 {
            w.status = 1;
        }
    }
}

pub fn find(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let mut i = 1;
    let mut starts = Vec::new();
    while i < argv.len() {
        let a = &argv[i];
        if a.starts_with('-') && a.len() > 1 || a == "(" || a == "!" {
            break;
        }
        starts.push(a.clone());
        i += 1;
    }
    // leading -H -L -P options
    if starts.is_empty() {
        while i < argv.len() && matches!(argv[i].as_str(), "-H" | "-L" | "-P") {
            i += 1;
        }
        while i < argv.len() && !argv[i].starts_with('-') && argv[i] != "(" && argv[i] != "!" {
            starts.push(argv[i].clone());
            i += 1;
        }
    }
    if starts.is_empty() {
        starts.push(".".to_string());
    }
    let rest = &argv[i..];
    let mut p = Parser { args: rest, i: 0, has_action: false, max_depth: None, min_depth: 0, depth_first: false };
    let expr = if rest.is_empty() {
        Expr::True
    } else {
        match p.or(sh) {
            Ok(e) => {
                if p.i < rest.len() {
                    io.error("find", &format!("unexpected argument `{}'", rest[p.i]));
                    return 1;
                }
                e
            }
            Err(e) => {
                io.error("find", &e);
                return 1;
            }
        }
    };
    let mut w = Walk { io, out: String::new(), batch: Vec::new(), quit: false, status: 0, now: crate::time::now().0 };
    let mut batch_id = 0;
    for s in &starts {
        if !sh.fs.exists(s) {
            io.error("find", &format!("'{}': No such file or directory", s));
            w.status = 1;
            continue;
        }
        visit(sh, &expr, s, s, 0, &p, &mut w, &mut batch_id);
        if w.quit {
            break;
        }
    }
    flush(&mut w);
    find_exec_batches(sh, &expr, &mut w);
    w.status
}
