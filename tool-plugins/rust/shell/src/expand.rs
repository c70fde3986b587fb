//! Word expansion as sh does it, in order: tilde, parameters (`$x`, `${x:-w}`, `${#x}`, `${x%pat}`...),
//! command substitution (`$( )`, backquotes), arithmetic (`$(( ))`), field splitting of unquoted
//! results, pathname expansion (globbing) and quote removal.

use crate::io::Io;
use crate::lexer::{scan_balanced, scan_dquote};
use crate::pattern;
use crate::shell::Shell;

/// A character of an expanded word and whether it was quoted (quoted ones never split or glob).
type Ch = (char, bool);

#[derive(Default, Clone)]
struct Field {
    chars: Vec<Ch>,
    /// Had a quoted part: `""` is an (empty) field, an unquoted empty expansion is none.
    quoted: bool,
}

struct Fields {
    done: Vec<Field>,
    cur: Field,
    split: bool,
}

impl Fields {
    fn push(&mut self, c: char, quoted: bool) {
        self.cur.chars.push((c, quoted));
    }

    fn push_str(&mut self, s: &str, quoted: bool) {
        for c in s.chars() {
            self.push(c, quoted);
        }
    }

    /// The result of an unquoted expansion: split at blanks (IFS whitespace) when splitting.
    fn push_unquoted(&mut self, s: &str) {
        if !self.split {
            self.push_str(s, false);
            return;
        }
        for c in s.chars() {
            if c == ' ' || c == '\t' || c == '\n' {
                self.end_field();
            } else {
                self.push(c, false);
            }
        }
    }

    fn end_field(&mut self) {
        if !self.cur.chars.is_empty() || self.cur.quoted {
            let f = std::mem::take(&mut self.cur);
            self.done.push(f);
        }
    }
}

impl Shell {
    /// Expands command words into fields (splitting and globbing).
    pub fn expand_words(&mut self, words: &[String], io: &Io) -> Result<Vec<String>, String> {
        let mut out = Vec::new();
        for w in words {
            let fields = self.expand_raw(w, true, io)?;
            for f in fields {
                let unquoted_glob = f.chars.iter().any(|&(c, q)| !q && (c == '*' || c == '?' || c == '['));
                if unquoted_glob {
                    let pat = to_pattern(&f.chars);
                    let matches = self.glob(&pat);
                    if !matches.is_empty() {
                        out.extend(matches);
                        continue;
                    }
                }
                out.push(f.chars.iter().map(|&(c, _)| c).collect());
            }
        }
        Ok(out)
    }

    /// Expands one word without splitting or globbing (assignments, redirection targets).
    pub fn expand_one(&mut self, word: &str, io: &Io) -> Result<String, String> {
        let fields = self.expand_raw(word, false, io)?;
        Ok(fields.iter().map(|f| f.chars.iter().map(|&(c, _)| c).collect::<String>()).collect::<Vec<_>>().join(" "))
    }

    /// Expands a word into a shell pattern (quoted characters escaped), for `case` and `${x#pat}`.
    pub fn expand_pattern(&mut self, word: &str, io: &Io) -> Result<String, String> {
        let fields = self.expand_raw(word, false, io)?;
        Ok(fields.iter().map(|f| to_pattern(&f.chars)).collect::<Vec<_>>().join(" "))
    }

    /// Expands `$`, backquotes and backslashes in here-document text.
    pub fn expand_heredoc(&mut self, body: &str, io: &Io) -> Result<String, String> {
        let cs: Vec<char> = body.chars().collect();
        let mut f = Fields { done: vec![], cur: Field::default(), split: false };
        let mut i = 0;
        while i < cs.len() {
            match cs[i] {
                '\\' if i + 1 < cs.len() && matches!(cs[i + 1], '$' | '`' | '\\' | '\n') => {
                    if cs[i + 1] != '\n' {
                        f.push(cs[i + 1], true);
                    }
                    i += 2;
                }
                '$' => i = self.dollar(&cs, i, true, &mut f, io)?,
                '`' => i = self.backquote(&cs, i, true, &mut f, io)?,
                c => {
                    f.push(c, true);
                    i += 1;
                }
            }
        }
        Ok(f.cur.chars.iter().map(|&(c, _)| c).collect())
    }

