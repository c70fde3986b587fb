//! Splits a command line into tokens: words (raw text, quotes kept for the expander), operators,
//! newlines, and here-document bodies (read at the newline after their `<<` like sh does).

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// A word as typed, quotes and escapes still in it (the expander interprets them).
    Word(String),
    /// A control or redirection operator.
    Op(&'static str),
    /// Digits directly before a redirection operator (`2>`).
    IoNumber(u32),
    Newline,
    /// The body of a here-document; replaces its delimiter word after `<<`/`<<-`.
    HereDoc { body: String, expand: bool },
}

/// Longest first, so that `&&` wins over `&` and `<<<` over `<<`.
const OPS: &[&str] = &[
    "&>>", "<<<", "<<-", "&&", "||", ";;", "<<", ">>", "&>", ">&", "<&", ">|", "<>", "|", "&", ";", "(", ")", "<",
    ">",
];

fn is_meta(c: char) -> bool {
    matches!(c, '|' | '&' | ';' | '<' | '>' | '(' | ')')
}

struct Pending {
    token: usize,
    delim: String,
    strip_tabs: bool,
}

pub fn lex(src: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut toks: Vec<Tok> = Vec::new();
    let mut pending: Vec<Pending> = Vec::new();
    let mut heredoc_next: Option<bool> = None; // Some(strip_tabs) after << / <<-
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && chars.get(i + 1) == Some(&'\n') {
            i += 2;
            continue;
        }
        if c == ' ' || c == '\t' || c == '\r' {
            i += 1;
            continue;
        }
        if c == '\n' {
            toks.push(Tok::Newline);
            i += 1;
            if !pending.is_empty() {
                i = read_heredocs(&chars, i, &mut pending, &mut toks)?;
            }
            continue;
        }
        if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if is_meta(c) {
            let rest: String = chars[i..chars.len().min(i + 3)].iter().collect();
            let op = OPS.iter().find(|o| rest.starts_with(**o)).copied().unwrap_or("");
            i += op.chars().count();
            if op == "<<" || op == "<<-" {
                heredoc_next = Some(op == "<<-");
            }
            toks.push(Tok::Op(op));
            continue;
        }
        let start = i;
        i = scan_word(&chars, i)?;
        let word: String = chars[start..i].iter().collect();
        if word.chars().all(|d| d.is_ascii_digit()) && matches!(chars.get(i), Some('<') | Some('>')) {
            if let Ok(n) = word.parse::<u32>() {
                toks.push(Tok::IoNumber(n));
                continue;
            }
        }
        if let Some(strip_tabs) = heredoc_next.take() {
            let quoted = word.contains('\'') || word.contains('"') || word.contains('\\');
            let delim = unquote_simple(&word);
            pending.push(Pending { token: toks.len(), delim, strip_tabs });
            toks.push(Tok::HereDoc { body: String::new(), expand: !quoted });
            continue;
        }
        toks.push(Tok::Word(word));
    }
    if !pending.is_empty() {
        // Input ended before the body's newline: the bodies are empty (bash warns and does the same).
        pending.clear();
    }
    Ok(toks)
}

/// Removes quotes and backslashes from a here-document delimiter.
fn unquote_simple(w: &str) -> String {
    let mut out = String::new();
    let mut chars = w.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {}
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

fn read_heredocs(chars: &[char], mut i: usize, pending: &mut Vec<Pending>, toks: &mut [Tok]) -> Result<usize, String> {
    for p in pending.drain(..) {
        let mut body = String::new();
        let mut found = false;
        while i < chars.len() {
            let start = i;
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            let mut line: String = chars[start..i].iter().collect();
            if i < chars.len() {
                i += 1; // the newline
            }
            if p.strip_tabs {
                line = line.trim_start_matches('\t').to_string();
            }
            if line == p.delim {
                found = true;
                break;
            }
            body.push_str(&line);
            body.push('\n');
        }
        let _ = found; // like bash: a missing delimiter ends the body at the end of input
        if let Tok::HereDoc { body: b, .. } = &mut toks[p.token] {
            *b = body;
        }
    }
    Ok(i)
}

/// Returns the index after the word that starts at `i`.
fn scan_word(chars: &[char], mut i: usize) -> Result<usize, String> {
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\n' | '\r' => break,
            c if is_meta(c) => break,
            '\\' => i += 2,
            '\'' => {
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                if i >= chars.len() {
                    return Err("unexpected end of input: missing closing '".to_string());
                }
                i += 1;
            }
            '"' => i = scan_dquote(chars, i + 1)?,
            '`' => i = scan_backtick(chars, i + 1)?,
            '$' => i = scan_dollar(chars, i)?,
            _ => i += 1,
        }
    }
    Ok(i.min(chars.len()))
}

