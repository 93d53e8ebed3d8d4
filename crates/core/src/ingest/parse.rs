//! Field parsers shared by the readers: ids, counts, booleans, lists, times, hashes.
//!
//! Each returns `Err(SkipReason)` on a value it cannot read, so the reader can skip the
//! record with a reason instead of guessing.

use crate::ingest::SkipReason;
use chrono::NaiveDate;

/// Twitter's Snowflake epoch (2010-11-04T01:42:54.657Z) in Unix milliseconds.
pub const SNOWFLAKE_EPOCH_MS: i64 = 1_288_834_974_657;

/// A decimal id of up to 20 digits. Never parsed through a float: ids exceed 2^53.
pub fn parse_id(s: &str) -> Result<u64, SkipReason> {
    let s = s.trim_ascii();
    if s.is_empty() || s.len() > 20 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SkipReason::BadId);
    }
    s.parse::<u64>().map_err(|_| SkipReason::BadId)
}

/// An optional id: empty means none.
pub fn parse_opt_id(s: &str) -> Result<u64, SkipReason> {
    if s.trim_ascii().is_empty() {
        Ok(0)
    } else {
        parse_id(s)
    }
}

/// A count written as `12`, `12.0` or empty (unknown). Counts above `u32::MAX - 1` saturate.
pub fn parse_count(s: &str) -> Result<Option<u32>, SkipReason> {
    let s = s.trim_ascii();
    if s.is_empty() {
        return Ok(None);
    }
    let int_part = match s.split_once('.') {
        Some((int, frac)) if frac.bytes().all(|b| b == b'0') => int,
        Some(_) => {
            // A fractional count (e.g. "1.5e3") is not a count we can trust.
            let v: f64 = s.parse().map_err(|_| SkipReason::BadNumber)?;
            if !(v.is_finite() && v >= 0.0 && v.fract() == 0.0) {
                return Err(SkipReason::BadNumber);
            }
            return Ok(Some(v.min((u32::MAX - 1) as f64) as u32));
        }
        None => s,
    };
    if int_part.is_empty() || !int_part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SkipReason::BadNumber);
    }
    Ok(Some(int_part.parse::<u64>().map_or(u32::MAX - 1, |v| v.min((u32::MAX - 1) as u64) as u32)))
}

/// `true/false/True/False/TRUE/FALSE/1/0`; empty is false.
pub fn parse_bool(s: &str) -> Result<bool, SkipReason> {
    match s.trim_ascii() {
        "true" | "True" | "TRUE" | "1" | "t" | "yes" => Ok(true),
        "false" | "False" | "FALSE" | "0" | "f" | "no" | "" => Ok(false),
        _ => Err(SkipReason::BadBool),
    }
}

/// A latitude or longitude: empty or `absent` means none.
pub fn parse_geo(s: &str) -> Result<Option<f32>, SkipReason> {
    let s = s.trim_ascii();
    if s.is_empty() || s.eq_ignore_ascii_case("absent") || s.eq_ignore_ascii_case("null") {
        return Ok(None);
    }
    match s.parse::<f32>() {
        Ok(v) if v.is_finite() && v.abs() <= 180.0 => Ok(Some(v)),
        _ => Err(SkipReason::BadNumber),
    }
}