    fn expand_raw(&mut self, word: &str, split: bool, io: &Io) -> Result<Vec<Field>, String> {
        let cs: Vec<char> = word.chars().collect();
        let mut f = Fields { done: vec![], cur: Field::default(), split };
        let mut i = 0;
        if cs.first() == Some(&'~') {
            let end = cs.iter().position(|&c| c == '/').unwrap_or(cs.len());
            if end == 1 {
                let home = self.var("HOME");
                f.push_str(&home, true);
                i = 1;
            }
        }
        while i < cs.len() {
            let c = cs[i];
            match c {
                '\\' => {
                    if i + 1 < cs.len() {
                        if cs[i + 1] != '\n' {
                            f.push(cs[i + 1], true);
                        }
                        i += 2;
                    } else {
                        f.push('\\', true);
                        i += 1;
                    }
                }
                '\'' => {
                    let end = cs[i + 1..].iter().position(|&c| c == '\'').map(|p| i + 1 + p).unwrap_or(cs.len());
                    for &ch in &cs[i + 1..end] {
                        f.push(ch, true);
                    }
                    f.cur.quoted = true;
                    i = end + 1;
                }
                '"' => {
                    let end = scan_dquote(&cs, i + 1)? - 1;
                    f.cur.quoted = true;
                    let mut j = i + 1;
                    while j < end {
                        match cs[j] {
                            '\\' if j + 1 < end && matches!(cs[j + 1], '$' | '`' | '"' | '\\' | '\n') => {
                                if cs[j + 1] != '\n' {
                                    f.push(cs[j + 1], true);
                                }
                                j += 2;
                            }
                            '$' => j = self.dollar(&cs[..end], j, true, &mut f, io)?,
                            '`' => j = self.backquote(&cs[..end], j, true, &mut f, io)?,
                            ch => {
                                f.push(ch, true);
                                j += 1;
                            }
                        }
                    }
                    i = end + 1;
                }
                '$' => i = self.dollar(&cs, i, false, &mut f, io)?,
                '`' => i = self.backquote(&cs, i, false, &mut f, io)?,
                _ => {
                    f.push(c, false);
                    i += 1;
                }
            }
        }
        f.end_field();
        Ok(f.done)
    }

    fn emit(&self, f: &mut Fields, value: &str, quoted: bool) {
        if quoted {
            f.push_str(value, true);
        } else {
            f.push_unquoted(value);
        }
    }

    fn backquote(&mut self, cs: &[char], i: usize, quoted: bool, f: &mut Fields, io: &Io) -> Result<usize, String> {
        let mut j = i + 1;
        let mut inner = String::new();
        while j < cs.len() && cs[j] != '`' {
            if cs[j] == '\\' && j + 1 < cs.len() && matches!(cs[j + 1], '`' | '\\' | '$') {
                inner.push(cs[j + 1]);
                j += 2;
                continue;
            }
            inner.push(cs[j]);
            j += 1;
        }
        let out = self.command_substitution(&inner, io);
        self.emit(f, &out, quoted);
        Ok(j + 1)
    }

