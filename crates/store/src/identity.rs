//! A network's identity across runs.
//!
//! Rule: a network of a newly imported run is the same case as an existing one when the
//! Jaccard index of their member sets (the case's network in its latest run) is at least
//! [`SAME_CASE_JACCARD`]; pairs are taken greedily from the highest index, each case and each
//! network at most once (a network split in two keeps the case with its larger part; the
//! other part is a new case). The decisions stay with the case. A case whose membership
//! changed by more than [`MATERIAL_CHANGE`] of its previous accounts (added plus removed)
//! goes back to review, with what changed.

use rusqlite::Connection;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Smallest Jaccard index of member sets for a network to continue a case.
pub const SAME_CASE_JACCARD: f64 = 0.5;
/// Share of a case's accounts added or removed from which its change is material.
pub const MATERIAL_CHANGE: f64 = 0.1;

/// A new network continuing a case.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CaseMatch {
    pub case_id: i64,
    pub jaccard: f64,
}

/// Each case's members in its latest run: case id → (network row id, account ids).
pub fn latest_members(conn: &Connection) -> rusqlite::Result<BTreeMap<i64, (i64, BTreeSet<String>)>> {
    let mut st = conn.prepare(
        "SELECT c.id, n.id, a.account_id FROM cases c
         JOIN networks n ON n.case_id = c.id AND n.run = c.last_run
         JOIN accounts a ON a.network = n.id",
    )?;
    let mut out: BTreeMap<i64, (i64, BTreeSet<String>)> = BTreeMap::new();
    let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)))?;
    for row in rows {
        let (case, net, account) = row?;
        out.entry(case).or_insert_with(|| (net, BTreeSet::new())).1.insert(account);
    }
    Ok(out)
}

/// Maps new networks (id, members) onto the cases (see the module rule).
pub fn match_cases(
    new: &[(String, BTreeSet<String>)],
    previous: &BTreeMap<i64, (i64, BTreeSet<String>)>,
) -> BTreeMap<String, CaseMatch> {
    let mut case_of: HashMap<&str, i64> = HashMap::new();
    for (&case, (_, members)) in previous {
        for a in members {
            case_of.insert(a.as_str(), case);
        }
    }
    let mut pairs: Vec<(f64, usize, i64)> = Vec::new();
    for (k, (_, members)) in new.iter().enumerate() {
        let mut shared: BTreeMap<i64, usize> = BTreeMap::new();
        for a in members {
            if let Some(&c) = case_of.get(a.as_str()) {
                *shared.entry(c).or_default() += 1;
            }
        }
        for (c, inter) in shared {
            let union = members.len() + previous[&c].1.len() - inter;
            let j = inter as f64 / union.max(1) as f64;
            if j >= SAME_CASE_JACCARD {
                pairs.push((j, k, c));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut taken_cases = BTreeSet::new();
    let mut out = BTreeMap::new();
    for (j, k, c) in pairs {
        if out.contains_key(&new[k].0) || !taken_cases.insert(c) {
            continue;
        }
        out.insert(new[k].0.clone(), CaseMatch { case_id: c, jaccard: j });
    }
    out
}

/// What changed between a case's previous members and its new ones, when material (JSON:
/// counts and up to five examples each way).
pub fn describe_change(old: &BTreeSet<String>, new: &BTreeSet<String>) -> Option<String> {
    let added: Vec<&String> = new.difference(old).collect();
    let removed: Vec<&String> = old.difference(new).collect();
    if ((added.len() + removed.len()) as f64) <= MATERIAL_CHANGE * old.len().max(1) as f64 {
        return None;
    }
    Some(
        serde_json::json!({
            "added": added.len(),
            "removed": removed.len(),
            "added_examples": added.iter().take(5).collect::<Vec<_>>(),
            "removed_examples": removed.iter().take(5).collect::<Vec<_>>(),
        })
        .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(ids: std::ops::Range<u32>) -> BTreeSet<String> {
        ids.map(|i| i.to_string()).collect()
    }

    #[test]
    fn networks_continue_cases_by_member_overlap() {
        let previous: BTreeMap<i64, (i64, BTreeSet<String>)> =
            [(1, (10, set(0..100))), (2, (11, set(200..220)))].into_iter().collect();
        let new = vec![
            ("N1".to_string(), set(5..105)),   // J = 95/105: case 1
            ("N2".to_string(), set(500..530)), // nothing shared: a new case
            ("N3".to_string(), set(200..212)), // J = 12/20: case 2
            ("N4".to_string(), set(0..40)),    // case 1 is taken by N1
        ];
        let m = match_cases(&new, &previous);
        assert_eq!(m["N1"].case_id, 1);
        assert_eq!(m["N3"].case_id, 2);
        assert!(!m.contains_key("N2") && !m.contains_key("N4"));
        // 5 added and 5 removed of 100: not material; 8 removed of 20: material.
        assert_eq!(describe_change(&set(0..100), &set(5..105)), None);
        let c = describe_change(&set(200..220), &set(200..212)).unwrap();
        assert!(c.contains("\"removed\":8") && c.contains("\"added\":0"), "{c}");
    }
}
