//! Writers for the output contract (PRODUCT.md §4) shared by every command that flags
//! accounts. Cells are neutralised against spreadsheet formulas: post texts, handles and
//! profiles are written by adversaries.

use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// The header of `accounts.csv`.
pub const ACCOUNTS_HEADER: [&str; 8] = [
    "account_id",
    "screen_name",
    "network_id",
    "role",
    "coordination_score",
    "inauthenticity_score",
    "posts",
    "signals",
];

/// One row of `accounts.csv`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AccountRow {
    pub account_id: String,
    pub screen_name: String,
    pub network_id: String,
    pub role: String,
    pub coordination_score: f64,
    pub inauthenticity_score: f64,
    pub posts: u64,
    pub signals: String,
}

/// A cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) gets a
/// leading `'`, as OWASP recommends for CSV injection.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// Writes `accounts.csv`.
pub fn write_accounts(path: &Path, rows: &[AccountRow]) -> std::io::Result<()> {
    let mut w = csv::Writer::from_path(path)?;
    w.write_record(ACCOUNTS_HEADER)?;
    for r in rows {
        w.write_record([
            neutralise(&r.account_id).as_ref(),
            neutralise(&r.screen_name).as_ref(),
            neutralise(&r.network_id).as_ref(),
            &r.role,
            &format!("{:.4}", r.coordination_score),
            &format!("{:.4}", r.inauthenticity_score),
            &r.posts.to_string(),
            neutralise(&r.signals).as_ref(),
        ])?;
    }
    w.flush()
}

/// Writes any serialisable value as pretty JSON.
pub fn write_json<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    serde_json::to_writer_pretty(&mut f, value)?;
    f.write_all(b"\n")?;
    f.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("@handle"), "'@handle");
        assert_eq!(neutralise("plain"), "plain");
        assert_eq!(neutralise(""), "");
    }
}
