//! sed (GNU behaviour): -n -e -f -E/-r -i[SUFFIX] -s; addresses N, $, /re/, \cREc, first~step,
//! addr1,addr2, addr,+N, `!`; commands s y d D p P n N q Q a i c = h H g G x b t T : { } r l.

use crate::io::Io;
use crate::pattern;
use crate::shell::Shell;
use regex::Regex;

#[derive(Clone)]
enum Addr {
    Line(usize),
    Last,
    Re(Option<Regex>), // None: the last regex used
    Step(usize, usize),
    Plus(usize),
}

#[derive(Clone)]
enum Op {
    Subst { re: Option<Regex>, rep: String, global: bool, nth: usize, print: bool },
    Translate(Vec<char>, Vec<char>),
    Delete,
    DeleteFirst,
    Print,
    PrintFirst,
    Next,
    NextAppend,
    Quit(i32, bool),
    Append(String),
    Insert(String),
    Change(String),
    LineNumber,
    Hold,
    HoldAppend,
    Get,
    GetAppend,
    Exchange,
    Branch(String, u8), // 0: b, 1: t, 2: T
    Label,
    Block(usize),
    End,
    ReadFile(String),
    List,
}

#[derive(Clone)]
struct Cmd {
    a1: Option<Addr>,
    a2: Option<Addr>,
    negate: bool,
    op: Op,
    label: String,
}