/// A list as the archive writes it: `[a, b]`, `['a', 'b']`, `["a", "b"]`, `[]` or empty.
/// Items are trimmed; quotes are removed; empty items are dropped.
pub fn parse_list(s: &str) -> Result<Vec<&str>, SkipReason> {
    let s = s.trim_ascii();
    if s.is_empty() {
        return Ok(Vec::new());
    }
    let inner = s.strip_prefix('[').and_then(|r| r.strip_suffix(']')).ok_or(SkipReason::BadList)?.trim_ascii();
    if inner.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let first = inner.as_bytes()[0];
    if first == b'\'' || first == b'"' {
        // Quoted items: a quote closes only when followed by `,` or the end.
        let b = inner.as_bytes();
        let mut i = 0;
        while i < b.len() {
            while i < b.len() && (b[i] == b' ' || b[i] == b',') {
                i += 1;
            }
            if i >= b.len() {
                break;
            }
            let q = b[i];
            if q != b'\'' && q != b'"' {
                return Err(SkipReason::BadList);
            }
            let start = i + 1;
            let mut j = start;
            loop {
                if j >= b.len() {
                    return Err(SkipReason::BadList);
                }
                if b[j] == q {
                    let mut k = j + 1;
                    while k < b.len() && b[k] == b' ' {
                        k += 1;
                    }
                    if k >= b.len() || b[k] == b',' {
                        break;
                    }
                }
                j += 1;
            }
            let item = inner[start..j].trim_ascii();
            if !item.is_empty() {
                out.push(item);
            }
            i = j + 1;
        }
    } else {
        let sep = if inner.contains(", ") { ", " } else { "," };
        out.extend(inner.split(sep).map(str::trim).filter(|x| !x.is_empty()));
    }
    Ok(out)
}

fn num(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 4 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u32, |a, &d| a * 10 + (d - b'0') as u32))
}

fn ymd_hms_ms(y: u32, mo: u32, d: u32, h: u32, mi: u32, sec: u32, frac_ms: u32) -> Option<i64> {
    let date = NaiveDate::from_ymd_opt(y as i32, mo, d)?;
    let t = date.and_hms_milli_opt(h, mi, sec, frac_ms)?;
    Some(t.and_utc().timestamp_millis())
}

/// A UTC time: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM`, `YYYY-MM-DD HH:MM:SS`, with `T` and an
/// optional `Z`/`.fff`/`+00:00`; or the FiveThirtyEight `M/D/YYYY H:MM`; or Twitter v1.1's
/// `Wed Oct 10 20:19:24 +0000 2018`. Returns Unix milliseconds.
pub fn parse_time(s: &str) -> Result<i64, SkipReason> {
    let t = parse_time_any(s)?;
    if crate::units::plausible_time(t) {
        Ok(t)
    } else {
        Err(SkipReason::BadTime)
    }
}

/// A Unix-millisecond time from a number field, within the plausible range.
pub fn check_time(ms: i64) -> Result<i64, SkipReason> {
    if crate::units::plausible_time(ms) {
        Ok(ms)
    } else {
        Err(SkipReason::BadTime)
    }
}

