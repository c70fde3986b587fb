//! The interpreter: runs the parsed tree in this one instance. Pipeline stages run one after the
//! other, each reading the previous one's whole output (there are no processes to run them side by
//! side); subshells and pipeline stages get a copy of the variables and directory.

use std::collections::{BTreeMap, BTreeSet};

use crate::io::{self, Io, Sink};
use crate::lexer;
use crate::parser::{self, AndOr, Cmd, List, Pipeline, Redir, Target};
use crate::utils;
use crate::vfs::Vfs;

pub struct Shell {
    pub fs: Vfs,
    pub vars: BTreeMap<String, String>,
    pub exported: BTreeSet<String>,
    pub positional: Vec<String>,
    pub status: i32,
    /// Set by `exit`: everything unwinds to the top.
    pub exit: Option<i32>,
    /// Pending `break`/`continue` levels.
    pub brk: u32,
    pub cont: u32,
    pub errexit: bool,
    pub pipefail: bool,
    pub last_substitution_status: Option<i32>,
    depth: u32,
}

const MAX_DEPTH: u32 = 64;

impl Shell {
    pub fn new(fs: Vfs) -> Shell {
        let mut vars = BTreeMap::new();
        let cwd = fs.cwd.clone();
        for (k, v) in [("HOME", "/"), ("PATH", "/usr/bin:/bin"), ("PWD", cwd.as_str()), ("SHELL", "/bin/sh"),
            ("LC_ALL", "C"), ("USER", "agent"), ("IFS", " \t\n")]
        {
            vars.insert(k.to_string(), v.to_string());
        }
        let exported = ["HOME", "PATH", "PWD", "SHELL", "LC_ALL", "USER"].iter().map(|s| s.to_string()).collect();
        Shell {
            fs,
            vars,
            exported,
            positional: Vec::new(),
            status: 0,
            exit: None,
            brk: 0,
            cont: 0,
            errexit: false,
            pipefail: false,
            last_substitution_status: None,
            depth: 0,
        }
    }

    pub fn var(&self, name: &str) -> String {
        self.vars.get(name).cloned().unwrap_or_default()
    }

    pub fn set_var(&mut self, name: &str, value: &str) {
        self.vars.insert(name.to_string(), value.to_string());
    }

    /// Parses and runs a script; a syntax error is reported as sh does (status 2).
    pub fn run_script(&mut self, src: &str, io: &Io) -> i32 {
        let list = match lexer::lex(src).and_then(parser::parse) {
            Ok(l) => l,
            Err(e) => {
                io.error("sh", &e);
                self.status = 2;
                return 2;
            }
        };
        if self.depth >= MAX_DEPTH {
            io.error("sh", "maximum nesting depth exceeded");
            self.status = 2;
            return 2;
        }
        self.depth += 1;
        let s = self.exec_list(&list, io);
        self.depth -= 1;
        s
    }

    /// Runs `f` with a copy of the variables, directory and options, restored afterwards.
    pub fn subshell<F: FnOnce(&mut Shell) -> i32>(&mut self, f: F) -> i32 {
        let vars = self.vars.clone();
        let exported = self.exported.clone();
        let positional = self.positional.clone();
        let cwd = self.fs.cwd.clone();
        let (errexit, pipefail) = (self.errexit, self.pipefail);
        let mut status = f(self);
        if let Some(code) = self.exit.take() {
            status = code;
        }
        self.brk = 0;
        self.cont = 0;
        self.vars = vars;
        self.exported = exported;
        self.positional = positional;
        self.fs.cwd = cwd;
        self.errexit = errexit;
        self.pipefail = pipefail;
        status
    }

    fn interrupted(&self) -> bool {
        self.exit.is_some() || self.brk > 0 || self.cont > 0
    }

    pub fn exec_list(&mut self, list: &List, io: &Io) -> i32 {
        let mut status = self.status;
        for ao in list {
            status = self.exec_and_or(ao, io);
            if self.interrupted() {
                break;
            }
        }
        status
    }

