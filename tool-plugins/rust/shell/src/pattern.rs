//! Shell patterns (`*`, `?`, `[...]`, used by globbing, `case`, `find -name`, `${x#pat}`) and
//! POSIX basic/extended regular expressions translated to the `regex` crate's syntax.

use regex::Regex;

/// Whether `text` matches the shell pattern `pat` as a whole. A backslash quotes the next character.
pub fn fnmatch(pat: &str, text: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let t: Vec<char> = text.chars().collect();
    match_from(&p, 0, &t, 0, false)
}

/// Case-insensitive `fnmatch` (`find -iname`).
pub fn fnmatch_ci(pat: &str, text: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let t: Vec<char> = text.chars().collect();
    match_from(&p, 0, &t, 0, true)
}

fn eq(a: char, b: char, ci: bool) -> bool {
    if ci {
        a.to_lowercase().eq(b.to_lowercase())
    } else {
        a == b
    }
}

fn match_from(p: &[char], mut pi: usize, t: &[char], mut ti: usize, ci: bool) -> bool {
    // iterative with one backtrack point for the last `*` (enough for shell patterns)
    let mut star: Option<(usize, usize)> = None;
    loop {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    star = Some((pi, ti));
                    pi += 1;
                    continue;
                }
                '?' if ti < t.len() => {
                    pi += 1;
                    ti += 1;
                    continue;
                }
                '[' if ti < t.len() => {
                    if let Some((matched, next)) = bracket(p, pi, t[ti], ci) {
                        if matched {
                            pi = next;
                            ti += 1;
                            continue;
                        }
                    } else if eq('[', t[ti], ci) {
                        pi += 1;
                        ti += 1;
                        continue;
                    }
                }
                '\\' if pi + 1 < p.len() && ti < t.len() && eq(p[pi + 1], t[ti], ci) => {
                    pi += 2;
                    ti += 1;
                    continue;
                }
                c if c != '*' && c != '?' && c != '[' && c != '\\' && ti < t.len() && eq(c, t[ti], ci) => {
                    pi += 1;
                    ti += 1;
                    continue;
                }
                '\\' if pi + 1 == p.len() && ti < t.len() && t[ti] == '\\' => {
                    pi += 1;
                    ti += 1;
                    continue;
                }
                _ => {}
            }
        } else if ti == t.len() {
            return true;
        }
        match star {
            Some((sp, st)) if st < t.len() => {
                star = Some((sp, st + 1));
                pi = sp + 1;
                ti = st + 1;
            }
            _ => return false,
        }
    }
}

/// Matches `c` against the bracket expression at `p[i] == '['`. Returns (matched, index after `]`),
/// or None when the bracket is not closed (then `[` is an ordinary character).
fn bracket(p: &[char], i: usize, c: char, ci: bool) -> Option<(bool, usize)> {
    let mut j = i + 1;
    let negate = j < p.len() && (p[j] == '!' || p[j] == '^');
    if negate {
        j += 1;
    }
    let mut matched = false;
    let mut first = true;
    while j < p.len() {
        if p[j] == ']' && !first {
            return Some((matched != negate, j + 1));
        }
        first = false;
        if p[j] == '[' && j + 1 < p.len() && p[j + 1] == ':' {
            let rest: String = p[j + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                let class = &rest[..end];
                if class_matches(class, c) {
                    matched = true;
                }
                j += 2 + rest[..end].chars().count() + 2;
                continue;
            }
        }
        let mut lo = p[j];
        if lo == '\\' && j + 1 < p.len() {
            j += 1;
            lo = p[j];
        }
        if j + 2 < p.len() && p[j + 1] == '-' && p[j + 2] != ']' {
            let hi = p[j + 2];
            if (lo <= c && c <= hi)
                || (ci && ((lo.to_ascii_lowercase() <= c.to_ascii_lowercase()
                    && c.to_ascii_lowercase() <= hi.to_ascii_lowercase())))
            {
                matched = true;
            }
            j += 3;
            continue;
        }
        if eq(lo, c, ci) {
            matched = true;
        }
        j += 1;
    }
    None
}

pub fn class_matches(class: &str, c: char) -> bool {
    match class {
        "alpha" => c.is_ascii_alphabetic(),
        "digit" => c.is_ascii_digit(),
        "alnum" => c.is_ascii_alphanumeric(),
        "upper" => c.is_ascii_uppercase(),
        "lower" => c.is_ascii_lowercase(),
        "space" => matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c'),
        "blank" => c == ' ' || c == '\t',
        "punct" => c.is_ascii_punctuation(),
        "xdigit" => c.is_ascii_hexdigit(),
        "cntrl" => c.is_ascii_control(),
        "print" => (' '..='~').contains(&c),
        "graph" => ('!'..='~').contains(&c),
        _ => false,
    }
}

/// Whether a word has pattern characters that globbing would act on.
pub fn has_glob(pat: &str) -> bool {
    let mut esc = false;
    for c in pat.chars() {
        if esc {
            esc = false;
            continue;
        }
        match c {
            '\\' => esc = true,
            '*' | '?' | '[' => return true,
            _ => {}
        }
    }
    false
}

