//! The case store: one SQLite file holding the runs a team imported, their operations,
//! networks and flagged accounts, the cases that give a network its identity across runs,
//! decisions, exclusions, users and an append-only audit log.
//!
//! - **Durability.** WAL journal, foreign keys on, versioned migrations ([`schema`]).
//!   Importing a run is one transaction: a process killed at any moment leaves the store
//!   with everything committed before and nothing of the interrupted import.
//! - **Audit.** Every change is logged in `audit`; the database refuses updates and deletes
//!   to it (triggers), whatever the client.
//! - **Identity across runs** ([`identity`]): a later run's network is the same case as an
//!   earlier network when their member sets overlap with a Jaccard index of at least
//!   [`SAME_CASE_JACCARD`]; a case whose membership changed by more than
//!   [`MATERIAL_CHANGE`] of its accounts goes back to review, with what changed.

pub mod identity;
pub mod schema;
pub mod session;
pub mod views;
pub mod workflow;

use cibscan_core::run::Run;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub use identity::{MATERIAL_CHANGE, SAME_CASE_JACCARD};

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("{path}: {error}")]
    Sql { path: PathBuf, error: rusqlite::Error },
    #[error("{path}: written by a newer cibscan (store version {found}, this one knows {known})")]
    TooNew { path: PathBuf, found: i64, known: i64 },
    #[error("{path}: run {dir} is already in the store (imported {at})")]
    AlreadyImported { path: PathBuf, dir: String, at: String },
    #[error(transparent)]
    Run(#[from] cibscan_core::run::RunError),
}

/// An open case store.
pub struct Store {
    path: PathBuf,
    conn: Connection,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub run: i64,
    pub networks: usize,
    pub accounts: usize,
    /// Cases created for networks seen for the first time.
    pub new_cases: Vec<String>,
    /// Cases an existing network carried over to, unchanged.
    pub same_cases: Vec<String>,
    /// Cases whose membership changed materially: back to review.
    pub changed_cases: Vec<String>,
}

/// One case as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRow {
    pub label: String,
    pub state: String,
    /// The network id in the case's latest run, with that run's id.
    pub network: String,
    pub run: i64,
    pub accounts: i64,
    pub confidence: f64,
    pub changes: String,
}

/// One audit entry.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

fn now() -> String {
    cibscan_core::run::now_utc()
}