    fn exec_and_or(&mut self, ao: &AndOr, io: &Io) -> i32 {
        let mut status = self.exec_pipeline(&ao.first, io);
        let mut last_checked = ao.rest.is_empty() && !ao.first.negate;
        for (and, p) in &ao.rest {
            if self.interrupted() {
                return status;
            }
            if (*and && status == 0) || (!*and && status != 0) {
                status = self.exec_pipeline(p, io);
                last_checked = !p.negate;
            } else {
                last_checked = false;
            }
        }
        self.status = status;
        if self.errexit && status != 0 && last_checked && self.exit.is_none() {
            self.exit = Some(status);
        }
        status
    }

    fn exec_pipeline(&mut self, p: &Pipeline, io: &Io) -> i32 {
        let mut status;
        if p.cmds.len() == 1 {
            status = self.exec_cmd(&p.cmds[0], io);
        } else {
            let mut input = io.input.clone();
            let mut statuses = Vec::new();
            status = 0;
            for (k, cmd) in p.cmds.iter().enumerate() {
                let last = k == p.cmds.len() - 1;
                let out: Sink = if last { io.out.clone() } else { io::sink(io::PIPE_LIMIT) };
                let stage = Io::new(input.clone(), out.clone(), io.err.clone());
                status = self.subshell(|sh| sh.exec_cmd(cmd, &stage));
                statuses.push(status);
                if !last {
                    let dropped = out.borrow().dropped;
                    if dropped > 0 {
                        io.error("sh", &format!("a pipe holds at most {} MiB; {} bytes were dropped", io::PIPE_LIMIT >> 20, dropped));
                    }
                    input = io::source(io::take(&out));
                }
            }
            if self.pipefail {
                status = statuses.iter().rev().find(|&&s| s != 0).cloned().unwrap_or(0);
            }
        }
        if p.negate {
            status = if status == 0 { 1 } else { 0 };
        }
        self.status = status;
        status
    }

    fn exec_cmd(&mut self, cmd: &Cmd, io: &Io) -> i32 {
        let status = match cmd {
            Cmd::Simple { assigns, words, redirs } => self.exec_simple(assigns, words, redirs, io),
            Cmd::Subshell { body, redirs } => {
                self.with_redirs(redirs, io, |sh, io| sh.subshell(|sh| sh.exec_list(body, io)))
            }
            Cmd::Group { body, redirs } => self.with_redirs(redirs, io, |sh, io| sh.exec_list(body, io)),
            Cmd::If { branches, otherwise, redirs } => self.with_redirs(redirs, io, |sh, io| {
                for (cond, body) in branches {
                    let saved = sh.errexit;
                    sh.errexit = false;
                    let c = sh.exec_list(cond, io);
                    sh.errexit = saved;
                    if sh.interrupted() {
                        return c;
                    }
                    if c == 0 {
                        return sh.exec_list(body, io);
                    }
                }
                match otherwise {
                    Some(body) => sh.exec_list(body, io),
                    None => 0,
                }
            }),
            Cmd::For { var, items, body, redirs } => self.with_redirs(redirs, io, |sh, io| {
                let values = match items {
                    Some(words) => match sh.expand_words(words, io) {
                        Ok(v) => v,
                        Err(e) => {
                            io.error("sh", &e);
                            return 1;
                        }
                    },
                    None => sh.positional.clone(),
                };
                let mut status = 0;
                for v in values {
                    sh.set_var(var, &v);
                    status = sh.exec_list(body, io);
                    if sh.loop_control() {
                        break;
                    }
                }
                status
            }),
            Cmd::While { cond, body, until, redirs } => self.with_redirs(redirs, io, |sh, io| {
                let mut status = 0;
                loop {
                    let saved = sh.errexit;
                    sh.errexit = false;
                    let c = sh.exec_list(cond, io);
                    sh.errexit = saved;
                    if sh.exit.is_some() || ((c == 0) == *until) {
                        break;
                    }
                    status = sh.exec_list(body, io);
                    if sh.loop_control() {
                        break;
                    }
                }
                status
            }),
            Cmd::Case { word, arms, redirs } => self.with_redirs(redirs, io, |sh, io| {
                let value = match sh.expand_one(word, io) {
                    Ok(v) => v,
                    Err(e) => {
                        io.error("sh", &e);
                        return 1;
                    }
                };
                for (pats, body) in arms {
                    for p in pats {
                        let pat = match sh.expand_pattern(p, io) {
                            Ok(p) => p,
                            Err(e) => {
                                io.error("sh", &e);
                                return 1;
                            }
                        };
                        if crate::pattern::fnmatch(&pat, &value) {
                            return sh.exec_list(body, io);
                        }
                    }
                }
                0
            }),
        };
        self.status = status;
        status
    }

