//! `$(( ))` arithmetic on 64-bit integers: + - * / % ** << >> < <= > >= == != & ^ | && || ! ~,
//! parentheses, `?:`, variables by name, and the assignments = += -= *= /= %=.

use std::collections::BTreeMap;

pub fn eval(expr: &str, vars: &mut BTreeMap<String, String>) -> Result<i64, String> {
    let toks = tokens(expr)?;
    let mut p = P { t: toks, i: 0, vars };
    if p.t.is_empty() {
        return Ok(0);
    }
    let v = p.ternary()?;
    if p.i < p.t.len() {
        return Err(format!("{}: syntax error in expression (error token is \"{}\")", expr.trim(), p.t[p.i]));
    }
    Ok(v)
}

fn tokens(s: &str) -> Result<Vec<String>, String> {
    let cs: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    const OPS: &[&str] = &[
        "**", "<<=", ">>=", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=", "*=", "/=", "%=", "++", "--",
    ];
    while i < cs.len() {
        let c = cs[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_alphanumeric() || c == '_' {
            let st = i;
            while i < cs.len() && (cs[i].is_ascii_alphanumeric() || cs[i] == '_') {
                i += 1;
            }
            out.push(cs[st..i].iter().collect());
        } else {
            let rest: String = cs[i..(i + 3).min(cs.len())].iter().collect();
            if let Some(op) = OPS.iter().find(|o| rest.starts_with(**o)) {
                out.push(op.to_string());
                i += op.len();
            } else if "+-*/%<>&|^!~()?:=".contains(c) {
                out.push(c.to_string());
                i += 1;
            } else {
                return Err(format!("{}: syntax error: invalid arithmetic operator (error token is \"{}\")", s.trim(), c));
            }
        }
    }
    Ok(out)
}

struct P<'a> {
    t: Vec<String>,
    i: usize,
    vars: &'a mut BTreeMap<String, String>,
}

fn parse_num(s: &str) -> Option<i64> {
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()
    } else if s.len() > 1 && s.starts_with('0') {
        i64::from_str_radix(&s[1..], 8).ok()
    } else {
        s.parse().ok()
    }
}