struct Parser<'a> {
    s: Vec<char>,
    i: usize,
    extended: bool,
    _p: std::marker::PhantomData<&'a ()>,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).cloned()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(' ') | Some('\t')) {
            self.i += 1;
        }
    }

    /// Text up to the unescaped delimiter `d` (the delimiter itself may be escaped as `\d`).
    fn delimited(&mut self, d: char, keep_escapes: bool) -> Result<String, String> {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            self.i += 1;
            if c == d {
                return Ok(out);
            }
            if c == '\\' {
                match self.peek() {
                    Some(n) if n == d => {
                        self.i += 1;
                        out.push(n);
                    }
                    Some('n') if !keep_escapes => {
                        self.i += 1;
                        out.push('\n');
                    }
                    Some(n) => {
                        self.i += 1;
                        out.push('\\');
                        out.push(n);
                    }
                    None => out.push('\\'),
                }
                continue;
            }
            if c == '\n' && !keep_escapes {
                return Err(format!("unterminated `{}' command", 's'));
            }
            out.push(c);
        }
        Err("unterminated address regex".to_string())
    }

    fn regex(&mut self, d: char, icase_flag_follows: bool) -> Result<Option<Regex>, String> {
        let re = self.delimited(d, true)?;
        let mut icase = false;
        if icase_flag_follows {
            while let Some(c) = self.peek() {
                if c == 'I' {
                    icase = true;
                    self.i += 1;
                } else if c == 'M' {
                    self.i += 1;
                } else {
                    break;
                }
            }
        }
        if re.is_empty() {
            return Ok(None);
        }
        pattern::compile(&re, self.extended, icase).map(Some)
    }

    fn number(&mut self) -> usize {
        let st = self.i;
        while matches!(self.peek(), Some(c) if c.is_ascii_digit()) {
            self.i += 1;
        }
        self.s[st..self.i].iter().collect::<String>().parse().unwrap_or(0)
    }

    fn addr(&mut self) -> Result<Option<Addr>, String> {
        match self.peek() {
            Some(c) if c.is_ascii_digit() => {
                let n = self.number();
                if self.peek() == Some('~') {
                    self.i += 1;
                    let step = self.number();
                    return Ok(Some(Addr::Step(n, step)));
                }
                Ok(Some(Addr::Line(n)))
            }
            Some('$') => {
                self.i += 1;
                Ok(Some(Addr::Last))
            }
            Some('/') => {
                self.i += 1;
                Ok(Some(Addr::Re(self.regex('/', true)?)))
            }
            Some('\\') => {
                self.i += 1;
                let d = self.peek().ok_or("unexpected end of script")?;
                self.i += 1;
                Ok(Some(Addr::Re(self.regex(d, true)?)))
            }
            Some('+') => {
                self.i += 1;
                Ok(Some(Addr::Plus(self.number())))
            }
            _ => Ok(None),
        }
    }

    /// Text of a/i/c: `a text`, `a\` newline `text`, continued by a trailing backslash.
    fn text(&mut self) -> String {
        self.skip_ws();
        if self.peek() == Some('\\') {
            self.i += 1;
            if self.peek() == Some('\n') {
                self.i += 1;
            }
        }
        let mut out = String::new();
        while let Some(c) = self.peek() {
            self.i += 1;
            if c == '\\' {
                match self.peek() {
                    Some('\n') => {
                        self.i += 1;
                        out.push('\n');
                    }
                    Some('t') => {
                        self.i += 1;
                        out.push('\t');
                    }
                    Some(n) => {
                        self.i += 1;
                        out.push(n);
                    }
                    None => {}
                }
                continue;
            }
            if c == '\n' {
                break;
            }
            out.push(c);
        }
        out
    }

    fn label(&mut self) -> String {
        self.skip_ws();
        let st = self.i;
        while matches!(self.peek(), Some(c) if c != ';' && c != '\n' && c != '}') {
            self.i += 1;
        }
        self.s[st..self.i].iter().collect::<String>().trim().to_string()
    }

    fn parse(&mut self) -> Result<Vec<Cmd>, String> {
        let mut cmds: Vec<Cmd> = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        loop {
            while matches!(self.peek(), Some(' ') | Some('\t') | Some('\n') | Some(';')) {
                self.i += 1;
            }
            let c0 = match self.peek() {
                None => break,
                Some(c) => c,
            };
            if c0 == '#' {
                while matches!(self.peek(), Some(c) if c != '\n') {
                    self.i += 1;
                }
                continue;
            }
            let a1 = self.addr()?;
            let mut a2 = None;
            if a1.is_some() && self.peek() == Some(',') {
                self.i += 1;
                a2 = self.addr()?;
                if a2.is_none() {
                    return Err("unexpected `,'".to_string());
                }
            }
            self.skip_ws();
            let mut negate = false;
            while self.peek() == Some('!') {
                negate = true;
                self.i += 1;
                self.skip_ws();
            }
            let c = self.peek().ok_or("missing command")?;
            self.i += 1;
            let mut label = String::new();
            let op = match c {
                's' => {
                    let d = self.peek().ok_or("unterminated `s' command")?;
                    self.i += 1;
                    let re_src = self.delimited(d, true)?;
                    let rep = self.delimited(d, true).map_err(|_| "unterminated `s' command".to_string())?;
                    let (mut global, mut nth, mut print, mut icase) = (false, 1, false, false);
                    loop {
                        match self.peek() {
                            Some('g') => global = true,
                            Some('p') => print = true,
                            Some('i') | Some('I') => icase = true,
                            Some('m') | Some('M') | Some('e') => {}
                            Some(c) if c.is_ascii_digit() => {
                                nth = self.number();
                                continue;
                            }
                            Some('w') => return Err("the `w' flag (writing a file from sed) is not supported".to_string()),
                            _ => break,
                        }
                        self.i += 1;
                    }
                    let re = if re_src.is_empty() { None } else { Some(pattern::compile(&re_src, self.extended, icase)?) };
                    Op::Subst { re, rep, global, nth: nth.max(1), print }
                }
                'y' => {
                    let d = self.peek().ok_or("unterminated `y' command")?;
                    self.i += 1;
                    let a: Vec<char> = unescape(&self.delimited(d, false)?).chars().collect();
                    let b: Vec<char> = unescape(&self.delimited(d, false)?).chars().collect();
                    if a.len() != b.len() {
                        return Err("strings for `y' command are different lengths".to_string());
                    }
                    Op::Translate(a, b)
                }
                'd' => Op::Delete,
                'D' => Op::DeleteFirst,
                'p' => Op::Print,
                'P' => Op::PrintFirst,
                'n' => Op::Next,
                'N' => Op::NextAppend,
                'q' | 'Q' => {
                    self.skip_ws();
                    let code = if matches!(self.peek(), Some(c) if c.is_ascii_digit()) { self.number() as i32 } else { 0 };
                    Op::Quit(code, c == 'q')
                }
                'a' => Op::Append(self.text()),
                'i' => Op::Insert(self.text()),
                'c' => Op::Change(self.text()),
                '=' => Op::LineNumber,
                'h' => Op::Hold,
                'H' => Op::HoldAppend,
                'g' => Op::Get,
                'G' => Op::GetAppend,
                'x' => Op::Exchange,
                'l' => Op::List,
                'b' | 't' | 'T' => {
                    label = self.label();
                    Op::Branch(label.clone(), match c { 'b' => 0, 't' => 1, _ => 2 })
                }
                ':' => {
                    label = self.label();
                    if label.is_empty() {
                        return Err("\":\" lacks a label".to_string());
                    }
                    Op::Label
                }
                'r' | 'R' => Op::ReadFile(self.text()),
                'w' | 'W' => return Err("the `w' command (writing a file from sed) is not supported".to_string()),
                '{' => {
                    open.push(cmds.len());
                    Op::Block(0)
                }
                '}' => {
                    let start = open.pop().ok_or("unexpected `}'")?;
                    let end = cmds.len();
                    cmds[start].op = Op::Block(end);
                    Op::End
                }
                other => return Err(format!("unknown command: `{}'", other)),
            };
            let opens_block = matches!(op, Op::Block(_));
            cmds.push(Cmd { a1, a2, negate, op, label });
            self.skip_ws();
            if opens_block {
                continue;
            }
            match self.peek() {
                None | Some(';') | Some('\n') | Some('}') | Some('#') => {}
                Some(c) => return Err(format!("extra characters after command (`{}')", c)),
            }
        }
        if !open.is_empty() {
            return Err("unmatched `{'".to_string());
        }
        Ok(cmds)
    }
}