    /// After a loop body: whether to leave the loop (break, exit); consumes one level of continue.
    fn loop_control(&mut self) -> bool {
        if self.exit.is_some() {
            return true;
        }
        if self.brk > 0 {
            self.brk -= 1;
            return true;
        }
        if self.cont > 0 {
            self.cont -= 1;
            return self.cont > 0;
        }
        false
    }

    fn exec_simple(&mut self, assigns: &[(String, String)], words: &[String], redirs: &[Redir], io: &Io) -> i32 {
        self.last_substitution_status = None;
        let mut values = Vec::new();
        for (name, raw) in assigns {
            match self.expand_one(raw, io) {
                Ok(v) => values.push((name.clone(), v)),
                Err(e) => {
                    io.error("sh", &e);
                    return 1;
                }
            }
        }
        let argv = match self.expand_words(words, io) {
            Ok(a) => a,
            Err(e) => {
                io.error("sh", &e);
                return 1;
            }
        };
        if argv.is_empty() {
            for (n, v) in &values {
                self.set_var(n, v);
            }
            let sub = self.last_substitution_status.unwrap_or(0);
            return self.with_redirs(redirs, io, |_, _| sub);
        }
        // NAME=value before a command: for that command only
        let saved: Vec<(String, Option<String>, bool)> =
            values.iter().map(|(n, _)| (n.clone(), self.vars.get(n).cloned(), self.exported.contains(n))).collect();
        for (n, v) in &values {
            self.set_var(n, v);
            self.exported.insert(n.clone());
        }
        let status = self.with_redirs(redirs, io, |sh, io| sh.run_command(&argv, io));
        for (n, old, was_exported) in saved {
            match old {
                Some(v) => self.set_var(&n, &v),
                None => {
                    self.vars.remove(&n);
                }
            }
            if !was_exported {
                self.exported.remove(&n);
            }
        }
        status
    }

    /// Applies redirections, runs `f`, then writes what went to files.
    fn with_redirs<F: FnOnce(&mut Shell, &Io) -> i32>(&mut self, redirs: &[Redir], io: &Io, f: F) -> i32 {
        if redirs.is_empty() {
            return f(self, io);
        }
        let mut files: Vec<(String, Sink)> = Vec::new();
        let mut cur = io.clone();
        for r in redirs {
            if let Err(e) = self.redirect(r, &mut cur, &mut files) {
                io.error("sh", &e);
                return 1;
            }
        }
        let status = f(self, &cur);
        let mut status = status;
        for (path, buf) in files {
            let data = io::take(&buf);
            if buf.borrow().dropped > 0 {
                io.error("sh", &format!("{}: a redirected output holds at most {} MiB; the rest was dropped", path, io::PIPE_LIMIT >> 20));
                status = 1;
            }
            if let Err(e) = self.fs.write(&path, &data, true) {
                io.error("sh", &format!("{}: {}", path, e));
                status = 1;
            }
        }
        status
    }

