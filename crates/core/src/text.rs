//! Text helpers every stage shares: cells safe for spreadsheets, strings safe for
//! terminals, ids safe for JSON readers, hex.

use std::fmt::Write as _;

/// Serialises an id as a JSON string: ids exceed 2^53, where JSON readers lose digits.
pub fn serialize_id<S: serde::Serializer>(id: &u64, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(id)
}

/// Text for a terminal: control characters (escape sequences an adversary put in a screen
/// name or a post) are shown as `\u{..}` escapes instead of being sent to the terminal.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return text.into();
    }
    text.chars()
        .map(|c| if c.is_control() { c.escape_unicode().to_string() } else { c.to_string() })
        .collect::<String>()
        .into()
}

/// A cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) gets a
/// leading `'`, as OWASP recommends for CSV injection; so does a cell that itself begins
/// with `'`, so that reading back (dropping one leading `'`) is exact.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r' | b'\'') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// An id cell: neutralised like [`neutralise`], except that a published hash or a number
/// (`+Fa0n…=`, `-1`: only base64 and digit characters) stays exact, since it must match the
/// archive it came from. An id like `=HYPERLINK(…)` is an adversary's, and is neutralised.
pub fn neutralise_id(id: &str) -> std::borrow::Cow<'_, str> {
    let b = id.as_bytes();
    let plain = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=' | b'-' | b'_');
    match b.first() {
        Some(b'+' | b'-') if b.iter().all(plain) => id.into(),
        _ => neutralise(id),
    }
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}