    /// At `cs[i] == '$'`: expands and returns the index after the expansion.
    fn dollar(&mut self, cs: &[char], i: usize, quoted: bool, f: &mut Fields, io: &Io) -> Result<usize, String> {
        let next = match cs.get(i + 1) {
            Some(&c) => c,
            None => {
                f.push('$', quoted);
                return Ok(i + 1);
            }
        };
        match next {
            '(' => {
                let end = scan_balanced(cs, i + 2, '(', ')')?;
                let inner: String = cs[i + 2..end - 1].iter().collect();
                if inner.starts_with('(') && inner.ends_with(')') {
                    let expr = self.expand_one(&inner[1..inner.len() - 1], io)?;
                    let v = crate::arith::eval(&expr, &mut self.vars).map_err(|e| e.to_string())?;
                    self.emit(f, &v.to_string(), quoted);
                } else {
                    let out = self.command_substitution(&inner, io);
                    self.emit(f, &out, quoted);
                }
                Ok(end)
            }
            '{' => {
                let end = scan_balanced(cs, i + 2, '{', '}')?;
                let inner: String = cs[i + 2..end - 1].iter().collect();
                let v = self.brace(&inner, io)?;
                self.emit(f, &v, quoted);
                Ok(end)
            }
            '?' | '$' | '#' | '!' | '-' | '0'..='9' => {
                let v = self.special(next);
                self.emit(f, &v, quoted);
                Ok(i + 2)
            }
            '@' | '*' => {
                let args = self.positional.clone();
                if quoted && next == '@' {
                    // "$@": one field per argument
                    for (k, a) in args.iter().enumerate() {
                        if k > 0 {
                            f.end_field();
                            f.cur.quoted = true;
                        }
                        f.push_str(a, true);
                    }
                    if args.is_empty() {
                        f.cur.quoted = f.cur.quoted && !f.cur.chars.is_empty();
                    }
                } else {
                    self.emit(f, &args.join(" "), quoted);
                }
                Ok(i + 2)
            }
            c if c == '_' || c.is_ascii_alphabetic() => {
                let mut j = i + 1;
                while j < cs.len() && (cs[j] == '_' || cs[j].is_ascii_alphanumeric()) {
                    j += 1;
                }
                let name: String = cs[i + 1..j].iter().collect();
                let v = self.var(&name);
                self.emit(f, &v, quoted);
                Ok(j)
            }
            _ => {
                f.push('$', quoted);
                Ok(i + 1)
            }
        }
    }

    fn special(&self, c: char) -> String {
        match c {
            '?' => self.status.to_string(),
            '$' => "1".to_string(),
            '#' => self.positional.len().to_string(),
            '!' | '-' => String::new(),
            '0' => "sh".to_string(),
            d => {
                let n = d.to_digit(10).unwrap_or(0) as usize;
                self.positional.get(n.wrapping_sub(1)).cloned().unwrap_or_default()
            }
        }
    }