fn unescape(s: &str) -> String {
    s.replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")
}

struct Run<'a> {
    cmds: &'a [Cmd],
    lines: Vec<String>,
    /// Index of the next line to read.
    next: usize,
    line_no: usize,
    quiet: bool,
    last_re: Option<Regex>,
    active: Vec<bool>,
    range_end: Vec<usize>,
    out: String,
    quit: Option<i32>,
    /// Whether the input ended with a newline (kept as GNU does).
    final_newline: bool,
}

impl<'a> Run<'a> {
    fn is_last(&self) -> bool {
        self.next >= self.lines.len()
    }

    fn re_match(&mut self, re: &Option<Regex>, text: &str) -> Result<bool, String> {
        match re {
            Some(r) => {
                self.last_re = Some(r.clone());
                Ok(r.is_match(text))
            }
            None => match &self.last_re {
                Some(r) => Ok(r.is_match(text)),
                None => Err("no previous regular expression".to_string()),
            },
        }
    }

    fn addr_match(&mut self, a: &Addr, ps: &str) -> Result<bool, String> {
        Ok(match a {
            Addr::Line(n) => self.line_no == *n,
            Addr::Last => self.is_last(),
            Addr::Re(r) => self.re_match(r, ps)?,
            Addr::Step(first, step) => {
                if *step == 0 {
                    self.line_no == *first
                } else {
                    self.line_no >= *first && (self.line_no - first) % step == 0
                }
            }
            Addr::Plus(_) => false,
        })
    }