impl<'a> P<'a> {
    fn peek(&self) -> Option<&str> {
        self.t.get(self.i).map(|s| s.as_str())
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.peek() == Some(s) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn var(&self, name: &str) -> Result<i64, String> {
        let v = self.vars.get(name).cloned().unwrap_or_default();
        let v = v.trim();
        if v.is_empty() {
            return Ok(0);
        }
        parse_num(v).ok_or_else(|| format!("{}: value too great for base or not a number (\"{}\")", name, v))
    }

    fn ternary(&mut self) -> Result<i64, String> {
        // assignment: NAME op= expr
        if let (Some(name), Some(op)) = (self.t.get(self.i).cloned(), self.t.get(self.i + 1).cloned()) {
            if crate::parser::is_name(&name) && matches!(op.as_str(), "=" | "+=" | "-=" | "*=" | "/=" | "%=") {
                self.i += 2;
                let rhs = self.ternary()?;
                let old = self.var(&name)?;
                let v = match op.as_str() {
                    "=" => rhs,
                    "+=" => old.wrapping_add(rhs),
                    "-=" => old.wrapping_sub(rhs),
                    "*=" => old.wrapping_mul(rhs),
                    "/=" => div(old, rhs)?,
                    _ => rem(old, rhs)?,
                };
                self.vars.insert(name, v.to_string());
                return Ok(v);
            }
        }
        let c = self.binary(0)?;
        if self.eat("?") {
            let a = self.ternary()?;
            if !self.eat(":") {
                return Err("expected `:' in conditional expression".to_string());
            }
            let b = self.ternary()?;
            return Ok(if c != 0 { a } else { b });
        }
        Ok(c)
    }

    fn binary(&mut self, min: u8) -> Result<i64, String> {
        let mut lhs = self.unary()?;
        loop {
            let op = match self.peek() {
                Some(o) => o.to_string(),
                None => break,
            };
            let prec = match op.as_str() {
                "||" => 1,
                "&&" => 2,
                "|" => 3,
                "^" => 4,
                "&" => 5,
                "==" | "!=" => 6,
                "<" | "<=" | ">" | ">=" => 7,
                "<<" | ">>" => 8,
                "+" | "-" => 9,
                "*" | "/" | "%" => 10,
                "**" => 11,
                _ => break,
            };
            if prec < min || prec == 0 {
                break;
            }
            self.i += 1;
            let rhs = if op == "**" { self.binary(prec)? } else { self.binary(prec + 1)? };
            lhs = match op.as_str() {
                "||" => ((lhs != 0) || (rhs != 0)) as i64,
                "&&" => ((lhs != 0) && (rhs != 0)) as i64,
                "|" => lhs | rhs,
                "^" => lhs ^ rhs,
                "&" => lhs & rhs,
                "==" => (lhs == rhs) as i64,
                "!=" => (lhs != rhs) as i64,
                "<" => (lhs < rhs) as i64,
                "<=" => (lhs <= rhs) as i64,
                ">" => (lhs > rhs) as i64,
                ">=" => (lhs >= rhs) as i64,
                "<<" => lhs.wrapping_shl(rhs as u32),
                ">>" => lhs.wrapping_shr(rhs as u32),
                "+" => lhs.wrapping_add(rhs),
                "-" => lhs.wrapping_sub(rhs),
                "*" => lhs.wrapping_mul(rhs),
                "/" => div(lhs, rhs)?,
                "%" => rem(lhs, rhs)?,
                _ => {
                    if rhs < 0 {
                        return Err("exponent less than 0".to_string());
                    }
                    lhs.wrapping_pow(rhs as u32)
                }
            };
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<i64, String> {
        match self.peek() {
            Some("-") => {
                self.i += 1;
                Ok(self.unary()?.wrapping_neg())
            }
            Some("+") => {
                self.i += 1;
                self.unary()
            }
            Some("!") => {
                self.i += 1;
                Ok((self.unary()? == 0) as i64)
            }
            Some("~") => {
                self.i += 1;
                Ok(!self.unary()?)
            }
            Some("++") | Some("--") => {
                let inc = if self.peek() == Some("++") { 1 } else { -1 };
                self.i += 1;
                let name = self.t.get(self.i).cloned().unwrap_or_default();
                if !crate::parser::is_name(&name) {
                    return Err("`++'/`--' needs a variable".to_string());
                }
                self.i += 1;
                let v = self.var(&name)? + inc;
                self.vars.insert(name, v.to_string());
                Ok(v)
            }
            Some("(") => {
                self.i += 1;
                let v = self.ternary()?;
                if !self.eat(")") {
                    return Err("missing `)' in expression".to_string());
                }
                Ok(v)
            }
            Some(t) => {
                let t = t.to_string();
                self.i += 1;
                if crate::parser::is_name(&t) {
                    let v = self.var(&t)?;
                    if let Some(op) = self.peek().map(|s| s.to_string()) {
                        if op == "++" || op == "--" {
                            self.i += 1;
                            let nv = if op == "++" { v + 1 } else { v - 1 };
                            self.vars.insert(t, nv.to_string());
                        }
                    }
                    Ok(v)
                } else {
                    parse_num(&t).ok_or_else(|| format!("{}: value too great for base (error token is \"{}\")", t, t))
                }
            }
            None => Err("syntax error: operand expected".to_string()),
        }
    }
}

fn div(a: i64, b: i64) -> Result<i64, String> {
    if b == 0 {
        Err("division by 0".to_string())
    } else {
        Ok(a.wrapping_div(b))
    }
}

fn rem(a: i64, b: i64) -> Result<i64, String> {
    if b == 0 {
        Err("division by 0".to_string())
    } else {
        Ok(a.wrapping_rem(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic() {
        let mut v = BTreeMap::new();
        v.insert("i".to_string(), "4".to_string());
        assert_eq!(eval("1 + 2 * 3", &mut v).unwrap(), 7);
        assert_eq!(eval("(1 + 2) * 3", &mut v).unwrap(), 9);
        assert_eq!(eval("i * 2 - 1", &mut v).unwrap(), 7);
        assert_eq!(eval("2 ** 10 % 1000", &mut v).unwrap(), 24);
        assert_eq!(eval("-7 / 2", &mut v).unwrap(), -3);
        assert_eq!(eval("i > 3 && i < 5", &mut v).unwrap(), 1);
        assert_eq!(eval("i == 4 ? 10 : 20", &mut v).unwrap(), 10);
        assert_eq!(eval("i += 2", &mut v).unwrap(), 6);
        assert_eq!(v["i"], "6");
        assert_eq!(eval("0x10 + 010", &mut v).unwrap(), 24);
        assert_eq!(eval("undefined + 1", &mut v).unwrap(), 1);
        assert_eq!(eval("1 / 0", &mut v).unwrap_err(), "division by 0");
        assert!(eval("1 +", &mut v).is_err());
    }
}