/// Removes the backslashes that quote characters in a pattern.
pub fn unescape(pat: &str) -> String {
    let mut out = String::new();
    let mut chars = pat.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Translates a POSIX regular expression (basic unless `extended`) to the regex crate's syntax.
pub fn translate(re: &str, extended: bool) -> String {
    let cs: Vec<char> = re.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        match c {
            '[' => {
                // copy the bracket expression; a backslash in it is literal in POSIX
                let mut j = i + 1;
                out.push('[');
                if j < cs.len() && cs[j] == '^' {
                    out.push('^');
                    j += 1;
                }
                if j < cs.len() && cs[j] == ']' {
                    out.push_str("\\]");
                    j += 1;
                }
                while j < cs.len() && cs[j] != ']' {
                    if cs[j] == '[' && j + 1 < cs.len() && (cs[j + 1] == ':' || cs[j + 1] == '.' || cs[j + 1] == '=') {
                        let close = cs[j + 1];
                        let mut k = j + 2;
                        while k + 1 < cs.len() && !(cs[k] == close && cs[k + 1] == ']') {
                            k += 1;
                        }
                        let inner: String = cs[j..(k + 2).min(cs.len())].iter().collect();
                        out.push_str(&inner);
                        j = k + 2;
                        continue;
                    }
                    match cs[j] {
                        '\\' | '[' | '&' | '~' | '|' => {
                            out.push('\\');
                            out.push(cs[j]);
                        }
                        '-' if j + 1 < cs.len() && cs[j + 1] == '-' => {
                            out.push_str("\\-");
                        }
                        ch => out.push(ch),
                    }
                    j += 1;
                }
                out.push(']');
                i = j + 1;
                continue;
            }
            '\\' if i + 1 < cs.len() => {
                let n = cs[i + 1];
                i += 2;
                if !extended && matches!(n, '(' | ')' | '{' | '}' | '|' | '+' | '?') {
                    out.push(n); // \( in BRE is a group
                    continue;
                }
                match n {
                    '<' => out.push_str("\\b"),
                    '>' => out.push_str("\\b"),
                    'w' | 'W' | 's' | 'S' | 'b' | 'B' | 'd' | 'D' => {
                        out.push('\\');
                        out.push(n);
                    }
                    'n' => out.push_str("\\n"),
                    't' => out.push_str("\\t"),
                    c if c.is_ascii_digit() => {
                        out.push('\\');
                        out.push(c);
                    }
                    _ => out.push_str(&regex::escape(&n.to_string())),
                }
                continue;
            }
            '(' | ')' | '{' | '}' | '|' | '+' | '?' if !extended => {
                out.push('\\');
                out.push(c);
            }
            '{' if extended => {
                // `{` not starting a valid interval is literal (GNU)
                let rest: String = cs[i..].iter().collect();
                let valid = rest.find('}').map(|e| {
                    let inner = &rest[1..e];
                    !inner.is_empty() && inner.chars().all(|ch| ch.is_ascii_digit() || ch == ',')
                });
                if valid == Some(true) {
                    out.push('{');
                } else {
                    out.push_str("\\{");
                }
            }
            '*' if out.is_empty() || out.ends_with('(') || out.ends_with('|') || out.ends_with('^') => {
                out.push_str("\\*"); // a leading `*` is literal
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// Compiles a POSIX regular expression, with GNU's message when it is invalid. `^` and `$` match
/// at the ends of the text only (sed's pattern space may hold several lines).
pub fn compile(re: &str, extended: bool, icase: bool) -> Result<Regex, String> {
    let t = translate(re, extended);
    let t = if icase { format!("(?i){}", t) } else { t };
    Regex::new(&t).map_err(|e| {
        let msg = e.to_string();
        if msg.contains("backreferences are not supported") {
            "back-references (\\1 in a pattern) are not supported in the sandbox".to_string()
        } else {
            format!("invalid regular expression '{}': {}", re, msg.lines().last().unwrap_or("").trim())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_patterns() {
        assert!(fnmatch("*.rs", "main.rs"));
        assert!(!fnmatch("*.rs", "main.rsx"));
        assert!(fnmatch("a?c", "abc"));
        assert!(fnmatch("[a-c]x", "bx"));
        assert!(!fnmatch("[!a-c]x", "bx"));
        assert!(fnmatch("[[:digit:]]*", "9lives"));
        assert!(fnmatch("\\*", "*"));
        assert!(!fnmatch("\\*", "x"));
        assert!(fnmatch("*a*b*", "xxaxxbxx"));
        assert!(fnmatch("[", "["));
        assert!(fnmatch("", ""));
        assert!(fnmatch_ci("*.MD", "readme.md"));
        assert!(fnmatch("[]a]", "]"));
    }

    #[test]
    fn basic_and_extended_regexes() {
        assert_eq!(translate("a\\(b\\)*c", false), "a(b)*c");
        assert_eq!(translate("a(b)+", false), "a\\(b\\)\\+");
        assert_eq!(translate("a(b)+", true), "a(b)+");
        assert_eq!(translate("[\\]x", false), "[\\\\]x");
        assert_eq!(translate("*x", false), "\\*x");
        assert_eq!(translate("\\<word\\>", true), "\\bword\\b");
        assert_eq!(translate("a{,", true), "a\\{,");
        assert!(compile("^fn [a-z_]*(", false, false).unwrap().is_match("fn main("));
        assert!(compile("TODO|FIXME", true, false).unwrap().is_match("x FIXME"));
        assert!(compile("todo", false, true).unwrap().is_match("TODO"));
        assert!(compile("[[:space:]]x", false, false).unwrap().is_match(" x"));
        assert!(compile("(a)\\1", true, false).unwrap_err().contains("back-references"));
    }
}