    fn selected(&mut self, k: usize, ps: &str) -> Result<bool, String> {
        let c = &self.cmds[k];
        let m = match (&c.a1, &c.a2) {
            (None, _) => true,
            (Some(a1), None) => {
                let a1 = a1.clone();
                self.addr_match(&a1, ps)?
            }
            (Some(a1), Some(a2)) => {
                let (a1, a2) = (a1.clone(), a2.clone());
                if self.active[k] {
                    let end = match a2 {
                        Addr::Line(n) => self.line_no >= n,
                        Addr::Plus(_) => self.line_no >= self.range_end[k],
                        ref a => self.addr_match(a, ps)?,
                    };
                    if end {
                        self.active[k] = false;
                    }
                    true
                } else if self.addr_match(&a1, ps)? {
                    match a2 {
                        Addr::Line(n) => self.active[k] = n > self.line_no,
                        Addr::Plus(n) => {
                            self.range_end[k] = self.line_no + n;
                            self.active[k] = n > 0;
                        }
                        _ => self.active[k] = !self.is_last(),
                    }
                    true
                } else {
                    false
                }
            }
        };
        Ok(m != c.negate)
    }

    fn emit(&mut self, s: &str) {
        self.out.push_str(s);
        self.out.push('\n');
    }

    fn run(&mut self) -> Result<(), String> {
        let mut hold = String::new();
        'cycle: while self.next < self.lines.len() {
            let mut ps = self.lines[self.next].clone();
            self.next += 1;
            self.line_no += 1;
            let mut appended: Vec<String> = Vec::new();
            let mut substituted = false;
            let mut pc = 0;
            let mut restart_without_read = false;
            loop {
                let mut autoprint = !self.quiet;
                let mut deleted = false;
                while pc < self.cmds.len() {
                    if !self.selected(pc, &ps)? {
                        pc = match self.cmds[pc].op {
                            Op::Block(end) => end + 1,
                            _ => pc + 1,
                        };
                        continue;
                    }
                    let op = self.cmds[pc].op.clone();
                    pc += 1;
                    match op {
                        Op::Subst { re, rep, global, nth, print } => {
                            let r = match re {
                                Some(r) => {
                                    self.last_re = Some(r.clone());
                                    r
                                }
                                None => self.last_re.clone().ok_or("no previous regular expression")?,
                            };
                            if let Some(new) = substitute(&r, &ps, &rep, global, nth) {
                                ps = new;
                                substituted = true;
                                if print {
                                    let p = ps.clone();
                                    self.emit(&p);
                                }
                            }
                        }
                        Op::Translate(a, b) => {
                            ps = ps.chars().map(|c| a.iter().position(|&x| x == c).map(|k| b[k]).unwrap_or(c)).collect();
                        }
                        Op::Delete => {
                            deleted = true;
                            break;
                        }
                        Op::DeleteFirst => {
                            match ps.find('\n') {
                                Some(k) => {
                                    ps = ps[k + 1..].to_string();
                                    restart_without_read = true;
                                }
                                None => {}
                            }
                            deleted = true;
                            break;
                        }
                        Op::Print => {
                            let p = ps.clone();
                            self.emit(&p);
                        }
                        Op::PrintFirst => {
                            let p = ps.split('\n').next().unwrap_or("").to_string();
                            self.emit(&p);
                        }
                        Op::Next => {
                            if self.is_last() {
                                break;
                            }
                            if !self.quiet {
                                let p = ps.clone();
                                self.emit(&p);
                            }
                            for a in appended.drain(..) {
                                self.out.push_str(&a);
                            }
                            ps = self.lines[self.next].clone();
                            self.next += 1;
                            self.line_no += 1;
                        }
                        Op::NextAppend => {
                            if self.is_last() {
                                break; // GNU prints the pattern space when there is no next line
                            }
                            ps.push('\n');
                            ps.push_str(&self.lines[self.next]);
                            self.next += 1;
                            self.line_no += 1;
                        }
                        Op::Quit(code, print) => {
                            self.quit = Some(code);
                            autoprint = autoprint && print;
                            break;
                        }
                        Op::Append(t) => appended.push(format!("{}\n", t)),
                        Op::Insert(t) => self.emit(&t),
                        Op::Change(t) => {
                            let in_range = self.cmds[pc - 1].a2.is_some() && self.active[pc - 1];
                            if !in_range {
                                self.emit(&t);
                            }
                            deleted = true;
                            break;
                        }
                        Op::LineNumber => {
                            let n = self.line_no.to_string();
                            self.emit(&n);
                        }
                        Op::Hold => hold = ps.clone(),
                        Op::HoldAppend => {
                            hold.push('\n');
                            hold.push_str(&ps);
                        }
                        Op::Get => ps = hold.clone(),
                        Op::GetAppend => {
                            ps.push('\n');
                            ps.push_str(&hold);
                        }
                        Op::Exchange => std::mem::swap(&mut ps, &mut hold),
                        Op::Branch(label, kind) => {
                            let jump = match kind {
                                0 => true,
                                1 => std::mem::replace(&mut substituted, false),
                                _ => !std::mem::replace(&mut substituted, false),
                            };
                            if jump {
                                if label.is_empty() {
                                    pc = self.cmds.len();
                                } else {
                                    pc = self
                                        .cmds
                                        .iter()
                                        .position(|c| matches!(c.op, Op::Label) && c.label == label)
                                        .ok_or_else(|| format!("can't find label for jump to `{}'", label))?;
                                }
                            }
                        }
                        Op::ReadFile(f) => appended.push(format!("\u{0}{}", f)),
                        Op::List => {
                            let mut l = String::new();
                            for c in ps.chars() {
                                match c {
                                    '\t' => l.push_str("\\t"),
                                    '\\' => l.push_str("\\\\"),
                                    '\n' => l.push_str("\\n"),
                                    c if (c as u32) < 32 => l.push_str(&format!("\\{:03o}", c as u32)),
                                    c => l.push(c),
                                }
                            }
                            l.push('$');
                            self.emit(&l);
                        }
                        Op::Label | Op::Block(_) | Op::End => {}
                    }
                }
                if !deleted && autoprint {
                    let p = ps.clone();
                    self.emit(&p);
                }
                for a in appended.drain(..) {
                    if let Some(f) = a.strip_prefix('\u{0}') {
                        self.out.push_str(&format!("\u{0}{}\u{0}", f));
                    } else {
                        self.out.push_str(&a);
                    }
                }
                if self.quit.is_some() {
                    break 'cycle;
                }
                if restart_without_read && !ps.is_empty() {
                    restart_without_read = false;
                    pc = 0;
                    continue;
                }
                break;
            }
        }
        Ok(())
    }
}