    /// `${...}`: name, `#name`, and the operators - = + ? (with or without `:`), # ## % %%, / //, :off:len.
    fn brace(&mut self, inner: &str, io: &Io) -> Result<String, String> {
        if let Some(name) = inner.strip_prefix('#') {
            if !name.is_empty() {
                return Ok(self.param(name).chars().count().to_string());
            }
        }
        let name_end = inner
            .char_indices()
            .find(|&(k, c)| !(c == '_' || c.is_ascii_alphanumeric() || (k == 0 && "?#@*$!".contains(c))))
            .map(|(k, _)| k)
            .unwrap_or(inner.len());
        let name = &inner[..name_end];
        if name.is_empty() {
            return Err(format!("${{{}}}: bad substitution", inner));
        }
        let rest = &inner[name_end..];
        let value = self.param(name);
        let set = self.is_set(name);
        if rest.is_empty() {
            return Ok(value);
        }
        let (colon, op_rest) = match rest.strip_prefix(':') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let missing = !set || (colon && value.is_empty());
        let op = op_rest.chars().next().unwrap_or(' ');
        let word = if op_rest.is_empty() { "" } else { &op_rest[op.len_utf8()..] };
        match op {
            '-' => if missing { self.expand_one(word, io) } else { Ok(value) },
            '=' => {
                if missing {
                    let w = self.expand_one(word, io)?;
                    self.vars.insert(name.to_string(), w.clone());
                    Ok(w)
                } else {
                    Ok(value)
                }
            }
            '+' => if missing { Ok(String::new()) } else { self.expand_one(word, io) },
            '?' => {
                if missing {
                    let w = self.expand_one(word, io)?;
                    Err(format!("{}: {}", name, if w.is_empty() { "parameter null or not set".to_string() } else { w }))
                } else {
                    Ok(value)
                }
            }
            '#' | '%' if !colon => {
                let longest = word.starts_with(op);
                let pat = self.expand_pattern(if longest { &word[1..] } else { word }, io)?;
                Ok(strip(&value, &pat, op == '#', longest))
            }
            '/' if !colon => {
                let all = word.starts_with('/');
                let w = if all { &word[1..] } else { word };
                let (pat, rep) = match w.find('/') {
                    Some(k) => (&w[..k], &w[k + 1..]),
                    None => (w, ""),
                };
                let pat = self.expand_pattern(pat, io)?;
                let rep = self.expand_one(rep, io)?;
                Ok(replace(&value, &pat, &rep, all))
            }
            _ if colon => {
                // ${x:offset[:length]}
                let mut parts = op_rest.splitn(2, ':');
                let off_s = self.expand_one(parts.next().unwrap_or("0"), io)?;
                let off = crate::arith::eval(&off_s, &mut self.vars)?;
                let chars: Vec<char> = value.chars().collect();
                let n = chars.len() as i64;
                let start = if off < 0 { (n + off).max(0) } else { off.min(n) } as usize;
                let end = match parts.next() {
                    Some(l) => {
                        let l = self.expand_one(l, io)?;
                        let len = crate::arith::eval(&l, &mut self.vars)?;
                        if len < 0 { ((n + len).max(start as i64)) as usize } else { (start + len as usize).min(chars.len()) }
                    }
                    None => chars.len(),
                };
                Ok(chars[start..end.max(start)].iter().collect())
            }
            _ => Err(format!("${{{}}}: bad substitution", inner)),
        }
    }

    fn param(&self, name: &str) -> String {
        match name {
            "?" | "#" | "$" | "!" | "-" => self.special(name.chars().next().unwrap_or('?')),
            "@" | "*" => self.positional.join(" "),
            n if n.chars().all(|c| c.is_ascii_digit()) => {
                let k: usize = n.parse().unwrap_or(0);
                if k == 0 { "sh".to_string() } else { self.positional.get(k - 1).cloned().unwrap_or_default() }
            }
            n => self.var(n),
        }
    }

    fn is_set(&self, name: &str) -> bool {
        match name {
            "?" | "#" | "$" | "@" | "*" | "0" => true,
            n if n.chars().all(|c| c.is_ascii_digit()) => n.parse::<usize>().map(|k| k <= self.positional.len()).unwrap_or(false),
            n => self.vars.contains_key(n),
        }
    }

    /// Runs `src` in a subshell and returns its output without trailing newlines.
    pub fn command_substitution(&mut self, src: &str, io: &Io) -> String {
        let out = crate::io::sink(crate::io::PIPE_LIMIT);
        let sub_io = Io::new(crate::io::source(Vec::new()), out.clone(), io.err.clone());
        let status = self.subshell(|sh| sh.run_script(src, &sub_io));
        self.status = status;
        self.last_substitution_status = Some(status);
        let bytes = crate::io::take(&out);
        let mut s = String::from_utf8_lossy(&bytes).to_string();
        while s.ends_with('\n') {
            s.pop();
        }
        s
    }

