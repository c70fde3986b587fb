//! Calendar arithmetic in UTC (the sandbox has no time zone database; `date` and `ls -l` show UTC).

use std::time::{SystemTime, UNIX_EPOCH};

pub struct Civil {
    pub year: i64,
    pub month: u32, // 1-12
    pub day: u32,
    pub hour: u32,
    pub min: u32,
    pub sec: u32,
    pub nanos: u32,
    pub weekday: u32, // 0 = Sunday
    pub yday: u32,    // 1-366
    pub epoch: i64,
}

pub const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
pub const MONTHS_LONG: [&str; 12] = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
];
pub const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
pub const DAYS_LONG: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

pub fn now() -> (i64, u32) {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
        Err(_) => (0, 0),
    }
}

pub fn of(t: SystemTime) -> (i64, u32) {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
        Err(e) => (-(e.duration().as_secs() as i64), 0),
    }
}

/// Days since 1970-01-01 → (year, month, day) (Howard Hinnant's algorithm).
fn from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub fn civil(secs: i64, nanos: u32) -> Civil {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (year, month, day) = from_days(days);
    let cum = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let yday = cum[(month - 1) as usize] + day + if month > 2 && leap(year) { 1 } else { 0 };
    Civil {
        year,
        month,
        day,
        hour: (rem / 3600) as u32,
        min: (rem % 3600 / 60) as u32,
        sec: (rem % 60) as u32,
        nanos,
        weekday: ((days + 4).rem_euclid(7)) as u32,
        yday,
        epoch: secs,
    }
}

/// strftime for the conversions agents use; unknown ones are kept as typed.
pub fn format(c: &Civil, fmt: &str) -> String {
    let mut out = String::new();
    let mut chars = fmt.chars().peekable();
    while let Some(ch) = chars.next() {
        if ch != '%' {
            out.push(ch);
            continue;
        }
        let mut pad: Option<char> = None;
        if let Some(&f) = chars.peek() {
            if f == '-' || f == '_' || f == '0' {
                pad = Some(f);
                chars.next();
            }
        }
        let num = |v: i64, w: usize, default_pad: char| -> String {
            match pad.unwrap_or(default_pad) {
                '-' => v.to_string(),
                '_' => format!("{:>w$}", v, w = w),
                ' ' => format!("{:>w$}", v, w = w),
                _ => format!("{:0w$}", v, w = w),
            }
        };
        let conv = match chars.next() {
            Some(x) => x,
            None => {
                out.push('%');
                break;
            }
        };
        let s = match conv {
            'Y' => c.year.to_string(),
            'C' => num(c.year / 100, 2, '0'),
            'y' => num(c.year % 100, 2, '0'),
            'm' => num(c.month as i64, 2, '0'),
            'd' => num(c.day as i64, 2, '0'),
            'e' => num(c.day as i64, 2, ' '),
            'H' => num(c.hour as i64, 2, '0'),
            'k' => num(c.hour as i64, 2, ' '),
            'I' => num(((c.hour + 11) % 12 + 1) as i64, 2, '0'),
            'l' => num(((c.hour + 11) % 12 + 1) as i64, 2, ' '),
            'M' => num(c.min as i64, 2, '0'),
            'S' => num(c.sec as i64, 2, '0'),
            'N' => format!("{:09}", c.nanos),
            'p' => if c.hour < 12 { "AM" } else { "PM" }.to_string(),
            'P' => if c.hour < 12 { "am" } else { "pm" }.to_string(),
            's' => c.epoch.to_string(),
            'j' => num(c.yday as i64, 3, '0'),
            'a' => DAYS[c.weekday as usize].to_string(),
            'A' => DAYS_LONG[c.weekday as usize].to_string(),
            'b' | 'h' => MONTHS[(c.month - 1) as usize].to_string(),
            'B' => MONTHS_LONG[(c.month - 1) as usize].to_string(),
            'u' => (if c.weekday == 0 { 7 } else { c.weekday }).to_string(),
            'w' => c.weekday.to_string(),
            'Z' => "UTC".to_string(),
            'z' => "+0000".to_string(),
            'F' => format!("{}-{:02}-{:02}", c.year, c.month, c.day),
            'D' => format!("{:02}/{:02}/{:02}", c.month, c.day, c.year % 100),
            'T' => format!("{:02}:{:02}:{:02}", c.hour, c.min, c.sec),
            'R' => format!("{:02}:{:02}", c.hour, c.min),
            'r' => format!("{:02}:{:02}:{:02} {}", (c.hour + 11) % 12 + 1, c.min, c.sec, if c.hour < 12 { "AM" } else { "PM" }),
            'c' => format(c, "%a %b %e %H:%M:%S %Y"),
            'x' => format(c, "%m/%d/%y"),
            'X' => format(c, "%H:%M:%S"),
            'n' => "\n".to_string(),
            't' => "\t".to_string(),
            '%' => "%".to_string(),
            other => format!("%{}", other),
        };
        out.push_str(&s);
    }
    out
}

/// Parses what `date -d` is given most: `@SECONDS`, `YYYY-MM-DD[ T]HH:MM[:SS][Z]`, `now`, `today`.
pub fn parse(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Some(n) = s.strip_prefix('@') {
        return n.parse().ok();
    }
    if s == "now" || s == "today" || s.is_empty() {
        return Some(now().0);
    }
    if s == "yesterday" {
        return Some(now().0 - 86_400);
    }
    if s == "tomorrow" {
        return Some(now().0 + 86_400);
    }
    let s = s.trim_end_matches('Z').trim_end_matches(" UTC").replace('T', " ");
    let mut parts = s.splitn(2, ' ');
    let date = parts.next()?;
    let time = parts.next().unwrap_or("00:00:00");
    let d: Vec<&str> = date.split('-').collect();
    if d.len() != 3 {
        return None;
    }
    let (y, m, dd): (i64, u32, u32) = (d[0].parse().ok()?, d[1].parse().ok()?, d[2].parse().ok()?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&dd) {
        return None;
    }
    let t: Vec<&str> = time.split(':').collect();
    let h: i64 = t.first()?.parse().ok()?;
    let mi: i64 = t.get(1).map(|x| x.parse().ok()).unwrap_or(Some(0))?;
    let se: i64 = t.get(2).map(|x| x.split('.').next().unwrap_or("0").parse().ok()).unwrap_or(Some(0))?;
    Some(days_from_civil(y, m, dd) * 86_400 + h * 3600 + mi * 60 + se)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar() {
        let c = civil(0, 0);
        assert_eq!((c.year, c.month, c.day, c.weekday, c.yday), (1970, 1, 1, 4, 1));
        let c = civil(1_795_767_623, 0); // 2026-11-27 08:20:23 UTC, a Friday
        assert_eq!(format(&c, "%Y-%m-%d %H:%M:%S %a %j"), "2026-11-27 08:20:23 Fri 331");
        assert_eq!(format(&c, "%a %b %e %T %Z %Y"), "Fri Nov 27 08:20:23 UTC 2026");
        assert_eq!(parse("2026-11-27T08:20:23Z"), Some(1_795_767_623));
        assert_eq!(parse("@5"), Some(5));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(format(&civil(951_782_400, 0), "%F %j"), "2000-02-29 060");
    }
}