/// One `s` on the pattern space: the nth match, or every one from the nth with `g`.
fn substitute(re: &Regex, ps: &str, rep: &str, global: bool, nth: usize) -> Option<String> {
    let mut out = String::new();
    let mut last = 0;
    let mut count = 0;
    let mut changed = false;
    for caps in re.captures_iter(ps) {
        let m = caps.get(0)?;
        count += 1;
        if count < nth {
            continue;
        }
        out.push_str(&ps[last..m.start()]);
        out.push_str(&expand_replacement(rep, &caps));
        last = m.end();
        changed = true;
        if !global {
            break;
        }
    }
    if !changed {
        return None;
    }
    out.push_str(&ps[last..]);
    Some(out)
}

fn expand_replacement(rep: &str, caps: &regex::Captures) -> String {
    #[derive(Clone, Copy, PartialEq)]
    enum Case {
        None,
        Upper,
        Lower,
    }
    let mut out = String::new();
    let mut case = Case::None;
    let mut one: Option<bool> = None; // \u / \l for the next character
    let push = |out: &mut String, s: &str, case: Case, one: &mut Option<bool>| {
        for c in s.chars() {
            let c2: String = match one.take() {
                Some(true) => c.to_uppercase().collect(),
                Some(false) => c.to_lowercase().collect(),
                None => match case {
                    Case::Upper => c.to_uppercase().collect(),
                    Case::Lower => c.to_lowercase().collect(),
                    Case::None => c.to_string(),
                },
            };
            out.push_str(&c2);
        }
    };
    let cs: Vec<char> = rep.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        if c == '&' {
            push(&mut out, caps.get(0).map(|m| m.as_str()).unwrap_or(""), case, &mut one);
        } else if c == '\\' && i + 1 < cs.len() {
            i += 1;
            match cs[i] {
                d if d.is_ascii_digit() => {
                    let k = d.to_digit(10).unwrap_or(0) as usize;
                    push(&mut out, caps.get(k).map(|m| m.as_str()).unwrap_or(""), case, &mut one);
                }
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'U' => case = Case::Upper,
                'L' => case = Case::Lower,
                'E' => case = Case::None,
                'u' => one = Some(true),
                'l' => one = Some(false),
                '\n' => out.push('\n'),
                other => push(&mut out, &other.to_string(), case, &mut one),
            }
        } else {
            push(&mut out, &c.to_string(), case, &mut one);
        }
        i += 1;
    }
    out
}