    fn redirect(&mut self, r: &Redir, cur: &mut Io, files: &mut Vec<(String, Sink)>) -> Result<(), String> {
        let word = match &r.target {
            Target::Word(w) => self.expand_one(w, cur)?,
            Target::HereDoc { body, expand } => {
                let text = if *expand { self.expand_heredoc(body, cur)? } else { body.clone() };
                if r.fd == 0 {
                    cur.input = io::source(text.into_bytes());
                }
                return Ok(());
            }
        };
        match r.op {
            "<" | "<>" => {
                let data = self.fs.read(&word).map_err(|e| format!("{}: {}", word, e))?;
                if r.fd == 0 {
                    cur.input = io::file_source(data);
                }
            }
            "<<<" => {
                if r.fd == 0 {
                    cur.input = io::source(format!("{}\n", word).into_bytes());
                }
            }
            ">&" | "<&" if word.chars().all(|c| c.is_ascii_digit()) || word == "-" => {
                let target = match word.as_str() {
                    "1" => cur.out.clone(),
                    "2" => cur.err.clone(),
                    "-" => io::sink(0),
                    other => return Err(format!("{}: bad file descriptor", other)),
                };
                match r.fd {
                    1 => cur.out = target,
                    2 => cur.err = target,
                    0 => {}
                    n => return Err(format!("{}: bad file descriptor (only 0, 1 and 2 exist here)", n)),
                }
            }
            _ => {
                // > >> >| &> &>> and >& FILE
                let append = r.op == ">>" || r.op == "&>>";
                let both = r.op.starts_with('&') || r.op == ">&";
                let target = match word.as_str() {
                    "/dev/null" => io::sink(0),
                    "/dev/stdout" => cur.out.clone(),
                    "/dev/stderr" => cur.err.clone(),
                    _ => {
                        if word.is_empty() {
                            return Err("ambiguous redirect".to_string());
                        }
                        if self.fs.is_dir(&word) {
                            return Err(format!("{}: Is a directory", word));
                        }
                        // created (and emptied) now, as sh does before the command runs
                        self.fs.write(&word, b"", append).map_err(|e| format!("{}: {}", word, e))?;
                        let s = io::sink(io::PIPE_LIMIT);
                        files.push((word.clone(), s.clone()));
                        s
                    }
                };
                if both {
                    cur.out = target.clone();
                    cur.err = target;
                } else {
                    match r.fd {
                        1 => cur.out = target,
                        2 => cur.err = target,
                        n => return Err(format!("{}: bad file descriptor (only 0, 1 and 2 exist here)", n)),
                    }
                }
            }
        }
        Ok(())
    }

    /// Runs a built-in command or utility; anything else is not available (127).
    pub fn run_command(&mut self, argv: &[String], io: &Io) -> i32 {
        let name = argv[0].as_str();
        let name = name.strip_prefix("/usr/bin/").or_else(|| name.strip_prefix("/bin/")).unwrap_or(name);
        let status = match name {
            "cd" => self.cd(argv, io),
            "pwd" => {
                io.print(&format!("{}\n", self.fs.cwd));
                0
            }
            "export" => self.export(argv, io),
            "unset" => {
                for n in &argv[1..] {
                    if n != "-v" && n != "-f" {
                        self.vars.remove(n);
                        self.exported.remove(n);
                    }
                }
                0
            }
            "set" => self.set(argv, io),
            "exit" => {
                let code = match argv.get(1) {
                    Some(a) => a.parse::<i32>().map(|c| c & 255).unwrap_or_else(|_| {
                        io.error("sh", &format!("exit: {}: numeric argument required", a));
                        2
                    }),
                    None => self.status,
                };
                self.exit = Some(code);
                code
            }
            "break" | "continue" => {
                let n = argv.get(1).and_then(|a| a.parse::<u32>().ok()).unwrap_or(1).max(1);
                if name == "break" {
                    self.brk = n;
                } else {
                    self.cont = n;
                }
                0
            }
            "read" => self.read(argv, io),
            "shift" => {
                let n = argv.get(1).and_then(|a| a.parse::<usize>().ok()).unwrap_or(1);
                if n > self.positional.len() {
                    1
                } else {
                    self.positional.drain(..n);
                    0
                }
            }
            "eval" => {
                let src = argv[1..].join(" ");
                self.run_script(&src, io)
            }
            "sh" | "bash" => self.sh(argv, io),
            "command" | "type" | "which" => self.which(name, argv, io),
            _ => match utils::find(name) {
                Some(f) => f(self, argv, io),
                None => {
                    io.error("sh", &format!("{}: not available in the sandbox", argv[0]));
                    127
                }
            },
        };
        self.status = status;
        status
    }

