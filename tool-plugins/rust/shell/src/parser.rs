//! Parses tokens into the command tree the executor runs: lists of and-or chains of pipelines of
//! simple commands, subshells `( )`, groups `{ }`, `if`, `for`, `while`/`until` and `case`.

use crate::lexer::Tok;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Word(String),
    HereDoc { body: String, expand: bool },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redir {
    /// The file descriptor redirected (`&>` is fd 1 with `both`).
    pub fd: u32,
    /// `<`, `>`, `>>`, `>|`, `<>`, `>&`, `<&`, `<<`, `<<<`, `&>`, `&>>`.
    pub op: &'static str,
    pub target: Target,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cmd {
    Simple { assigns: Vec<(String, String)>, words: Vec<String>, redirs: Vec<Redir> },
    Subshell { body: List, redirs: Vec<Redir> },
    Group { body: List, redirs: Vec<Redir> },
    If { branches: Vec<(List, List)>, otherwise: Option<List>, redirs: Vec<Redir> },
    For { var: String, items: Option<Vec<String>>, body: List, redirs: Vec<Redir> },
    While { cond: List, body: List, until: bool, redirs: Vec<Redir> },
    Case { word: String, arms: Vec<(Vec<String>, List)>, redirs: Vec<Redir> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pipeline {
    pub negate: bool,
    pub cmds: Vec<Cmd>,
}

/// A pipeline followed by `&&` (true) or `||` (false) pipelines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(bool, Pipeline)>,
}

pub type List = Vec<AndOr>;

const RESERVED_ENDS: &[&str] = &["then", "elif", "else", "fi", "do", "done", "esac", "}"];

pub fn parse(tokens: Vec<Tok>) -> Result<List, String> {
    let mut p = Parser { toks: tokens, pos: 0 };
    let list = p.list()?;
    match p.peek() {
        None => Ok(list),
        Some(t) => Err(format!("syntax error near unexpected token `{}'", show(t))),
    }
}

fn show(t: &Tok) -> String {
    match t {
        Tok::Word(w) => w.clone(),
        Tok::Op(o) => o.to_string(),
        Tok::IoNumber(n) => n.to_string(),
        Tok::Newline => "newline".to_string(),
        Tok::HereDoc { .. } => "<<".to_string(),
    }
}

/// A NAME=value word: NAME is a valid variable name.
pub fn assignment(w: &str) -> Option<(String, String)> {
    let eq = w.find('=')?;
    let name = &w[..eq];
    if is_name(name) {
        Some((name.to_string(), w[eq + 1..].to_string()))
    } else {
        None
    }
}

pub fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c == '_' || c.is_ascii_alphabetic() => chars.all(|c| c == '_' || c.is_ascii_alphanumeric()),
        _ => false,
    }
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn peek_word(&self) -> Option<&str> {
        match self.peek() {
            Some(Tok::Word(w)) => Some(w.as_str()),
            _ => None,
        }
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Tok::Op(o)) if *o == op)
    }

    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline)) {
            self.pos += 1;
        }
    }

    fn at_list_end(&self) -> bool {
        match self.peek() {
            None => true,
            Some(Tok::Op(o)) => *o == ")" || *o == ";;",
            Some(Tok::Word(w)) => RESERVED_ENDS.contains(&w.as_str()),
            _ => false,
        }
    }

    fn list(&mut self) -> Result<List, String> {
        let mut list = Vec::new();
        loop {
            while matches!(self.peek(), Some(Tok::Newline)) || (self.is_op(";") && !list.is_empty()) {
                self.pos += 1;
            }
            if self.at_list_end() {
                return Ok(list);
            }
            list.push(self.and_or()?);
            match self.peek() {
                Some(Tok::Op(";")) | Some(Tok::Op("&")) | Some(Tok::Newline) => self.pos += 1,
                _ => {
                    if !self.at_list_end() {
                        let t = self.peek().map(show).unwrap_or_default();
                        return Err(format!("syntax error near unexpected token `{}'", t));
                    }
                }
            }
        }
    }

    fn and_or(&mut self) -> Result<AndOr, String> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let and = if self.is_op("&&") {
                true
            } else if self.is_op("||") {
                false
            } else {
                break;
            };
            self.pos += 1;
            self.skip_newlines();
            rest.push((and, self.pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn pipeline(&mut self) -> Result<Pipeline, String> {
        let mut negate = false;
        while self.peek_word() == Some("!") {
            negate = !negate;
            self.pos += 1;
        }
        let mut cmds = vec![self.command()?];
        while self.is_op("|") {
            self.pos += 1;
            self.skip_newlines();
            cmds.push(self.command()?);
        }
        Ok(Pipeline { negate, cmds })
    }

    fn expect_word(&mut self, w: &str) -> Result<(), String> {
        self.skip_newlines();
        match self.next() {
            Some(Tok::Word(ref x)) if x == w => Ok(()),
            Some(t) => Err(format!("syntax error near unexpected token `{}' (expected `{}')", show(&t), w)),
            None => Err(format!("syntax error: unexpected end of input (expected `{}')", w)),
        }
    }

    fn command(&mut self) -> Result<Cmd, String> {
        let cmd = match self.peek() {
            None => return Err("syntax error: unexpected end of input".to_string()),
            Some(Tok::Op("(")) => {
                self.pos += 1;
                let body = self.list()?;
                if !self.is_op(")") {
                    return Err("syntax error: missing `)'".to_string());
                }
                self.pos += 1;
                Cmd::Subshell { body, redirs: Vec::new() }
            }
            Some(Tok::Word(w)) => match w.as_str() {
                "{" => {
                    self.pos += 1;
                    let body = self.list()?;
                    self.expect_word("}")?;
                    Cmd::Group { body, redirs: Vec::new() }
                }
                "if" => self.if_cmd()?,
                "for" => self.for_cmd()?,
                "while" | "until" => {
                    let until = w == "until";
                    self.pos += 1;
                    let cond = self.list()?;
                    self.expect_word("do")?;
                    let body = self.list()?;
                    self.expect_word("done")?;
                    Cmd::While { cond, body, until, redirs: Vec::new() }
                }
                "case" => self.case_cmd()?,
                w if RESERVED_ENDS.contains(&w) => {
                    return Err(format!("syntax error near unexpected token `{}'", w));
                }
                _ => return self.simple(),
            },
            Some(Tok::Op(o)) if !is_redir_op(o) => {
                return Err(format!("syntax error near unexpected token `{}'", o));
            }
            Some(Tok::Newline) => return Err("syntax error near unexpected token `newline'".to_string()),
            _ => return self.simple(),
        };
        // redirections after a compound command apply to all of it
        let mut extra = Vec::new();
        while let Some(r) = self.redir()? {
            extra.push(r);
        }
        Ok(match cmd {
            Cmd::Subshell { body, .. } => Cmd::Subshell { body, redirs: extra },
            Cmd::Group { body, .. } => Cmd::Group { body, redirs: extra },
            Cmd::If { branches, otherwise, .. } => Cmd::If { branches, otherwise, redirs: extra },
            Cmd::For { var, items, body, .. } => Cmd::For { var, items, body, redirs: extra },
            Cmd::While { cond, body, until, .. } => Cmd::While { cond, body, until, redirs: extra },
            Cmd::Case { word, arms, .. } => Cmd::Case { word, arms, redirs: extra },
            simple => simple,
        })
    }

    fn if_cmd(&mut self) -> Result<Cmd, String> {
        self.pos += 1; // if
        let mut branches = Vec::new();
        let mut otherwise = None;
        loop {
            let cond = self.list()?;
            self.expect_word("then")?;
            let body = self.list()?;
            branches.push((cond, body));
            match self.next() {
                Some(Tok::Word(ref w)) if w == "elif" => continue,
                Some(Tok::Word(ref w)) if w == "else" => {
                    otherwise = Some(self.list()?);
                    self.expect_word("fi")?;
                    break;
                }
                Some(Tok::Word(ref w)) if w == "fi" => break,
                Some(t) => return Err(format!("syntax error near unexpected token `{}' (expected `fi')", show(&t))),
                None => return Err("syntax error: unexpected end of input (expected `fi')".to_string()),
            }
        }
        Ok(Cmd::If { branches, otherwise, redirs: Vec::new() })
    }

    fn for_cmd(&mut self) -> Result<Cmd, String> {
        self.pos += 1; // for
        let var = match self.next() {
            Some(Tok::Word(w)) if is_name(&w) => w,
            Some(t) => return Err(format!("`{}': not a valid identifier", show(&t))),
            None => return Err("syntax error: unexpected end of input after `for'".to_string()),
        };
        self.skip_newlines();
        let mut items = None;
        if self.peek_word() == Some("in") {
            self.pos += 1;
            let mut v = Vec::new();
            while let Some(Tok::Word(w)) = self.peek() {
                v.push(w.clone());
                self.pos += 1;
            }
            items = Some(v);
        }
        if self.is_op(";") {
            self.pos += 1;
        }
        self.expect_word("do")?;
        let body = self.list()?;
        self.expect_word("done")?;
        Ok(Cmd::For { var, items, body, redirs: Vec::new() })
    }

    fn case_cmd(&mut self) -> Result<Cmd, String> {
        self.pos += 1; // case
        let word = match self.next() {
            Some(Tok::Word(w)) => w,
            _ => return Err("syntax error: `case' needs a word".to_string()),
        };
        self.expect_word("in")?;
        let mut arms = Vec::new();
        loop {
            self.skip_newlines();
            if self.peek_word() == Some("esac") {
                self.pos += 1;
                break;
            }
            if self.is_op("(") {
                self.pos += 1;
            }
            let mut pats = Vec::new();
            loop {
                match self.next() {
                    Some(Tok::Word(w)) => pats.push(w),
                    _ => return Err("syntax error in `case' pattern".to_string()),
                }
                if self.is_op("|") {
                    self.pos += 1;
                    continue;
                }
                if self.is_op(")") {
                    self.pos += 1;
                    break;
                }
                return Err("syntax error in `case': expected `)' after the pattern".to_string());
            }
            let body = self.list()?;
            arms.push((pats, body));
            if self.is_op(";;") {
                self.pos += 1;
            } else {
                self.skip_newlines();
                if self.peek_word() != Some("esac") {
                    return Err("syntax error in `case': expected `;;' or `esac'".to_string());
                }
            }
        }
        Ok(Cmd::Case { word, arms, redirs: Vec::new() })
    }

    fn redir(&mut self) -> Result<Option<Redir>, String> {
        let (fd, op) = match (self.peek(), self.toks.get(self.pos + 1)) {
            (Some(Tok::IoNumber(n)), Some(Tok::Op(o))) if is_redir_op(o) => (Some(*n), *o),
            (Some(Tok::Op(o)), _) if is_redir_op(o) => (None, *o),
            _ => return Ok(None),
        };
        self.pos += if fd.is_some() { 2 } else { 1 };
        let fd = fd.unwrap_or(if op.starts_with('<') { 0 } else { 1 });
        let target = match self.next() {
            Some(Tok::Word(w)) => Target::Word(w),
            Some(Tok::HereDoc { body, expand }) => Target::HereDoc { body, expand },
            Some(t) => return Err(format!("syntax error near unexpected token `{}'", show(&t))),
            None => return Err("syntax error near unexpected token `newline'".to_string()),
        };
        let op = if op == "<<-" { "<<" } else { op };
        Ok(Some(Redir { fd, op, target }))
    }

    fn simple(&mut self) -> Result<Cmd, String> {
        let mut assigns = Vec::new();
        let mut words: Vec<String> = Vec::new();
        let mut redirs = Vec::new();
        loop {
            if let Some(r) = self.redir()? {
                redirs.push(r);
                continue;
            }
            match self.peek() {
                Some(Tok::Word(w)) => {
                    if words.is_empty() {
                        if let Some(a) = assignment(w) {
                            assigns.push(a);
                            self.pos += 1;
                            continue;
                        }
                    }
                    words.push(w.clone());
                    self.pos += 1;
                }
                Some(Tok::Op("(")) if words.len() == 1 => {
                    return Err(format!("syntax error: functions are not supported (`{}()')", words[0]));
                }
                _ => break,
            }
        }
        if assigns.is_empty() && words.is_empty() && redirs.is_empty() {
            let t = self.peek().map(show).unwrap_or_else(|| "newline".to_string());
            return Err(format!("syntax error near unexpected token `{}'", t));
        }
        Ok(Cmd::Simple { assigns, words, redirs })
    }
}

fn is_redir_op(o: &str) -> bool {
    matches!(o, "<" | ">" | ">>" | ">|" | "<>" | ">&" | "<&" | "<<" | "<<-" | "<<<" | "&>" | "&>>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexer::lex;

    fn p(s: &str) -> List {
        parse(lex(s).unwrap()).unwrap()
    }

    fn simple(words: &[&str]) -> Cmd {
        Cmd::Simple { assigns: vec![], words: words.iter().map(|s| s.to_string()).collect(), redirs: vec![] }
    }

    #[test]
    fn pipelines_and_lists() {
        let l = p("a | b c && ! d || e; f\ng &");
        assert_eq!(l.len(), 3);
        assert_eq!(l[0].first.cmds, vec![simple(&["a"]), simple(&["b", "c"])]);
        assert_eq!(l[0].rest.len(), 2);
        assert!(l[0].rest[0].0 && l[0].rest[0].1.negate);
        assert!(!l[0].rest[1].0);
        assert_eq!(l[2].first.cmds, vec![simple(&["g"])]);
    }

    #[test]
    fn redirections_and_assignments() {
        let l = p("X=1 Y=2 cmd a >out 2>&1 <in");
        match &l[0].first.cmds[0] {
            Cmd::Simple { assigns, words, redirs } => {
                assert_eq!(assigns, &vec![("X".to_string(), "1".to_string()), ("Y".to_string(), "2".to_string())]);
                assert_eq!(words, &vec!["cmd".to_string(), "a".to_string()]);
                assert_eq!(redirs.len(), 3);
                assert_eq!(redirs[1], Redir { fd: 2, op: ">&", target: Target::Word("1".into()) });
                assert_eq!(redirs[2].fd, 0);
            }
            c => panic!("{:?}", c),
        }
    }

    #[test]
    fn compound_commands() {
        let l = p("(cd a; ls) > x; { echo a; echo b; } | wc -l");
        assert!(matches!(&l[0].first.cmds[0], Cmd::Subshell { body, redirs } if body.len() == 2 && redirs.len() == 1));
        assert!(matches!(&l[1].first.cmds[0], Cmd::Group { body, .. } if body.len() == 2));
        let l = p("if a; then b; elif c; then d; else e; fi");
        assert!(matches!(&l[0].first.cmds[0], Cmd::If { branches, otherwise: Some(_), .. } if branches.len() == 2));
        let l = p("for f in *.rs; do echo $f; done");
        assert!(matches!(&l[0].first.cmds[0], Cmd::For { var, items: Some(i), .. } if var == "f" && i.len() == 1));
        let l = p("while read x\ndo\n echo $x\ndone < f");
        assert!(matches!(&l[0].first.cmds[0], Cmd::While { until: false, redirs, .. } if redirs.len() == 1));
        let l = p("case $x in a|b) echo ab;; *) echo other;; esac");
        assert!(matches!(&l[0].first.cmds[0], Cmd::Case { arms, .. } if arms.len() == 2 && arms[0].0.len() == 2));
    }

    #[test]
    fn syntax_errors_are_named() {
        let e = |s: &str| parse(lex(s).unwrap()).unwrap_err();
        assert_eq!(e("| a"), "syntax error near unexpected token `|'");
        assert_eq!(e("a &&"), "syntax error: unexpected end of input");
        assert!(e("if a; then b").contains("expected `fi'"));
        assert!(e("echo >").contains("newline"));
        assert!(e("(a").contains("missing `)'"));
        assert!(e("f() { a; }").contains("functions are not supported"));
    }
}
