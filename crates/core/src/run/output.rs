//! Writers for the output contract (PRODUCT.md §4) shared by every command that flags
//! accounts. Text cells (handles, names, signals) are neutralised against spreadsheet
//! formulas, since profiles are written by adversaries; account ids are written exactly,
//! because published hashes may begin with `+` and must match the archive they came from.

use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// The header of `accounts.csv`.
pub const ACCOUNTS_HEADER: [&str; 9] = [
    "account_id",
    "screen_name",
    "network_id",
    "operation_id",
    "role",
    "coordination_score",
    "inauthenticity_score",
    "posts",
    "signals",
];

pub use crate::run::AccountRow;
pub use crate::text::{neutralise, neutralise_id, printable, serialize_id};

/// Writes `accounts.csv`.
pub fn write_accounts(path: &Path, rows: &[AccountRow]) -> std::io::Result<()> {
    let mut w = csv::Writer::from_path(path)?;
    w.write_record(ACCOUNTS_HEADER)?;
    for r in rows {
        w.write_record([
            // A 2020 archive hash may start with `+` and must round-trip exactly.
            neutralise_id(&r.account_id).as_ref(),
            neutralise(&r.screen_name).as_ref(),
            &r.network_id,
            &r.operation_id,
            &r.role,
            &format!("{:.4}", r.coordination_score),
            &r.inauthenticity_score.map(|v| format!("{v:.4}")).unwrap_or_default(),
            &r.posts.to_string(),
            neutralise(&r.signals).as_ref(),
        ])?;
    }
    w.flush()
}

/// The header of `edges.csv`: each per-signal column says its unit (the surprise,
/// −log10 p), the `weight` column is the fused weight.
pub fn edges_header<'a>(signals: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut header: Vec<String> = ["source", "target", "weight"].map(String::from).to_vec();
    header.extend(signals.map(|s| format!("{s}{SURPRISE_UNIT}")));
    header.push("group".into());
    header
}

/// The suffix of a per-signal column of `edges.csv`: its unit.
pub const SURPRISE_UNIT: &str = "_neglog10p";

/// Writes `indicators.csv`: each account's creation day and the parts of its
/// `inauthenticity_score` (empty where the data cannot measure one).
pub fn write_indicators(path: &Path, data: &crate::Dataset, det: &crate::pipeline::Detection) -> std::io::Result<()> {
    let mut w = csv::Writer::from_path(path)?;
    let mut header = vec!["account_id", "account_created"];
    header.extend(crate::characterise::indicators::Indicators::NAMES);
    header.push("inauthenticity_score");
    w.write_record(&header)?;
    let cell = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
    for a in data.profiled_accounts() {
        let ind = &det.indicators[a as usize];
        let created = data.accounts.created_ms[a as usize];
        let created = if created == crate::model::UNKNOWN_TIME {
            String::new()
        } else {
            crate::ingest::parse::format_day(created)
        };
        let mut rec = vec![neutralise_id(data.accounts.key.get(a)).into_owned(), created];
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

fn dismissed_groups(data: &crate::Dataset, det: &crate::pipeline::Detection) -> Vec<crate::run::DismissedGroup> {
    det.dismissed
        .iter()
        .map(|g| crate::run::DismissedGroup {
            group: g.clone(),
            account_ids: g.members.iter().map(|&m| data.accounts.key.get(m).to_string()).collect(),
        })
        .collect()
}

/// Writes `accounts.csv`, `networks.json`, `operations.json`, `attributions.json`,
/// `dismissed.json`, `edges.csv`, `network.gexf`,
/// `network.graphml` and `report.html` of a detection run into `dir`; returns the number of
/// rows of `edges.csv`.
pub fn write_detection(dir: &Path, data: &crate::Dataset, det: &crate::pipeline::Detection) -> std::io::Result<u64> {
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
                operation_id: det.operation_of[i].map(|o| det.operations[o as usize].id.clone()).unwrap_or_default(),
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
    write_json(&dir.join("operations.json"), &det.operations)?;
    let attributions: Vec<crate::run::AttributionRow> = det
        .attributions
        .iter()
        .map(|at| crate::run::AttributionRow {
            account_id: data.accounts.key.get(at.account).to_string(),
            network_id: det.networks[at.network as usize].id.clone(),
            attribution: at.clone(),
        })
        .collect();
    write_json(&dir.join("attributions.json"), &attributions)?;
    write_json(&dir.join("dismissed.json"), &dismissed_groups(data, det))?;
    crate::report::graphfile::write_gexf(&dir.join("network.gexf"), data, det)?;
    crate::report::graphfile::write_graphml(&dir.join("network.graphml"), data, det)?;
    crate::report::write_report(&dir.join("report.html"), data, det)?;

    // edges.csv: fused weight and each signal's surprise (−log10 p), empty where absent,
    // then the network or set-aside group both ends are in (empty: an edge between groups
    // or outside them).
    let mut w = csv::Writer::from_path(dir.join("edges.csv"))?;
    w.write_record(edges_header(det.signals.iter().map(|s| s.name)))?;
    let group = |a: u32, b: u32| -> &str {
        let (a, b) = (a as usize, b as usize);
        match (det.network_of[a], det.network_of[b], det.dismissed_of[a], det.dismissed_of[b]) {
            (Some(x), Some(y), _, _) if x == y => &det.networks[x as usize].id,
            (_, _, Some(x), Some(y)) if x == y => &det.dismissed[x as usize].id,
            _ => "",
        }
    };
    let mut edges = 0;
    for (a, b, weight, surprises) in det.fused_with_signals(|_, _| true) {
        edges += 1;
        let key = |x| neutralise_id(data.accounts.key.get(x)).into_owned();
        let mut rec = vec![key(a), key(b), format!("{weight:.4}")];
        rec.extend(surprises.iter().map(|s| s.map(|s| format!("{s:.2}")).unwrap_or_default()));
        rec.push(group(a, b).to_string());
        w.write_record(&rec)?;
    }
    w.flush()?;
    Ok(edges)
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
            operation_id: "O1".into(),
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
        assert_eq!(&rec[3], "O1");
        assert_eq!(&rec[6], "");
        assert_eq!(&rec[8], "co_retweet;co_url");
    }
}