    fn cd(&mut self, argv: &[String], io: &Io) -> i32 {
        let target = match argv.get(1).map(|s| s.as_str()) {
            None | Some("~") => "/".to_string(),
            Some("-") => self.var("OLDPWD"),
            Some(d) => d.to_string(),
        };
        let abs = self.fs.abs(&target);
        if !self.fs.exists(&abs) {
            io.error("sh", &format!("cd: {}: No such file or directory", target));
            return 1;
        }
        if !self.fs.is_dir(&abs) {
            io.error("sh", &format!("cd: {}: Not a directory", target));
            return 1;
        }
        let old = self.fs.cwd.clone();
        self.set_var("OLDPWD", &old);
        self.fs.cwd = abs.clone();
        self.set_var("PWD", &abs);
        if argv.get(1).map(|s| s.as_str()) == Some("-") {
            io.print(&format!("{}\n", abs));
        }
        0
    }

    fn export(&mut self, argv: &[String], io: &Io) -> i32 {
        if argv.len() == 1 || argv[1] == "-p" {
            for n in self.exported.clone() {
                io.print(&format!("export {}=\"{}\"\n", n, self.var(&n)));
            }
            return 0;
        }
        for a in &argv[1..] {
            match parser::assignment(a) {
                Some((n, v)) => {
                    self.set_var(&n, &v);
                    self.exported.insert(n);
                }
                None if parser::is_name(a) => {
                    self.exported.insert(a.clone());
                }
                None => {
                    io.error("sh", &format!("export: `{}': not a valid identifier", a));
                    return 1;
                }
            }
        }
        0
    }

    fn set(&mut self, argv: &[String], io: &Io) -> i32 {
        if argv.len() == 1 {
            for (k, v) in &self.vars {
                io.print(&format!("{}='{}'\n", k, v.replace('\'', "'\\''")));
            }
            return 0;
        }
        let mut i = 1;
        while i < argv.len() {
            let a = &argv[i];
            if a == "--" {
                self.positional = argv[i + 1..].to_vec();
                return 0;
            }
            if a == "-o" || a == "+o" {
                let on = a == "-o";
                match argv.get(i + 1).map(|s| s.as_str()) {
                    Some("pipefail") => self.pipefail = on,
                    Some("errexit") => self.errexit = on,
                    Some("nounset") | Some("xtrace") | Some("noglob") => {}
                    Some(o) => {
                        io.error("sh", &format!("set: {}: invalid option name", o));
                        return 2;
                    }
                    None => {}
                }
                i += 2;
                continue;
            }
            if let Some(flags) = a.strip_prefix('-').or_else(|| a.strip_prefix('+')) {
                let on = a.starts_with('-');
                for c in flags.chars() {
                    match c {
                        'e' => self.errexit = on,
                        'u' | 'x' | 'f' | 'v' => {}
                        _ => {
                            io.error("sh", &format!("set: -{}: invalid option", c));
                            return 2;
                        }
                    }
                }
                i += 1;
                continue;
            }
            self.positional = argv[i..].to_vec();
            return 0;
        }
        0
    }

    fn read(&mut self, argv: &[String], io: &Io) -> i32 {
        let mut raw = false;
        let mut names = Vec::new();
        let mut i = 1;
        while i < argv.len() {
            match argv[i].as_str() {
                "-r" => raw = true,
                "-p" | "-d" | "-t" | "-n" | "-u" => i += 1,
                n => names.push(n.to_string()),
            }
            i += 1;
        }
        if names.is_empty() {
            names.push("REPLY".to_string());
        }
        let line = match io.read_line() {
            Some(l) => l,
            None => {
                for n in &names {
                    self.set_var(n, "");
                }
                return 1;
            }
        };
        let mut line = String::from_utf8_lossy(&line).to_string();
        if !raw {
            line = line.replace("\\\\", "\u{0}").replace('\\', "").replace('\u{0}', "\\");
        }
        if names.len() == 1 && names[0] == "REPLY" {
            self.set_var("REPLY", &line);
            return 0;
        }
        let ifs = if self.vars.contains_key("IFS") { self.var("IFS") } else { " \t\n".to_string() };
        let fields = split_ifs(&line, &ifs, names.len());
        for (k, n) in names.iter().enumerate() {
            let v = fields.get(k).cloned().unwrap_or_default();
            self.set_var(n, &v);
        }
        0
    }

