//! Writers for the output contract (PRODUCT.md §4) shared by every command that flags
//! accounts. Text cells (handles, names, signals) are neutralised against spreadsheet
//! formulas, since profiles are written by adversaries; account ids are written exactly,
//! because published hashes may begin with `+` and must match the archive they came from.

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
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct AccountRow {
    pub account_id: String,
    pub screen_name: String,
    pub network_id: String,
    pub role: String,
    pub coordination_score: f64,
    /// Mean of the account's indicators (`indicators.csv`); empty when none is measurable.
    pub inauthenticity_score: Option<f64>,
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
            // Ids must round-trip exactly (a 2020 archive hash may start with `+`): they are
            // platform identifiers, never formulas an adversary wrote.
            &r.account_id,
            neutralise(&r.screen_name).as_ref(),
            &r.network_id,
            &r.role,
            &format!("{:.4}", r.coordination_score),
            &r.inauthenticity_score.map(|v| format!("{v:.4}")).unwrap_or_default(),
            &r.posts.to_string(),
            neutralise(&r.signals).as_ref(),
        ])?;
    }
    w.flush()
}

/// Writes `indicators.csv`: each account's creation day and the parts of its
/// `inauthenticity_score` (empty where the data cannot measure one).
pub fn write_indicators(path: &Path, data: &crate::Dataset, det: &crate::detect::Detection) -> std::io::Result<()> {
    let mut w = csv::Writer::from_path(path)?;
    let mut header = vec!["account_id", "account_created"];
    header.extend(crate::indicators::Indicators::NAMES);
    header.push("inauthenticity_score");
    w.write_record(&header)?;
    let cell = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
    for a in data.profiled_accounts() {
        let ind = &det.indicators[a as usize];
        let created = data.accounts.created_ms[a as usize];
        let created = if created == crate::model::UNKNOWN_TIME {
            String::new()
        } else {
            crate::parse::format_time(created)[..10].to_string()
        };
        let mut rec = vec![data.accounts.key.get(a).to_string(), created];
        rec.extend(ind.parts().into_iter().map(cell));
        rec.push(cell(ind.score()));
        w.write_record(&rec)?;
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

/// A coordinated group the authenticity screen set aside, with its members' ids so an
/// analyst can check it (`dismissed.json`).
#[derive(Serialize)]
struct DismissedGroup<'a> {
    #[serde(flatten)]
    group: &'a crate::detect::Network,
    account_ids: Vec<&'a str>,
}

fn dismissed_groups<'a>(data: &'a crate::Dataset, det: &'a crate::detect::Detection) -> Vec<DismissedGroup<'a>> {
    det.dismissed
        .iter()
        .map(|g| DismissedGroup {
            group: g,
            account_ids: g.members.iter().map(|&m| data.accounts.key.get(m)).collect(),
        })
        .collect()
}

/// Writes `accounts.csv`, `networks.json`, `dismissed.json`, `edges.csv`, `network.gexf`,
/// `network.graphml` and `report.html` of a detection run into `dir`.
pub fn write_detection(dir: &Path, data: &crate::Dataset, det: &crate::detect::Detection) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut posts = vec![0u64; data.accounts.len()];
    for &a in &data.posts.account {
        posts[a as usize] += 1;
    }
    let rows: Vec<AccountRow> = data
        .profiled_accounts()
        .map(|a| {
            let i = a as usize;
            let network = det.network_of[i];
            AccountRow {
                account_id: data.accounts.key.get(a).to_string(),
                screen_name: data.strings.opt(data.accounts.screen_name[i]).unwrap_or("").to_string(),
                network_id: network.map(|n| det.networks[n as usize].id.clone()).unwrap_or_default(),
                role: det.role[i].map(|r| r.name().to_string()).unwrap_or_default(),
                coordination_score: if network.is_some() { det.coordination_score[i] } else { 0.0 },
                inauthenticity_score: det.indicators[i].score(),
                posts: posts[i],
                signals: if network.is_some() { det.signal_names(a) } else { String::new() },
            }
        })
        .collect();
    write_accounts(&dir.join("accounts.csv"), &rows)?;
    write_indicators(&dir.join("indicators.csv"), data, det)?;
    write_json(&dir.join("networks.json"), &det.networks)?;
    write_json(&dir.join("dismissed.json"), &dismissed_groups(data, det))?;
    crate::graphfile::write_gexf(&dir.join("network.gexf"), data, det)?;
    crate::graphfile::write_graphml(&dir.join("network.graphml"), data, det)?;
    crate::report::write_report(&dir.join("report.html"), data, det)?;

    // edges.csv: fused weight and each signal's surprise (−log10 p), empty where absent.
    let mut w = csv::Writer::from_path(dir.join("edges.csv"))?;
    let mut header = vec!["source", "target", "weight"];
    header.extend(det.signals.iter().map(|s| s.name));
    w.write_record(&header)?;
    for (a, b, weight, surprises) in det.fused_with_signals(|_, _| true) {
        let mut rec =
            vec![data.accounts.key.get(a).to_string(), data.accounts.key.get(b).to_string(), format!("{weight:.4}")];
        rec.extend(surprises.iter().map(|s| s.map(|s| format!("{s:.2}")).unwrap_or_default()));
        w.write_record(&rec)?;
    }
    w.flush()
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

    #[test]
    fn ids_round_trip_and_names_are_neutralised() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("accounts.csv");
        let row = AccountRow {
            account_id: "+Fa0nMj9dZzhLS9CHiXYwCOtryR8b6m5wMR+UQI9lQ=".into(),
            screen_name: "=cmd|' /C calc'!A0".into(),
            network_id: "N1".into(),
            role: String::new(),
            coordination_score: 0.5,
            inauthenticity_score: None,
            posts: 3,
            signals: "co_retweet;co_url".into(),
        };
        write_accounts(&path, std::slice::from_ref(&row)).unwrap();
        let mut r = csv::Reader::from_path(&path).unwrap();
        let rec = r.records().next().unwrap().unwrap();
        assert_eq!(&rec[0], row.account_id);
        assert_eq!(&rec[1], "'=cmd|' /C calc'!A0");
        assert_eq!(&rec[5], "");
        assert_eq!(&rec[7], "co_retweet;co_url");
    }
}