pub fn sed(sh: &mut Shell, argv: &[String], io: &Io) -> i32 {
    let mut scripts: Vec<String> = Vec::new();
    let mut files: Vec<String> = Vec::new();
    let (mut quiet, mut extended, mut separate) = (false, false, false);
    let mut in_place: Option<String> = None;
    let mut i = 1;
    let mut only_files = false;
    while i < argv.len() {
        let a = argv[i].clone();
        i += 1;
        if only_files || a == "-" || !a.starts_with('-') {
            files.push(a);
            continue;
        }
        match a.as_str() {
            "--" => only_files = true,
            "-n" | "--quiet" | "--silent" => quiet = true,
            "-E" | "-r" | "--regexp-extended" => extended = true,
            "-s" | "--separate" => separate = true,
            "-u" | "--unbuffered" | "--posix" | "-z" => {}
            "-e" | "--expression" | "-f" | "--file" => {
                let v = match argv.get(i) {
                    Some(v) => v.clone(),
                    None => {
                        io.error("sed", &format!("option requires an argument -- '{}'", a.trim_start_matches('-')));
                        return 1;
                    }
                };
                i += 1;
                if a == "-f" || a == "--file" {
                    match sh.fs.read(&v) {
                        Ok(d) => scripts.push(String::from_utf8_lossy(&d).to_string()),
                        Err(e) => {
                            io.error("sed", &format!("couldn't open file {}: {}", v, e));
                            return 1;
                        }
                    }
                } else {
                    scripts.push(v);
                }
            }
            _ if a.starts_with("--expression=") => scripts.push(a["--expression=".len()..].to_string()),
            _ if a.starts_with("--in-place") => in_place = Some(a.trim_start_matches("--in-place").trim_start_matches('=').to_string()),
            _ if a.starts_with("-i") => in_place = Some(a[2..].to_string()),
            _ => {
                // combined short flags such as -ne, -nE, -Ei
                let flags: Vec<char> = a[1..].chars().collect();
                let mut k = 0;
                while k < flags.len() {
                    match flags[k] {
                        'n' => quiet = true,
                        'E' | 'r' => extended = true,
                        's' => separate = true,
                        'u' | 'z' => {}
                        'i' => {
                            in_place = Some(flags[k + 1..].iter().collect());
                            break;
                        }
                        'e' => {
                            match argv.get(i) {
                                Some(v) => scripts.push(v.clone()),
                                None => {
                                    io.error("sed", "option requires an argument -- 'e'");
                                    return 1;
                                }
                            }
                            i += 1;
                        }
                        c => {
                            io.error("sed", &format!("invalid option -- '{}'", c));
                            return 1;
                        }
                    }
                    k += 1;
                }
            }
        }
    }
    if scripts.is_empty() {
        if files.is_empty() {
            io.eprint("Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n");
            return 1;
        }
        scripts.push(files.remove(0));
    }
    let script = scripts.join("\n");
    let mut parser = Parser { s: script.chars().collect(), i: 0, extended, _p: std::marker::PhantomData };
    let cmds = match parser.parse() {
        Ok(c) => c,
        Err(e) => {
            io.error("sed", &format!("-e expression #1, char {}: {}", parser.i, e));
            return 1;
        }
    };
    if in_place.is_some() && files.is_empty() {
        io.error("sed", "no input files");
        return 1;
    }
    let mut status = 0;
    // -i and -s: each file on its own; otherwise one stream
    let groups: Vec<Vec<String>> = if in_place.is_some() || separate {
        files.iter().map(|f| vec![f.clone()]).collect()
    } else if files.is_empty() {
        vec![vec!["-".to_string()]]
    } else {
        vec![files.clone()]
    };
    for group in groups {
        let mut text = String::new();
        let mut ok = true;
        for f in &group {
            let data = if f == "-" {
                io.read_all()
            } else {
                if sh.fs.is_dir(f) {
                    io.error("sed", &format!("couldn't edit {}: not a regular file", f));
                    status = 4;
                    ok = false;
                    continue;
                }
                match sh.fs.read(f) {
                    Ok(d) => d,
                    Err(e) => {
                        io.error("sed", &format!("can't read {}: {}", f, e));
                        status = 2;
                        ok = false;
                        continue;
                    }
                }
            };
            let s = String::from_utf8_lossy(&data).to_string();
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str(&s);
        }
        if !ok && group.len() == 1 {
            continue;
        }
        let final_newline = text.ends_with('\n');
        let mut ls: Vec<String> = text.split('\n').map(|s| s.to_string()).collect();
        if final_newline || text.is_empty() {
            ls.pop();
        }
        let n = cmds.len();
        let mut run = Run {
            cmds: &cmds,
            lines: ls,
            next: 0,
            line_no: 0,
            quiet,
            last_re: None,
            active: vec![false; n],
            range_end: vec![0; n],
            out: String::new(),
            quit: None,
            final_newline,
        };
        if let Err(e) = run.run() {
            io.error("sed", &e);
            return 4;
        }
        let mut out = resolve_reads(sh, &run.out);
        if !run.final_newline && out.ends_with('\n') && run.quit.is_none() {
            out.pop();
        }
        if let Some(q) = run.quit {
            status = q;
        }
        match &in_place {
            Some(suffix) => {
                let f = &group[0];
                if !suffix.is_empty() {
                    let backup = if suffix.contains('*') { suffix.replace('*', f) } else { format!("{}{}", f, suffix) };
                    if let Err(e) = sh.fs.write(&backup, text.as_bytes(), false) {
                        io.error("sed", &format!("cannot write {}: {}", backup, e));
                        return 4;
                    }
                }
                if let Err(e) = sh.fs.write(f, out.as_bytes(), false) {
                    io.error("sed", &format!("cannot write {}: {}", f, e));
                    return 4;
                }
            }
            None => io.print(&out),
        }
        if run.quit.is_some() && in_place.is_none() {
            break;
        }
    }
    status
}

/// Replaces the markers `r FILE` left with the file's content.
fn resolve_reads(sh: &Shell, out: &str) -> String {
    if !out.contains('\u{0}') {
        return out.to_string();
    }
    let mut res = String::new();
    let mut parts = out.split('\u{0}');
    if let Some(first) = parts.next() {
        res.push_str(first);
    }
    let rest: Vec<&str> = parts.collect();
    let mut k = 0;
    while k < rest.len() {
        let file = rest[k];
        if let Ok(d) = sh.fs.read(file) {
            let s = String::from_utf8_lossy(&d).to_string();
            res.push_str(&s);
            if !s.ends_with('\n') && !s.is_empty() {
                res.push('\n');
            }
        }
        if k + 1 < rest.len() {
            res.push_str(rest[k + 1]);
        }
        k += 2;
    }
    res
}