impl Store {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let sql = |error| StoreError::Sql { path: path.to_path_buf(), error };
        let conn = Connection::open(path).map_err(sql)?;
        conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(sql)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(sql)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(sql)?;
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(sql)?;
        let mut store = Store { path: path.to_path_buf(), conn };
        store.migrate()?;
        Ok(store)
    }

    fn sql(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        |error| StoreError::Sql { path: self.path.clone(), error }
    }

    /// The schema version (migrations applied).
    pub fn version(&self) -> Result<i64, StoreError> {
        self.conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(self.sql())
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let known = schema::MIGRATIONS.len() as i64;
        let found = self.version()?;
        if found > known {
            return Err(StoreError::TooNew { path: self.path.clone(), found, known });
        }
        for (i, m) in schema::MIGRATIONS.iter().enumerate().skip(found as usize) {
            let path = self.path.clone();
            let sql = |error| StoreError::Sql { path: path.clone(), error };
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sql)?;
            tx.execute_batch(m).map_err(sql)?;
            tx.pragma_update(None, "user_version", i as i64 + 1).map_err(sql)?;
            tx.execute(
                "INSERT INTO audit (at, actor, action, detail) VALUES (?1, 'cibscan', 'migrate', ?2)",
                params![now(), format!("schema version {}", i + 1)],
            )
            .map_err(sql)?;
            tx.commit().map_err(sql)?;
        }
        Ok(())
    }

    /// Imports a run folder in one transaction: the run's manifest, operations, networks
    /// (each mapped onto a case), flagged accounts and attribution evidence, and an audit
    /// entry. A run already imported (same manifest) is refused.
    pub fn import_run(&mut self, run: &Run, actor: &str) -> Result<ImportSummary, StoreError> {
        let manifest_path = run.path(cibscan_core::run::file::MANIFEST);
        let manifest_text = std::fs::read_to_string(&manifest_path)
            .map_err(|error| cibscan_core::run::RunError::Io { path: manifest_path.clone(), error })?;
        let (_, manifest_sha) = cibscan_core::run::hash_file(&manifest_path)?;
        let accounts = run.accounts()?;
        let networks = run.networks()?;
        let operations = run.operations()?;
        let attributions = run.attributions()?;
        let edges = run.edges()?;
        let dir = run.dir().display().to_string();

        let path = self.path.clone();
        let sql = |error| StoreError::Sql { path: path.clone(), error };
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sql)?;
        if let Some(at) = tx
            .query_row("SELECT imported_at FROM runs WHERE manifest_sha256 = ?1", [&manifest_sha], |r| {
                r.get::<_, String>(0)
            })
            .optional()
            .map_err(sql)?
        {
            return Err(StoreError::AlreadyImported { path: self.path.clone(), dir, at });
        }
        let m = &run.manifest;
        tx.execute(
            "INSERT INTO runs (dir, tool, started, finished, manifest, manifest_sha256, imported_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![dir, m.tool, m.started, m.finished, manifest_text, manifest_sha, now()],
        )
        .map_err(sql)?;
        let run_id = tx.last_insert_rowid();

        let mut op_rowid: BTreeMap<String, i64> = BTreeMap::new();
        for op in &operations {
            let body = serde_json::to_string(op).unwrap_or_default();
            tx.execute("INSERT INTO operations (run, op_id, body) VALUES (?1, ?2, ?3)", params![run_id, op.id, body])
                .map_err(sql)?;
            op_rowid.insert(op.id.clone(), tx.last_insert_rowid());
        }

        // Members of each network of this run, then the identity of each with the cases.
        let mut members: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for a in accounts.iter().filter(|a| !a.network_id.is_empty()) {
            members.entry(a.network_id.clone()).or_default().insert(a.account_id.clone());
        }
        let previous = identity::latest_members(&tx).map_err(sql)?;
        let new_sets: Vec<(String, BTreeSet<String>)> =
            networks.iter().map(|n| (n.id.clone(), members.get(&n.id).cloned().unwrap_or_default())).collect();
        let matches = identity::match_cases(&new_sets, &previous);

        let mut summary = ImportSummary {
            run: run_id,
            networks: networks.len(),
            accounts: 0,
            new_cases: Vec::new(),
            same_cases: Vec::new(),
            changed_cases: Vec::new(),
        };
        let mut net_rowid: BTreeMap<String, i64> = BTreeMap::new();
        for (net, (_, set)) in networks.iter().zip(&new_sets) {
            let case_id = match matches.get(&net.id) {
                Some(m) => {
                    let change = identity::describe_change(&previous[&m.case_id].1, set);
                    let label: String = tx
                        .query_row("SELECT label FROM cases WHERE id = ?1", [m.case_id], |r| r.get(0))
                        .map_err(sql)?;
                    if let Some(change) = change {
                        // Materially changed: back to review, saying what changed.
                        tx.execute(
                            "UPDATE cases SET state = CASE WHEN state = 'new' THEN 'new' ELSE 'in_review' END,
                             last_run = ?1, changes = ?2, round = round + 1 WHERE id = ?3",
                            params![run_id, change, m.case_id],
                        )
                        .map_err(sql)?;
                        summary.changed_cases.push(label);
                    } else {
                        tx.execute(
                            "UPDATE cases SET last_run = ?1, changes = '' WHERE id = ?2",
                            params![run_id, m.case_id],
                        )
                        .map_err(sql)?;
                        summary.same_cases.push(label);
                    }
                    m.case_id
                }
                None => {
                    let n: i64 = tx.query_row("SELECT count(*) FROM cases", [], |r| r.get(0)).map_err(sql)?;
                    let label = format!("C{}", n + 1);
                    tx.execute(
                        "INSERT INTO cases (label, state, first_run, last_run) VALUES (?1, 'new', ?2, ?2)",
                        params![label, run_id],
                    )
                    .map_err(sql)?;
                    summary.new_cases.push(label);
                    tx.last_insert_rowid()
                }
            };
            let body = serde_json::to_string(net).unwrap_or_default();
            tx.execute(
                "INSERT INTO networks (run, net_id, operation, case_id, accounts, confidence, body, core, amplifiers,
                 attributed, posts, first_post, last_post, internal_share, breakout, verdict, linked)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
                params![
                    run_id,
                    net.id,
                    op_rowid.get(&net.operation),
                    case_id,
                    net.accounts as i64,
                    net.confidence,
                    body,
                    net.core_accounts as i64,
                    net.amplifier_accounts as i64,
                    net.attributed_accounts as i64,
                    net.posts as i64,
                    net.first_post.as_deref().unwrap_or(""),
                    net.last_post.as_deref().unwrap_or(""),
                    net.traction.internal_engagement_share,
                    net.breakout.as_ref().map(|b| b.category),
                    net.screening.verdict.name(),
                    net.links.iter().filter(|l| l.linked).map(|l| l.operation.as_str()).collect::<Vec<_>>().join(" "),
                ],
            )
            .map_err(sql)?;
            net_rowid.insert(net.id.clone(), tx.last_insert_rowid());
        }
        {
            let mut insert = tx
                .prepare(
                    "INSERT INTO accounts (run, account_id, screen_name, network, role, coordination_score,
                     inauthenticity_score, posts, signals) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )
                .map_err(sql)?;
            for a in &accounts {
                let Some(&network) = net_rowid.get(&a.network_id) else { continue };
                insert
                    .execute(params![
                        run_id,
                        a.account_id,
                        a.screen_name,
                        network,
                        a.role,
                        a.coordination_score,
                        a.inauthenticity_score,
                        a.posts as i64,
                        a.signals
                    ])
                    .map_err(sql)?;
                summary.accounts += 1;
            }
            let mut evidence = tx
                .prepare("INSERT INTO evidence (run, account_id, network, body) VALUES (?1, ?2, ?3, ?4)")
                .map_err(sql)?;
            for at in &attributions {
                let Some(&network) = net_rowid.get(&at.network_id) else { continue };
                let body = serde_json::to_string(&at.attribution).unwrap_or_default();
                evidence.execute(params![run_id, at.account_id, network, body]).map_err(sql)?;
            }
        }
        {
            // The fused edges inside each network, with each signal's -log10 p.
            let mut insert = tx
                .prepare("INSERT INTO edges (network, source, target, weight, signals) VALUES (?1, ?2, ?3, ?4, ?5)")
                .map_err(sql)?;
            for e in &edges.rows {
                let Some(&network) = net_rowid.get(&e.group) else { continue };
                let signals: serde_json::Map<String, serde_json::Value> = edges
                    .signals
                    .iter()
                    .zip(&e.surprise)
                    .filter_map(|(name, s)| s.map(|s| (name.clone(), serde_json::json!(s))))
                    .collect();
                insert
                    .execute(params![
                        network,
                        e.source,
                        e.target,
                        e.weight,
                        serde_json::Value::Object(signals).to_string()
                    ])
                    .map_err(sql)?;
            }
        }
        let detail = serde_json::json!({
            "run": dir,
            "manifest_sha256": manifest_sha,
            "networks": summary.networks,
            "accounts": summary.accounts,
            "new_cases": summary.new_cases,
            "changed_cases": summary.changed_cases,
        });
        tx.execute(
            "INSERT INTO audit (at, actor, action, detail) VALUES (?1, ?2, 'import', ?3)",
            params![now(), actor, detail.to_string()],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(summary)
    }

    /// Every case with its latest network, in label order (`C1`, `C2`, … by number).
    pub fn cases(&self) -> Result<Vec<CaseRow>, StoreError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT c.label, c.state, n.net_id, n.run, n.accounts, n.confidence, c.changes
                 FROM cases c JOIN networks n ON n.case_id = c.id AND n.run = c.last_run
                 ORDER BY c.id",
            )
            .map_err(self.sql())?;
        let rows = st
            .query_map([], |r| {
                Ok(CaseRow {
                    label: r.get(0)?,
                    state: r.get(1)?,
                    network: r.get(2)?,
                    run: r.get(3)?,
                    accounts: r.get(4)?,
                    confidence: r.get(5)?,
                    changes: r.get(6)?,
                })
            })
            .map_err(self.sql())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.sql())
    }

    /// The audit log, oldest first.
    pub fn audit(&self) -> Result<Vec<AuditRow>, StoreError> {
        let mut st =
            self.conn.prepare("SELECT id, at, actor, action, detail FROM audit ORDER BY id").map_err(self.sql())?;
        let rows = st
            .query_map([], |r| {
                Ok(AuditRow { id: r.get(0)?, at: r.get(1)?, actor: r.get(2)?, action: r.get(3)?, detail: r.get(4)? })
            })
            .map_err(self.sql())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.sql())
    }

    /// Runs in the store: (id, folder, imported at).
    pub fn runs(&self) -> Result<Vec<(i64, String, String)>, StoreError> {
        let mut st = self.conn.prepare("SELECT id, dir, imported_at FROM runs ORDER BY id").map_err(self.sql())?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).map_err(self.sql())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.sql())
    }

    /// SQLite's integrity check (`ok` when sound).
    pub fn integrity(&self) -> Result<String, StoreError> {
        self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(self.sql())
    }

    /// Copies the store to `dest` with SQLite's online backup (the store stays usable), and
    /// records it in the audit log.
    pub fn backup(&self, dest: &Path, actor: &str) -> Result<(), StoreError> {
        let dsql = |error| StoreError::Sql { path: dest.to_path_buf(), error };
        {
            let mut out = Connection::open(dest).map_err(dsql)?;
            let b = rusqlite::backup::Backup::new(&self.conn, &mut out).map_err(dsql)?;
            b.run_to_completion(256, std::time::Duration::from_millis(5), None).map_err(dsql)?;
        }
        self.conn
            .execute(
                "INSERT INTO audit (at, actor, action, detail) VALUES (?1, ?2, 'backup', ?3)",
                params![now(), actor, dest.display().to_string()],
            )
            .map_err(self.sql())?;
        Ok(())
    }

    /// The connection, for the workflow and server layers built on the store.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

#[cfg(test)]
mod tests;