/// From just after an opening `"`, returns the index after the closing one.
pub fn scan_dquote(chars: &[char], mut i: usize) -> Result<usize, String> {
    while i < chars.len() {
        match chars[i] {
            '"' => return Ok(i + 1),
            '\\' => i += 2,
            '`' => i = scan_backtick(chars, i + 1)?,
            '$' => i = scan_dollar(chars, i)?,
            _ => i += 1,
        }
    }
    Err("unexpected end of input: missing closing \"".to_string())
}

fn scan_backtick(chars: &[char], mut i: usize) -> Result<usize, String> {
    while i < chars.len() {
        match chars[i] {
            '`' => return Ok(i + 1),
            '\\' => i += 2,
            _ => i += 1,
        }
    }
    Err("unexpected end of input: missing closing `".to_string())
}

/// At a `$`: returns the index after `$name`, `${...}`, `$(...)` or `$((...))`.
pub fn scan_dollar(chars: &[char], i: usize) -> Result<usize, String> {
    match chars.get(i + 1) {
        Some('(') => scan_balanced(chars, i + 2, '(', ')'),
        Some('{') => scan_balanced(chars, i + 2, '{', '}'),
        _ => Ok(i + 1),
    }
}

/// From just after an opening bracket, returns the index after its matching close, skipping quotes.
pub fn scan_balanced(chars: &[char], mut i: usize, open: char, close: char) -> Result<usize, String> {
    let mut depth = 1;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            i += 2;
            continue;
        }
        if c == '\'' {
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            i += 1;
            continue;
        }
        if c == '"' {
            i = scan_dquote(chars, i + 1)?;
            continue;
        }
        if c == '`' {
            i = scan_backtick(chars, i + 1)?;
            continue;
        }
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return Ok(i + 1);
            }
        }
        i += 1;
    }
    Err(format!("unexpected end of input: missing closing '{}'", close))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Tok {
        Tok::Word(s.to_string())
    }

    #[test]
    fn words_and_operators() {
        assert_eq!(
            lex("ls -l | grep 'a b' && echo \"x;y\" >out 2>&1").unwrap(),
            vec![
                w("ls"),
                w("-l"),
                Tok::Op("|"),
                w("grep"),
                w("'a b'"),
                Tok::Op("&&"),
                w("echo"),
                w("\"x;y\""),
                Tok::Op(">"),
                w("out"),
                Tok::IoNumber(2),
                Tok::Op(">&"),
                w("1")
            ]
        );
    }

    #[test]
    fn substitutions_stay_in_one_word() {
        assert_eq!(lex("echo $(ls | wc -l) `date` ${a:-b c}").unwrap(), vec![
            w("echo"),
            w("$(ls | wc -l)"),
            w("`date`"),
            w("${a:-b c}")
        ]);
        assert_eq!(lex("echo \"$(echo \")\")\"").unwrap(), vec![w("echo"), w("\"$(echo \")\")\"")]);
    }

    #[test]
    fn comments_continuations_heredocs() {
        assert_eq!(lex("echo a # comment\necho b\\\nc").unwrap(), vec![
            w("echo"),
            w("a"),
            Tok::Newline,
            w("echo"),
            w("b\\\nc")
        ]);
        let t = lex("cat <<EOF >f\nline $x\n  EOF\nEOF\necho done").unwrap();
        assert_eq!(t[2], Tok::HereDoc { body: "line $x\n  EOF\n".into(), expand: true });
        assert_eq!(t[3], Tok::Op(">"));
        assert_eq!(t[6], w("echo"));
        let t = lex("cat <<-'E'\n\tkeep $x\n\tE\n").unwrap();
        assert_eq!(t[2], Tok::HereDoc { body: "keep $x\n".into(), expand: false });
    }

    #[test]
    fn unterminated_quotes_are_errors() {
        assert!(lex("echo 'abc").unwrap_err().contains("missing closing '"));
        assert!(lex("echo \"abc").unwrap_err().contains("missing closing \""));
        assert!(lex("echo $(abc").unwrap_err().contains("missing closing ')'"));
    }
}