fn parse_time_any(s: &str) -> Result<i64, SkipReason> {
    let s = s.trim_ascii();
    let b = s.as_bytes();
    if b.is_empty() {
        return Err(SkipReason::MissingTime);
    }
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        let (y, mo, d) = (num(&b[0..4]), num(&b[5..7]), num(&b[8..10]));
        let (Some(y), Some(mo), Some(d)) = (y, mo, d) else {
            return Err(SkipReason::BadTime);
        };
        let rest = &s[10..];
        if rest.is_empty() {
            return ymd_hms_ms(y, mo, d, 0, 0, 0, 0).ok_or(SkipReason::BadTime);
        }
        let rest = rest.strip_prefix([' ', 'T']).ok_or(SkipReason::BadTime)?;
        let rest = rest
            .strip_suffix('Z')
            .or_else(|| rest.strip_suffix("+00:00"))
            .or_else(|| rest.strip_suffix(" UTC"))
            .or_else(|| rest.strip_suffix("+0000"))
            .unwrap_or(rest);
        let (hms, frac) = rest.split_once('.').unwrap_or((rest, ""));
        let mut parts = hms.split(':');
        let h = parts.next().and_then(|p| num(p.as_bytes()));
        let mi = parts.next().and_then(|p| num(p.as_bytes()));
        let sec = match parts.next() {
            Some(p) => num(p.as_bytes()),
            None => Some(0),
        };
        if parts.next().is_some() {
            return Err(SkipReason::BadTime);
        }
        let frac_ms = if frac.is_empty() {
            Some(0)
        } else if frac.bytes().all(|c| c.is_ascii_digit()) {
            let mut f = frac.as_bytes().iter().take(3).fold(0u32, |a, &d| a * 10 + (d - b'0') as u32);
            for _ in frac.len().min(3)..3 {
                f *= 10;
            }
            Some(f)
        } else {
            None
        };
        let (Some(h), Some(mi), Some(sec), Some(fm)) = (h, mi, sec, frac_ms) else {
            return Err(SkipReason::BadTime);
        };
        return ymd_hms_ms(y, mo, d, h, mi, sec, fm).ok_or(SkipReason::BadTime);
    }
    if let Some((date, time)) = s.split_once(' ') {
        if date.contains('/') {
            let mut dp = date.split('/');
            let (mo, d, y) = (
                dp.next().and_then(|p| num(p.as_bytes())),
                dp.next().and_then(|p| num(p.as_bytes())),
                dp.next().and_then(|p| num(p.as_bytes())),
            );
            let mut tp = time.split(':');
            let (h, mi) = (tp.next().and_then(|p| num(p.as_bytes())), tp.next().and_then(|p| num(p.as_bytes())));
            let sec = tp.next().map_or(Some(0), |p| num(p.as_bytes()));
            if let (Some(mo), Some(d), Some(y), Some(h), Some(mi), Some(sec)) = (mo, d, y, h, mi, sec) {
                // FiveThirtyEight exports re-saved by a spreadsheet write `6/21/15 16:28`.
                let y = if y < 100 { y + 2000 } else { y };
                if dp.next().is_none() && tp.next().is_none() {
                    return ymd_hms_ms(y, mo, d, h, mi, sec, 0).ok_or(SkipReason::BadTime);
                }
            }
            return Err(SkipReason::BadTime);
        }
    }
    chrono::DateTime::parse_from_str(s, "%a %b %d %H:%M:%S %z %Y")
        .map(|t| t.timestamp_millis())
        .map_err(|_| SkipReason::BadTime)
}

/// An account key fit for every output: no control characters (a NUL or a terminal escape
/// sequence in an id is an adversary's or a corruption, never a platform's).
pub fn check_key<'a>(key: &'a str, field: &str) -> Result<&'a str, (SkipReason, String)> {
    if key.chars().any(char::is_control) {
        return Err((SkipReason::BadId, format!("{field} holds control characters")));
    }
    Ok(key)
}

