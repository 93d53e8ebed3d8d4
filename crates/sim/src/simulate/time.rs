//! Civil-date arithmetic, Snowflake ids and fast timestamp formatting (no wall clock).

/// Twitter's Snowflake epoch (2010-11-04 01:42:54.657 UTC) in Unix milliseconds.
pub const TWEPOCH_MS: i64 = 1_288_834_974_657;
pub const MS_PER_DAY: i64 = 86_400_000;

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month, day) of days since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
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

/// Parses `YYYY-MM-DD` (years 2000..=2099 are plenty here) into days since the Unix epoch.
pub fn parse_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> { s.get(r)?.parse::<u32>().ok() };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(2000..=2099).contains(&y) || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y as i64, m) {
        return None;
    }
    Some(days_from_civil(y as i64, m, d))
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Day of week, 0 = Monday .. 6 = Sunday.
pub fn weekday(days: i64) -> u32 {
    // 1970-01-01 was a Thursday (3).
    ((days + 3).rem_euclid(7)) as u32
}

/// `YYYY-MM-DD` of days since the epoch.
pub fn fmt_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Appends `YYYY-MM-DD HH:MM` for a Unix millisecond time.
pub fn push_minute(out: &mut Vec<u8>, ms: i64) {
    let days = ms.div_euclid(MS_PER_DAY);
    let rem = ms.rem_euclid(MS_PER_DAY) / 60_000;
    let (y, m, d) = civil_from_days(days);
    let (h, mi) = (rem / 60, rem % 60);
    let y = y as u32;
    out.extend_from_slice(&[
        b'0' + (y / 1000 % 10) as u8,
        b'0' + (y / 100 % 10) as u8,
        b'0' + (y / 10 % 10) as u8,
        b'0' + (y % 10) as u8,
        b'-',
        b'0' + (m / 10) as u8,
        b'0' + (m % 10) as u8,
        b'-',
        b'0' + (d / 10) as u8,
        b'0' + (d % 10) as u8,
        b' ',
        b'0' + (h / 10) as u8,
        b'0' + (h % 10) as u8,
        b':',
        b'0' + (mi / 10) as u8,
        b'0' + (mi % 10) as u8,
    ]);
}

/// A Snowflake id for a millisecond time with the given low 22 bits.
pub fn snowflake(ms: i64, low22: u64) -> u64 {
    (((ms - TWEPOCH_MS).max(0) as u64) << 22) | (low22 & 0x3f_ffff)
}

/// Millisecond time of a Snowflake id.
#[cfg(test)]
pub fn snowflake_ms(id: u64) -> i64 {
    (id >> 22) as i64 + TWEPOCH_MS
}

/// Appends the decimal digits of `v`.
pub fn push_u64(out: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for z in -1000..40_000 {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(parse_date("2019-10-01"), Some(days_from_civil(2019, 10, 1)));
        assert_eq!(parse_date("2019-02-29"), None);
        assert_eq!(parse_date("2020-02-29").map(fmt_date).as_deref(), Some("2020-02-29"));
        assert_eq!(weekday(days_from_civil(2020, 3, 9)), 0); // a Monday
        let mut v = Vec::new();
        push_minute(&mut v, days_from_civil(2020, 3, 9) * MS_PER_DAY + 13 * 3_600_000 + 7 * 60_000 + 59_999);
        assert_eq!(v, b"2020-03-09 13:07");
        let id = snowflake(1_583_759_279_999, 12345);
        assert_eq!(snowflake_ms(id), 1_583_759_279_999);
        let mut v = Vec::new();
        push_u64(&mut v, 0);
        push_u64(&mut v, u64::MAX);
        assert_eq!(v, b"018446744073709551615");
    }
}