    /// Expands a shell pattern against the workspace, sorted; empty when nothing matches.
    pub fn glob(&self, pat: &str) -> Vec<String> {
        let absolute = pat.starts_with('/');
        let comps: Vec<&str> = pat.split('/').filter(|c| !c.is_empty()).collect();
        let mut results: Vec<String> = vec![if absolute { "/".to_string() } else { String::new() }];
        for (k, comp) in comps.iter().enumerate() {
            let last = k == comps.len() - 1;
            let mut next = Vec::new();
            for base in &results {
                let dir = if base.is_empty() { ".".to_string() } else { base.clone() };
                let join = |name: &str| {
                    if base.is_empty() {
                        name.to_string()
                    } else if base.ends_with('/') {
                        format!("{}{}", base, name)
                    } else {
                        format!("{}/{}", base, name)
                    }
                };
                if !pattern::has_glob(comp) {
                    let name = pattern::unescape(comp);
                    let p = join(&name);
                    if (last && self.fs.exists(&p)) || (!last && self.fs.is_dir(&p)) {
                        next.push(p);
                    }
                    continue;
                }
                let entries = match self.fs.list(&dir) {
                    Ok(e) => e,
                    Err(_) => continue,
                };
                for name in entries {
                    if name.starts_with('.') && !comp.starts_with('.') && !comp.starts_with("\\.") {
                        continue;
                    }
                    if pattern::fnmatch(comp, &name) {
                        let p = join(&name);
                        if last || self.fs.is_dir(&p) {
                            next.push(p);
                        }
                    }
                }
            }
            results = next;
            if results.is_empty() {
                break;
            }
        }
        if pat.ends_with('/') {
            results = results.into_iter().filter(|p| self.fs.is_dir(p)).map(|p| format!("{}/", p)).collect();
        }
        results.sort();
        results
    }
}

fn to_pattern(chars: &[Ch]) -> String {
    let mut s = String::new();
    for &(c, q) in chars {
        if q && matches!(c, '*' | '?' | '[' | ']' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s
}

/// `${x#pat}` (prefix) / `${x%pat}` (suffix), shortest or longest match.
fn strip(value: &str, pat: &str, prefix: bool, longest: bool) -> String {
    let idx: Vec<usize> = value.char_indices().map(|(k, _)| k).chain(std::iter::once(value.len())).collect();
    let order: Vec<usize> = if prefix == longest { idx.iter().rev().cloned().collect() } else { idx.clone() };
    for k in order {
        if prefix {
            if pattern::fnmatch(pat, &value[..k]) {
                return value[k..].to_string();
            }
        } else if pattern::fnmatch(pat, &value[k..]) {
            return value[..k].to_string();
        }
    }
    value.to_string()
}

/// `${x/pat/rep}` and `${x//pat/rep}` (longest match at each position).
fn replace(value: &str, pat: &str, rep: &str, all: bool) -> String {
    let idx: Vec<usize> = value.char_indices().map(|(k, _)| k).chain(std::iter::once(value.len())).collect();
    let mut out = String::new();
    let mut a = 0;
    let mut pos = 0;
    while pos < idx.len() {
        let start = idx[pos];
        let mut found = None;
        for e in (pos..idx.len()).rev() {
            let end = idx[e];
            if end > start && pattern::fnmatch(pat, &value[start..end]) {
                found = Some(e);
                break;
            }
        }
        if let Some(e) = found {
            out.push_str(&value[a..start]);
            out.push_str(rep);
            a = idx[e];
            pos = e;
            if !all {
                break;
            }
        } else {
            pos += 1;
        }
    }
    out.push_str(&value[a..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_and_replace() {
        assert_eq!(strip("src/main.rs", "*/", true, false), "main.rs");
        assert_eq!(strip("a/b/c", "*/", true, true), "c");
        assert_eq!(strip("file.tar.gz", ".*", false, false), "file.tar");
        assert_eq!(strip("file.tar.gz", ".*", false, true), "file");
        assert_eq!(replace("a-b-c", "-", "+", false), "a+b-c");
        assert_eq!(replace("a-b-c", "-", "+", true), "a+b+c");
        assert_eq!(replace("hello", "l*", "L", true), "heL");
    }
}