    fn sh(&mut self, argv: &[String], io: &Io) -> i32 {
        let mut i = 1;
        while i < argv.len() && argv[i].starts_with('-') && argv[i] != "-c" {
            i += 1; // -e, -x, -u: accepted
        }
        if argv.get(i).map(|s| s.as_str()) == Some("-c") {
            let src = match argv.get(i + 1) {
                Some(s) => s.clone(),
                None => {
                    io.error("sh", "-c: option requires an argument");
                    return 2;
                }
            };
            let args: Vec<String> = argv.iter().skip(i + 3).cloned().collect();
            return self.subshell(|sh| {
                sh.positional = args;
                sh.run_script(&src, io)
            });
        }
        let script = match argv.get(i) {
            Some(s) => s.clone(),
            None => {
                let src = String::from_utf8_lossy(&io.read_all()).to_string();
                return self.subshell(|sh| sh.run_script(&src, io));
            }
        };
        let src = match self.fs.read(&script) {
            Ok(d) => String::from_utf8_lossy(&d).to_string(),
            Err(e) => {
                io.error("sh", &format!("{}: {}", script, e));
                return 127;
            }
        };
        let args: Vec<String> = argv.iter().skip(i + 1).cloned().collect();
        self.subshell(|sh| {
            sh.positional = args;
            sh.run_script(&src, io)
        })
    }

    fn which(&mut self, name: &str, argv: &[String], io: &Io) -> i32 {
        let mut args: Vec<&String> = argv[1..].iter().collect();
        let verbose = name == "type" || args.first().map(|a| a.as_str()) == Some("-V");
        let query = name != "command" || matches!(args.first().map(|a| a.as_str()), Some("-v") | Some("-V"));
        if name == "command" && !query {
            // `command NAME args`: run it
            return if args.is_empty() { 0 } else { self.run_command(&argv[1..], io) };
        }
        args.retain(|a| !a.starts_with('-'));
        let mut status = 0;
        for a in args {
            let known = is_builtin(a) || utils::find(a).is_some();
            if known {
                if verbose {
                    io.print(&format!("{} is a shell builtin\n", a));
                } else if name == "which" {
                    io.print(&format!("/usr/bin/{}\n", a));
                } else {
                    io.print(&format!("{}\n", a));
                }
            } else {
                if verbose || name == "type" {
                    io.error("sh", &format!("type: {}: not found", a));
                }
                status = 1;
            }
        }
        status
    }
}

pub fn is_builtin(name: &str) -> bool {
    matches!(
        name,
        "cd" | "pwd" | "export" | "unset" | "set" | "exit" | "break" | "continue" | "read" | "shift" | "eval" | "sh"
            | "bash" | "command" | "type" | "which"
    )
}


/// Splits `line` at IFS characters into at most `max` fields, as `read` does: IFS white space
/// separates runs and is trimmed; other IFS characters separate one field each; the last field
/// takes the rest of the line.
pub fn split_ifs(line: &str, ifs: &str, max: usize) -> Vec<String> {
    let white = |c: char| (c == ' ' || c == '\t' || c == '\n') && ifs.contains(c);
    let sep = |c: char| ifs.contains(c);
    let chars: Vec<char> = line.trim_matches(|c| white(c)).chars().collect();
    let mut fields = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if fields.len() + 1 == max {
            let rest: String = chars[i..].iter().collect();
            fields.push(rest.trim_end_matches(|c| white(c)).to_string());
            return fields;
        }
        let start = i;
        while i < chars.len() && !sep(chars[i]) {
            i += 1;
        }
        fields.push(chars[start..i].iter().collect());
        // one separator: white space around at most one non-white IFS character
        while i < chars.len() && white(chars[i]) {
            i += 1;
        }
        if i < chars.len() && sep(chars[i]) && !white(chars[i]) {
            i += 1;
            while i < chars.len() && white(chars[i]) {
                i += 1;
            }
        }
    }
    fields
}