/// `YYYY-MM-DD` of a Unix-millisecond time (empty outside chrono's range, never a panic).
pub fn format_day(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

/// The millisecond time inside a Snowflake id, when the id is one (ids after Nov 2010).
pub fn snowflake_ms(id: u64) -> Option<i64> {
    // Pre-Snowflake ids were sequential and below ~3e10; Snowflake ids start near 2.9e16.
    if id < (1u64 << 52) {
        return None;
    }
    Some((id >> 22) as i64 + SNOWFLAKE_EPOCH_MS)
}

/// The best time for a post: the Snowflake time when it agrees with the minute-precision
/// time the file gives (within a minute), else the file's time.
pub fn refine_time(id: u64, file_ms: i64) -> (i64, bool) {
    match snowflake_ms(id) {
        Some(ms) if (ms - file_ms).abs() < 120_000 => (ms, true),
        _ => (file_ms, false),
    }
}

/// Whether a value is a published hash in place of an id, name or screen name: 64 hex
/// characters (2018-19 releases) or 28-44 base64 characters (2020 releases). Real user ids
/// are digits and screen names have at most 15 characters, so neither looks like this.
pub fn looks_hashed(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() == 64 && b.iter().all(u8::is_ascii_hexdigit) {
        return true;
    }
    (28..=44).contains(&b.len())
        && b.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/' || c == b'=')
        && !b.iter().all(u8::is_ascii_digit)
        && !b[..b.len().saturating_sub(2)].contains(&b'=')
}

/// Unix milliseconds as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ids_never_go_through_floats() {
        assert_eq!(parse_id("1234567890123456789"), Ok(1234567890123456789));
        assert_eq!(parse_id("18446744073709551615"), Ok(u64::MAX));
        assert_eq!(parse_id("18446744073709551616"), Err(SkipReason::BadId));
        assert_eq!(parse_id("1.2e18"), Err(SkipReason::BadId));
        assert_eq!(parse_id(""), Err(SkipReason::BadId));
        assert_eq!(parse_opt_id(""), Ok(0));
    }

    #[test]
    fn counts_in_every_spelling() {
        assert_eq!(parse_count("0"), Ok(Some(0)));
        assert_eq!(parse_count("0.0"), Ok(Some(0)));
        assert_eq!(parse_count("17.00"), Ok(Some(17)));
        assert_eq!(parse_count(""), Ok(None));
        assert_eq!(parse_count("1e3"), Err(SkipReason::BadNumber));
        assert_eq!(parse_count("1.5"), Err(SkipReason::BadNumber));
        assert_eq!(parse_count("-3"), Err(SkipReason::BadNumber));
        assert_eq!(parse_count("abc"), Err(SkipReason::BadNumber));
        assert_eq!(parse_count("99999999999"), Ok(Some(u32::MAX - 1)));
    }

    #[test]
    fn booleans_and_geo() {
        assert_eq!(parse_bool("True"), Ok(true));
        assert_eq!(parse_bool("false"), Ok(false));
        assert_eq!(parse_bool("maybe"), Err(SkipReason::BadBool));
        assert_eq!(parse_geo("absent"), Ok(None));
        assert_eq!(parse_geo(""), Ok(None));
        assert_eq!(parse_geo("-33.5"), Ok(Some(-33.5)));
        assert_eq!(parse_geo("north"), Err(SkipReason::BadNumber));
    }

    #[test]
    fn lists_in_every_spelling() {
        assert_eq!(parse_list("[a, b]"), Ok(vec!["a", "b"]));
        assert_eq!(parse_list("['a', 'b']"), Ok(vec!["a", "b"]));
        assert_eq!(parse_list("[\"a\", \"b c\"]"), Ok(vec!["a", "b c"]));
        assert_eq!(parse_list("[]"), Ok(vec![]));
        assert_eq!(parse_list(""), Ok(vec![]));
        assert_eq!(parse_list("[2572896396]"), Ok(vec!["2572896396"]));
        assert_eq!(
            parse_list("[http://ru-open.livejournal.com/374284.html]"),
            Ok(vec!["http://ru-open.livejournal.com/374284.html"])
        );
        assert_eq!(parse_list("['it's', 'x']"), Ok(vec!["it's", "x"]));
        assert_eq!(parse_list("a, b"), Err(SkipReason::BadList));
        assert_eq!(parse_list("['a"), Err(SkipReason::BadList));
    }

    #[test]
    fn times_in_every_spelling() {
        let t = 1_592_222_400_000; // 2020-06-15T12:00:00Z
        assert_eq!(parse_time("2020-06-15 12:00"), Ok(t));
        assert_eq!(parse_time("2020-06-15 12:00:00"), Ok(t));
        assert_eq!(parse_time("2020-06-15T12:00:00Z"), Ok(t));
        assert_eq!(parse_time("2020-06-15T12:00:00.250Z"), Ok(t + 250));
        assert_eq!(parse_time("2020-06-15T12:00:00+00:00"), Ok(t));
        assert_eq!(parse_time("6/15/2020 12:00"), Ok(t));
        assert_eq!(parse_time("Mon Jun 15 12:00:00 +0000 2020"), Ok(t));
        assert_eq!(parse_time("2020-06-15"), Ok(t - 12 * 3_600_000));
        assert_eq!(parse_time("2020-02-30 12:00"), Err(SkipReason::BadTime));
        assert_eq!(parse_time("yesterday"), Err(SkipReason::BadTime));
        assert_eq!(parse_time(""), Err(SkipReason::MissingTime));
        // Two-digit years (a spreadsheet's re-save of the FiveThirtyEight files).
        assert_eq!(parse_time("6/15/20 12:00"), Ok(t));
        // Outside 2000–2100: corrupted or hostile, never a panic or a terabyte series later.
        for s in ["9999-12-31 23:59", "1970-01-01", "1999-12-31 23:59:59", "2100-01-01", "1/1/1900 00:00"] {
            assert_eq!(parse_time(s), Err(SkipReason::BadTime), "{s}");
        }
        assert_eq!(check_time(i64::MAX), Err(SkipReason::BadTime));
        assert_eq!(check_time(i64::MIN), Err(SkipReason::BadTime));
        assert_eq!(check_time(t), Ok(t));
    }

    #[test]
    fn snowflake_time_is_recovered() {
        // 877919995476496385 was posted 2017-06-22 16:03 UTC (the archive's minute).
        let file = parse_time("2017-06-22 16:03").unwrap();
        let (ms, from_id) = refine_time(877_919_995_476_496_385, file);
        assert!(from_id);
        assert!(ms >= file && ms < file + 60_000, "{ms} vs {file}");
        // A pre-Snowflake id keeps the file's time.
        assert_eq!(refine_time(12_345, file), (file, false));
    }

    #[test]
    fn hashes_are_detected_from_the_value() {
        assert!(looks_hashed("249064136b1c5cb00a705316ab73dd9b53785748ab757f02df7e7a9876906139"));
        assert!(looks_hashed("Fa0nMj9dZ+zhLS9CHiXYwCOtryR8b6m5wMR+UQI9lQ="));
        assert!(looks_hashed("uOrf1TDmM7vP4YEhOJDXORoqvpDlsJt03AyOfhrZo="));
        assert!(!looks_hashed("2572896396"));
        assert!(!looks_hashed("jack"));
        assert!(!looks_hashed("12345678901234567890123456789012"));
    }

    proptest! {
        #[test]
        fn any_u64_id_round_trips(v: u64) {
            prop_assert_eq!(parse_id(&v.to_string()), Ok(v));
        }

        #[test]
        fn counts_round_trip_with_or_without_decimals(v in 0u32..u32::MAX - 1, dec in proptest::bool::ANY) {
            let s = if dec { format!("{v}.0") } else { v.to_string() };
            prop_assert_eq!(parse_count(&s), Ok(Some(v)));
        }

        #[test]
        fn parsers_never_panic(s in "\\PC{0,40}") {
            let _ = parse_id(&s);
            let _ = parse_count(&s);
            let _ = parse_bool(&s);
            let _ = parse_geo(&s);
            let _ = parse_list(&s);
            let _ = parse_time(&s);
            let _ = looks_hashed(&s);
        }

        #[test]
        fn lists_round_trip(items in proptest::collection::vec("[a-zA-Z0-9_:/.]{1,12}", 0..6), quoted in proptest::bool::ANY) {
            let s = if quoted {
                format!("[{}]", items.iter().map(|i| format!("'{i}'")).collect::<Vec<_>>().join(", "))
            } else {
                format!("[{}]", items.join(", "))
            };
            let parsed = parse_list(&s).unwrap();
            prop_assert_eq!(parsed, items.iter().map(String::as_str).collect::<Vec<_>>());
        }

        #[test]
        fn times_round_trip(secs in 946_684_800i64..4_102_444_800) {
            let ms = secs * 1000;
            prop_assert_eq!(parse_time(&format_time(ms)), Ok(ms));
            let minute = chrono::DateTime::from_timestamp_millis(ms).unwrap().format("%Y-%m-%d %H:%M").to_string();
            prop_assert_eq!(parse_time(&minute), Ok(ms - ms % 60_000));
        }
    }
}
