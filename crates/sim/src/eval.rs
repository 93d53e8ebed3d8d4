//! `cibscan eval`: score a detection result against the ground truth written by
//! `cibscan simulate`.
//!
//! # Inputs
//!
//! * **Truth** (`TRUTH/truth.csv`, or a path straight to a truth CSV file): header
//!   `userid,kind,operation,role`, read by header name (case-insensitive, any order, extra
//!   columns ignored). `userid` and `kind` are required columns; `operation` and `role` are
//!   optional columns. `kind` is `organic`, `journalist`, `ngo`, `fan`, `newsbot` or
//!   `operation`; any other kind string is accepted as a *legitimate* kind and reported
//!   under its own name. A record of kind `operation` must name its operation, a record of
//!   any other kind must not. `role` (`core`/`amplifier`) is only meaningful for operation
//!   accounts. Duplicate `userid`s are an error.
//! * **Result** (`RESULT/accounts.csv`, or a path straight to such a file), the
//!   `accounts.csv` of PRODUCT.md §4, read by header name: only `account_id` and
//!   `network_id` are required, `role` is optional, everything else is ignored. An empty
//!   `network_id` means "not flagged". Duplicate `account_id`s are an error.
//!
//! Accounts in the result but not in the truth are *unknown*: they are counted
//! ([`EvalReport::unknown_accounts`], [`EvalReport::unknown_flagged_accounts`]) and
//! otherwise ignored by every metric (they neither help nor hurt precision and are not
//! part of the clusterings). Accounts in the truth but absent from the result are
//! "not flagged".
//!
//! # Metrics
//!
//! **Network → operation matching.** Each predicted network (distinct non-empty
//! `network_id`) is assigned to at most one operation. Let the network's *known members*
//! be its accounts that appear in the truth. The network is *unmatched* if it has no
//! operation member, or if legitimate accounts are a strict majority of its known members
//! (`2 * legitimate > known`; a network exactly half legitimate is still matched).
//! Otherwise it is assigned to the operation holding the most of its members, ties going
//! to the lexicographically smallest operation name.
//!
//! **Per operation** ([`OperationScore`]): the *flagged set* of an operation is the union
//! of the known members of the networks assigned to it. `true_positives` = members of the
//! flagged set that belong to the operation; `precision = true_positives / flagged`
//! (defined as `0` when no network is assigned, i.e. `flagged == 0`);
//! `recall = true_positives / accounts`; `f1 = 2·tp / (flagged + accounts)` (the harmonic
//! mean of precision and recall, `0` when `tp == 0`).
//!
//! **False positives** ([`KindFalsePositives`]): for every legitimate kind present in the
//! truth, the number of accounts of that kind that are in *any* network (matched or not),
//! out of the total of that kind, and the rate.
//!
//! **Clustering agreement** (adjusted Rand index and normalised mutual information with
//! arithmetic-mean normalisation, as scikit-learn's defaults; see [`cluster_agreement`]):
//!
//! * [`EvalReport::ari`] / [`EvalReport::nmi`] — over **all truth accounts**. True class:
//!   the operation name for operation accounts, one single class "legitimate" for all
//!   legitimate accounts. Predicted cluster: the network id, or one single class
//!   "unflagged" for all accounts in no network.
//! * [`EvalReport::ari_operations`] / [`EvalReport::nmi_operations`] — over **operation
//!   accounts only**. True class: the operation name. Predicted cluster: the network id,
//!   or, for an unflagged account, a *singleton* cluster of its own (so missing an entire
//!   operation is penalised instead of looking like a perfectly recovered "unflagged"
//!   cluster).
//!
//! Both are `1.0` when the two partitions are identical, which includes the degenerate
//! cases "everything in one cluster on both sides", "everything a singleton on both
//! sides" and "no accounts at all".
//!
//! **Role accuracy**: among operation accounts that are flagged, whose network is assigned
//! to their own operation and whose true role is known, the share whose predicted role
//! equals the true role (case-insensitive). `None` if the result carries no role at all
//! or no account qualifies.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// File name of the truth inside a simulate output directory.
pub const TRUTH_FILE: &str = "truth.csv";
/// File name of the per-account result inside a detect output directory.
pub const RESULT_FILE: &str = "accounts.csv";
/// The `kind` of operation accounts in the truth.
pub const OPERATION_KIND: &str = "operation";

// ---------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------

/// One row of the ground truth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TruthRecord {
    pub userid: String,
    /// `organic`, `journalist`, `ngo`, `fan`, `newsbot`, `operation`, or any other
    /// (legitimate) kind.
    pub kind: String,
    /// Operation name; `Some` exactly for operation accounts. [`evaluate_records`] treats
    /// an account as an operation account iff this is `Some` and non-empty.
    pub operation: Option<String>,
    /// `core` / `amplifier` for operation accounts.
    pub role: Option<String>,
}

impl TruthRecord {
    /// A legitimate account of the given kind.
    pub fn legitimate(userid: impl Into<String>, kind: impl Into<String>) -> Self {
        Self { userid: userid.into(), kind: kind.into(), operation: None, role: None }
    }

    /// An operation account.
    pub fn operation(userid: impl Into<String>, operation: impl Into<String>, role: Option<&str>) -> Self {
        Self {
            userid: userid.into(),
            kind: OPERATION_KIND.to_string(),
            operation: Some(operation.into()),
            role: role.map(str::to_string),
        }
    }
}

/// One row of a detection result (`accounts.csv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRecord {
    pub account_id: String,
    /// `None` (or empty) = not flagged.
    pub network_id: Option<String>,
    /// Predicted role, `core` / `amplifier`.
    pub role: Option<String>,
    /// The operation the account's network is a cell of (`operation_id`), if the result
    /// groups networks into operations.
    pub operation_id: Option<String>,
}

impl ResultRecord {
    pub fn new(account_id: impl Into<String>, network_id: Option<&str>, role: Option<&str>) -> Self {
        Self {
            account_id: account_id.into(),
            network_id: network_id.map(str::to_string),
            role: role.map(str::to_string),
            operation_id: None,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------

/// Scores of one planted operation (see the module documentation for definitions).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperationScore {
    pub operation: String,
    /// True size of the operation (accounts in the truth).
    pub accounts: u64,
    /// Size of the flagged set: truth accounts in the networks assigned to the operation.
    pub flagged: u64,
    /// Accounts of this operation in the flagged set.
    pub true_positives: u64,
    /// `true_positives / flagged`, 0 when nothing is assigned.
    pub precision: f64,
    /// `true_positives / accounts`.
    pub recall: f64,
    pub f1: f64,
    /// Ids of the networks assigned to this operation, sorted.
    pub networks: Vec<String>,
    /// Accounts of this operation that are in any network (whatever it was assigned to).
    pub detected: u64,
    /// Role accuracy restricted to this operation (`None` if not computable).
    pub role_accuracy: Option<f64>,
    /// Share of the operation's accounts in any network that are in the one network holding
    /// most of them (`None` when none is in a network).
    pub main_share: Option<f64>,
}

/// False positives among the legitimate accounts of one kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindFalsePositives {
    pub kind: String,
    /// Accounts of this kind in the truth.
    pub accounts: u64,
    /// Accounts of this kind that are in any network.
    pub flagged: u64,
    /// `flagged / accounts`.
    pub rate: f64,
}

/// How one predicted network was matched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkMatch {
    pub network_id: String,
    /// Assigned operation, `None` = unmatched.
    pub operation: Option<String>,
    /// Members that are in the truth.
    pub accounts: u64,
    /// Members belonging to the assigned operation (0 when unmatched).
    pub matched_accounts: u64,
    /// Legitimate members.
    pub legitimate_accounts: u64,
    /// Members that are not in the truth (not counted in `accounts`).
    pub unknown_accounts: u64,
    /// Distinct planted operations among the members.
    pub operations_present: u64,
}

/// Everything `cibscan eval` reports. Serialises to JSON with these field names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalReport {
    /// One entry per planted operation, sorted by name.
    pub operations: Vec<OperationScore>,
    /// One entry per legitimate kind present in the truth, sorted by kind.
    pub false_positives: Vec<KindFalsePositives>,
    /// ARI over all truth accounts (legitimate = one class, unflagged = one cluster).
    pub ari: f64,
    /// NMI (arithmetic) over all truth accounts.
    pub nmi: f64,
    /// ARI over operation accounts only (unflagged = singleton clusters).
    pub ari_operations: f64,
    /// NMI (arithmetic) over operation accounts only.
    pub nmi_operations: f64,
    pub role_accuracy: Option<f64>,
    /// Number of accounts the role accuracy was computed over.
    pub role_scored_accounts: u64,
    /// Truth accounts that are in any network.
    pub flagged_accounts: u64,
    /// Distinct accounts in the truth.
    pub truth_accounts: u64,
    pub operation_accounts: u64,
    pub legitimate_accounts: u64,
    /// Legitimate accounts that are in any network.
    pub false_positive_accounts: u64,
    /// `false_positive_accounts / legitimate_accounts` (0 when there are none).
    pub legitimate_false_positive_rate: f64,
    /// False-positive rate among `organic` accounts; `None` if the truth has none.
    pub organic_false_positive_rate: Option<f64>,
    /// Operation accounts in any network / flagged accounts (0 when nothing is flagged).
    pub detection_precision: f64,
    /// Operation accounts in any network / operation accounts (0 when there are none).
    pub detection_recall: f64,
    /// Distinct result accounts that are not in the truth.
    pub unknown_accounts: u64,
    /// Of those, how many are in a network.
    pub unknown_flagged_accounts: u64,
    /// Number of distinct networks in the result.
    pub network_count: u64,
    /// Every network and what it was matched to, sorted by id.
    pub networks: Vec<NetworkMatch>,
    /// Ids of networks assigned to no operation, sorted.
    pub unmatched_networks: Vec<String>,
    /// The same evaluation with the result's operations (`operation_id`) as the groups, when
    /// the result has them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_operation_id: Option<Box<EvalReport>>,
}

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

/// Why an evaluation input could not be read. `record` numbers count data records from 1
/// (the header is not counted); `line` is the 1-based line where the record starts.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    #[error("cannot read {}: {error}", .path.display())]
    Io { path: PathBuf, error: std::io::Error },
    #[error("{}: cannot read the CSV header: {reason}", .path.display())]
    Header { path: PathBuf, reason: String },
    #[error("{}: missing required column `{column}` (header is `{found}`)", .path.display())]
    MissingColumn { path: PathBuf, column: &'static str, found: String },
    #[error("{}: record {record}{}: {reason}", .path.display(), line_suffix(*.line))]
    Record { path: PathBuf, record: u64, line: Option<u64>, reason: String },
}

fn line_suffix(line: Option<u64>) -> String {
    line.map(|l| format!(" (line {l})")).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------

/// Reads the truth and the result (directories or files) and evaluates them.
pub fn evaluate(truth: &Path, result: &Path) -> Result<EvalReport, EvalError> {
    let truth = read_truth(truth)?;
    let result = read_result(result)?;
    Ok(evaluate_records(&truth, &result))
}

/// Reads a truth CSV; `path` may be the file or a directory containing `truth.csv`.
pub fn read_truth(path: &Path) -> Result<Vec<TruthRecord>, EvalError> {
    let path = resolve(path, TRUTH_FILE);
    let (mut reader, headers) = open_csv(&path)?;
    let c_user = require_column(&path, &headers, "userid")?;
    let c_kind = require_column(&path, &headers, "kind")?;
    let c_op = find_column(&headers, "operation");
    let c_role = find_column(&headers, "role");
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for_each_record(&path, &mut reader, |rec| {
        let userid = field(rec, Some(c_user)).ok_or("empty `userid`")?;
        let kind = field(rec, Some(c_kind)).ok_or_else(|| format!("account `{userid}` has an empty `kind`"))?;
        let operation = field(rec, c_op);
        match (kind == OPERATION_KIND, operation) {
            (true, None) => {
                return Err(format!("account `{userid}` has kind `{OPERATION_KIND}` but no operation name"))
            }
            (false, Some(op)) => {
                return Err(format!(
                    "account `{userid}` of kind `{kind}` names operation `{op}`; \
                     only kind `{OPERATION_KIND}` may"
                ))
            }
            _ => {}
        }
        if !seen.insert(userid.to_string()) {
            return Err(format!("duplicate userid `{userid}`"));
        }
        out.push(TruthRecord {
            userid: userid.to_string(),
            kind: kind.to_string(),
            operation: operation.map(str::to_string),
            role: field(rec, c_role).map(str::to_ascii_lowercase),
        });
        Ok(())
    })?;
    Ok(out)
}

/// Reads a result `accounts.csv`; `path` may be the file or a directory containing it.
pub fn read_result(path: &Path) -> Result<Vec<ResultRecord>, EvalError> {
    let path = resolve(path, RESULT_FILE);
    let (mut reader, headers) = open_csv(&path)?;
    let c_account = require_column(&path, &headers, "account_id")?;
    let c_network = require_column(&path, &headers, "network_id")?;
    let c_role = find_column(&headers, "role");
    let c_operation = find_column(&headers, "operation_id");
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for_each_record(&path, &mut reader, |rec| {
        let account = field(rec, Some(c_account)).ok_or("empty `account_id`")?;
        if !seen.insert(account.to_string()) {
            return Err(format!("duplicate account_id `{account}`"));
        }
        out.push(ResultRecord {
            account_id: account.to_string(),
            network_id: field(rec, Some(c_network)).map(str::to_string),
            role: field(rec, c_role).map(str::to_ascii_lowercase),
            operation_id: field(rec, c_operation).map(str::to_string),
        });
        Ok(())
    })?;
    Ok(out)
}

fn resolve(path: &Path, default_file: &str) -> PathBuf {
    if path.is_dir() {
        path.join(default_file)
    } else {
        path.to_path_buf()
    }
}

fn open_csv(path: &Path) -> Result<(csv::Reader<File>, csv::StringRecord), EvalError> {
    let file = File::open(path).map_err(|source| EvalError::Io { path: path.to_path_buf(), error: source })?;
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(file);
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(if e.is_io_error() {
                io_error(path, e)
            } else {
                EvalError::Header { path: path.to_path_buf(), reason: e.to_string() }
            })
        }
    };
    Ok((reader, headers))
}

fn io_error(path: &Path, e: csv::Error) -> EvalError {
    match e.into_kind() {
        csv::ErrorKind::Io(source) => EvalError::Io { path: path.to_path_buf(), error: source },
        other => EvalError::Header { path: path.to_path_buf(), reason: format!("{other:?}") },
    }
}

fn find_column(headers: &csv::StringRecord, name: &str) -> Option<usize> {
    headers.iter().position(|h| h.trim_start_matches('\u{feff}').trim().eq_ignore_ascii_case(name))
}

fn require_column(path: &Path, headers: &csv::StringRecord, column: &'static str) -> Result<usize, EvalError> {
    find_column(headers, column).ok_or_else(|| EvalError::MissingColumn {
        path: path.to_path_buf(),
        column,
        found: headers.iter().collect::<Vec<_>>().join(","),
    })
}

/// The trimmed field at `idx`, `None` if the column is absent or the field empty.
fn field(rec: &csv::StringRecord, idx: Option<usize>) -> Option<&str> {
    idx.and_then(|i| rec.get(i)).map(str::trim).filter(|s| !s.is_empty())
}

/// Calls `f` on every data record; a CSV error or an `Err(reason)` from `f` becomes an
/// [`EvalError`] carrying the path, the 1-based record number and the line.
fn for_each_record<F, E>(path: &Path, reader: &mut csv::Reader<File>, mut f: F) -> Result<(), EvalError>
where
    F: FnMut(&csv::StringRecord) -> Result<(), E>,
    E: Into<String>,
{
    let mut record = csv::StringRecord::new();
    let mut number: u64 = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                number += 1;
                if let Err(reason) = f(&record) {
                    return Err(EvalError::Record {
                        path: path.to_path_buf(),
                        record: number,
                        line: record.position().map(|p| p.line()),
                        reason: reason.into(),
                    });
                }
            }
            Err(e) => {
                number += 1;
                if e.is_io_error() {
                    return Err(io_error(path, e));
                }
                let line = e.position().map(|p| p.line());
                let reason = match e.kind() {
                    csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                        format!("malformed record: {len} field(s) where the header has {expected_len}")
                    }
                    csv::ErrorKind::Utf8 { err, .. } => {
                        format!("invalid UTF-8 in field {}", err.field() + 1)
                    }
                    _ => format!("malformed record: {e}"),
                };
                return Err(EvalError::Record { path: path.to_path_buf(), record: number, line, reason });
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Core evaluation
// ---------------------------------------------------------------------------------------

/// Label of a truth account on the truth side of the all-accounts clustering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum TrueClass<'a> {
    Legitimate,
    Operation(&'a str),
}

/// Label of an account on the predicted side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum PredCluster<'a> {
    /// All unflagged accounts together (all-accounts clustering).
    Unflagged,
    /// An unflagged account alone (operation-accounts clustering), by truth index.
    Singleton(usize),
    Network(&'a str),
}

#[derive(Default)]
struct NetworkTally<'a> {
    known: u64,
    legitimate: u64,
    unknown: u64,
    operations: BTreeMap<&'a str, u64>,
}

#[derive(Default)]
struct OperationTally {
    accounts: u64,
    detected: u64,
    flagged: u64,
    true_positives: u64,
    networks: Vec<String>,
    role_scored: u64,
    role_correct: u64,
    /// Accounts per network they are in.
    groups: BTreeMap<String, u64>,
}

/// The operation of a truth account (`Some` and non-empty), `None` for legitimate ones.
fn operation_of(t: &TruthRecord) -> Option<&str> {
    non_empty(t.operation.as_ref())
}

fn non_empty(s: Option<&String>) -> Option<&str> {
    s.map(|s| s.trim()).filter(|s| !s.is_empty())
}

fn ratio(num: u64, den: u64) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

/// The pure core of `cibscan eval` (see the module documentation for every definition).
///
/// Duplicate ids are not expected (the readers reject them); if present, the first
/// occurrence wins. Never panics.
pub fn evaluate_records(truth: &[TruthRecord], result: &[ResultRecord]) -> EvalReport {
    // Truth, deduplicated (first wins), in input order.
    let mut truth_index: HashMap<&str, usize> = HashMap::with_capacity(truth.len());
    let mut accounts: Vec<&TruthRecord> = Vec::with_capacity(truth.len());
    for t in truth {
        if let std::collections::hash_map::Entry::Vacant(v) = truth_index.entry(t.userid.as_str()) {
            v.insert(accounts.len());
            accounts.push(t);
        }
    }

    // Result, deduplicated (first wins).
    let mut predicted: HashMap<&str, &ResultRecord> = HashMap::with_capacity(result.len());
    for r in result {
        predicted.entry(r.account_id.as_str()).or_insert(r);
    }
    let result_has_roles = result.iter().any(|r| non_empty(r.role.as_ref()).is_some());

    // Network tallies, and unknown accounts.
    let mut networks: BTreeMap<&str, NetworkTally> = BTreeMap::new();
    let mut unknown_accounts = 0u64;
    let mut unknown_flagged_accounts = 0u64;
    for (id, r) in &predicted {
        let network = non_empty(r.network_id.as_ref());
        let Some(&i) = truth_index.get(id) else {
            unknown_accounts += 1;
            if let Some(n) = network {
                unknown_flagged_accounts += 1;
                networks.entry(n).or_default().unknown += 1;
            }
            continue;
        };
        if let Some(n) = network {
            let tally = networks.entry(n).or_default();
            tally.known += 1;
            match operation_of(accounts[i]) {
                Some(op) => *tally.operations.entry(op).or_insert(0) += 1,
                None => tally.legitimate += 1,
            }
        }
    }

    // Network -> operation assignment.
    let assignment: BTreeMap<&str, Option<&str>> = networks.iter().map(|(&id, t)| (id, assign_network(t))).collect();

    // Per-account pass: operation tallies, kind tallies, clustering labels, roles.
    let network_of = |id: &str| predicted.get(id).and_then(|r| non_empty(r.network_id.as_ref()));
    let mut operations: BTreeMap<&str, OperationTally> = BTreeMap::new();
    let mut kinds: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    let mut all_labels: Vec<(TrueClass, PredCluster)> = Vec::with_capacity(accounts.len());
    let mut op_labels: Vec<(&str, PredCluster)> = Vec::new();
    let mut flagged_accounts = 0u64;
    let mut operation_accounts = 0u64;
    let mut detected_operation_accounts = 0u64;
    for (i, t) in accounts.iter().enumerate() {
        let network = network_of(t.userid.as_str());
        if network.is_some() {
            flagged_accounts += 1;
        }
        let pred = network.map_or(PredCluster::Unflagged, PredCluster::Network);
        match operation_of(t) {
            Some(op) => {
                operation_accounts += 1;
                let tally = operations.entry(op).or_default();
                tally.accounts += 1;
                all_labels.push((TrueClass::Operation(op), pred));
                op_labels.push((op, network.map_or(PredCluster::Singleton(i), PredCluster::Network)));
                let Some(n) = network else { continue };
                tally.detected += 1;
                *tally.groups.entry(n.to_string()).or_default() += 1;
                detected_operation_accounts += 1;
                let own = assignment.get(n).copied().flatten() == Some(op);
                if let (true, true, Some(true_role)) = (own, result_has_roles, non_empty(t.role.as_ref())) {
                    tally.role_scored += 1;
                    let predicted_role = predicted.get(t.userid.as_str()).and_then(|r| non_empty(r.role.as_ref()));
                    if predicted_role.is_some_and(|p| p.eq_ignore_ascii_case(true_role)) {
                        tally.role_correct += 1;
                    }
                }
            }
            None => {
                let k = kinds.entry(t.kind.trim()).or_insert((0, 0));
                k.0 += 1;
                if network.is_some() {
                    k.1 += 1;
                }
                all_labels.push((TrueClass::Legitimate, pred));
            }
        }
    }

    // Flagged sets of the operations.
    let mut network_matches = Vec::with_capacity(networks.len());
    let mut unmatched_networks = Vec::new();
    for (&id, t) in &networks {
        let op = assignment.get(id).copied().flatten();
        let matched = op.map_or(0, |op| t.operations.get(op).copied().unwrap_or(0));
        if let Some(op) = op {
            // `op` came from this network's members, so it is a truth operation.
            let tally = operations.entry(op).or_default();
            tally.flagged += t.known;
            tally.true_positives += matched;
            tally.networks.push(id.to_string());
        } else {
            unmatched_networks.push(id.to_string());
        }
        network_matches.push(NetworkMatch {
            network_id: id.to_string(),
            operation: op.map(str::to_string),
            accounts: t.known,
            matched_accounts: matched,
            legitimate_accounts: t.legitimate,
            unknown_accounts: t.unknown,
            operations_present: t.operations.len() as u64,
        });
    }

    let mut role_scored = 0u64;
    let mut role_correct = 0u64;
    let operation_scores: Vec<OperationScore> = operations
        .into_iter()
        .map(|(name, t)| {
            role_scored += t.role_scored;
            role_correct += t.role_correct;
            OperationScore {
                operation: name.to_string(),
                accounts: t.accounts,
                flagged: t.flagged,
                true_positives: t.true_positives,
                precision: ratio(t.true_positives, t.flagged),
                recall: ratio(t.true_positives, t.accounts),
                f1: ratio(2 * t.true_positives, t.flagged + t.accounts),
                networks: t.networks,
                detected: t.detected,
                role_accuracy: (t.role_scored > 0).then(|| ratio(t.role_correct, t.role_scored)),
                main_share: t.groups.values().max().map(|&m| ratio(m, t.detected)),
            }
        })
        .collect();

    let false_positives: Vec<KindFalsePositives> = kinds
        .iter()
        .map(|(&kind, &(total, flagged))| KindFalsePositives {
            kind: kind.to_string(),
            accounts: total,
            flagged,
            rate: ratio(flagged, total),
        })
        .collect();
    let legitimate_accounts: u64 = false_positives.iter().map(|k| k.accounts).sum();
    let false_positive_accounts: u64 = false_positives.iter().map(|k| k.flagged).sum();
    let organic_false_positive_rate = false_positives.iter().find(|k| k.kind == "organic").map(|k| k.rate);

    let all = cluster_agreement(all_labels);
    let ops = cluster_agreement(op_labels);

    EvalReport {
        operations: operation_scores,
        false_positives,
        ari: all.ari,
        nmi: all.nmi,
        ari_operations: ops.ari,
        nmi_operations: ops.nmi,
        role_accuracy: (role_scored > 0).then(|| ratio(role_correct, role_scored)),
        role_scored_accounts: role_scored,
        flagged_accounts,
        truth_accounts: accounts.len() as u64,
        operation_accounts,
        legitimate_accounts,
        false_positive_accounts,
        legitimate_false_positive_rate: ratio(false_positive_accounts, legitimate_accounts),
        organic_false_positive_rate,
        detection_precision: ratio(detected_operation_accounts, flagged_accounts),
        detection_recall: ratio(detected_operation_accounts, operation_accounts),
        unknown_accounts,
        unknown_flagged_accounts,
        network_count: networks.len() as u64,
        networks: network_matches,
        unmatched_networks,
        by_operation_id: by_operation_id(truth, result),
    }
}

/// The evaluation with operations as the groups, when the result has `operation_id`s.
fn by_operation_id(truth: &[TruthRecord], result: &[ResultRecord]) -> Option<Box<EvalReport>> {
    if !result.iter().any(|r| non_empty(r.operation_id.as_ref()).is_some()) {
        return None;
    }
    let grouped: Vec<ResultRecord> = result
        .iter()
        .map(|r| ResultRecord {
            account_id: r.account_id.clone(),
            network_id: r.operation_id.clone(),
            role: r.role.clone(),
            operation_id: None,
        })
        .collect();
    Some(Box::new(evaluate_records(truth, &grouped)))
}

/// The operation a network is assigned to (module docs): `None` if it has no operation
/// member or legitimate accounts are a strict majority of its known members; otherwise the
/// operation with the most members, ties to the smallest name.
fn assign_network<'a>(t: &NetworkTally<'a>) -> Option<&'a str> {
    if 2 * t.legitimate > t.known {
        return None;
    }
    let mut best: Option<(&'a str, u64)> = None;
    // BTreeMap iterates names in increasing order; only a strictly larger count replaces.
    for (&op, &count) in &t.operations {
        if count > 0 && best.is_none_or(|(_, c)| count > c) {
            best = Some((op, count));
        }
    }
    best.map(|(op, _)| op)
}

// ---------------------------------------------------------------------------------------
// Clustering agreement
// ---------------------------------------------------------------------------------------

/// Adjusted Rand index and normalised mutual information of two partitions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClusterAgreement {
    pub ari: f64,
    pub nmi: f64,
}

/// Compares two labellings of the same items, given as `(true label, predicted label)`
/// pairs. Labels are only compared for equality (their values and order are irrelevant;
/// the result is invariant under renaming labels and reordering items, up to
/// floating-point rounding in the last bits of NMI).
///
/// With the contingency table `n_ij`, row sums `a_i`, column sums `b_j`, `n` items and
/// `C(x) = x(x-1)/2` (computed exactly in integers):
///
/// * pair counts `tp = Σ C(n_ij)`, `fn = Σ C(a_i) − tp`, `fp = Σ C(b_j) − tp`,
///   `tn = C(n) − tp − fn − fp`;
///   `ARI = 2(tp·tn − fn·fp) / ((tp+fn)(fn+tn) + (tp+fp)(fp+tn))`, which equals the
///   Hubert–Arabie `(index − expected) / (max − expected)` (scikit-learn's formula);
/// * `MI = Σ (n_ij/n) ln(n·n_ij / (a_i b_j))`, `H(U) = −Σ (a_i/n) ln(a_i/n)`, likewise
///   `H(V)`; `NMI = MI / ((H(U) + H(V)) / 2)` (arithmetic mean, scikit-learn's default).
///
/// Degenerate cases: if the two partitions are identical (`fn = fp = 0`: in particular
/// both sides one single cluster, both sides all singletons, or fewer than two items)
/// both scores are exactly `1.0`. Otherwise, if `MI = 0` (e.g. one side a single cluster
/// and the other not), NMI is `0.0`. ARI can be negative (down to −0.5); NMI is clamped to
/// `[0, 1]`.
pub fn cluster_agreement<A: Ord, B: Ord>(pairs: impl IntoIterator<Item = (A, B)>) -> ClusterAgreement {
    let pairs: Vec<(A, B)> = pairs.into_iter().collect();
    let n = pairs.len() as u64;

    // Dense label ids (sorted order keeps the float summation order deterministic).
    let mut true_ids: BTreeMap<&A, usize> = BTreeMap::new();
    let mut pred_ids: BTreeMap<&B, usize> = BTreeMap::new();
    for (a, b) in &pairs {
        true_ids.insert(a, 0);
        pred_ids.insert(b, 0);
    }
    for (i, v) in true_ids.values_mut().enumerate() {
        *v = i;
    }
    for (i, v) in pred_ids.values_mut().enumerate() {
        *v = i;
    }
    let mut cells: Vec<(usize, usize)> = pairs.iter().map(|(a, b)| (true_ids[a], pred_ids[b])).collect();
    cells.sort_unstable();

    let mut rows = vec![0u64; true_ids.len()];
    let mut cols = vec![0u64; pred_ids.len()];
    let mut table: Vec<(usize, usize, u64)> = Vec::new();
    for &(i, j) in &cells {
        rows[i] += 1;
        cols[j] += 1;
        match table.last_mut() {
            Some((li, lj, c)) if *li == i && *lj == j => *c += 1,
            _ => table.push((i, j, 1)),
        }
    }

    let comb2 = |x: u64| -> u128 {
        let x = u128::from(x);
        x * x.saturating_sub(1) / 2
    };
    let tp: u128 = table.iter().map(|&(_, _, c)| comb2(c)).sum();
    let same_true: u128 = rows.iter().map(|&c| comb2(c)).sum();
    let same_pred: u128 = cols.iter().map(|&c| comb2(c)).sum();
    let fn_ = same_true - tp;
    let fp = same_pred - tp;
    let tn = comb2(n) - tp - fn_ - fp;
    if fn_ == 0 && fp == 0 {
        return ClusterAgreement { ari: 1.0, nmi: 1.0 };
    }

    // ARI: numerator exact in i128, denominator exact in u128 (> 0 here).
    let num = 2 * (tp as i128 * tn as i128 - fn_ as i128 * fp as i128);
    let den = (tp + fn_) * (fn_ + tn) + (tp + fp) * (fp + tn);
    let ari = if den == 0 { 0.0 } else { num as f64 / den as f64 };

    // NMI.
    let nf = n as f64;
    let ln_n = nf.ln();
    let entropy = |counts: &[u64]| -> f64 {
        let s: f64 = counts
            .iter()
            .filter(|&&c| c > 0)
            .map(|&c| {
                let c = c as f64;
                c * c.ln()
            })
            .sum();
        (ln_n - s / nf).max(0.0)
    };
    let h_true = entropy(&rows);
    let h_pred = entropy(&cols);
    let mi: f64 = table
        .iter()
        .map(|&(i, j, c)| {
            let c = c as f64;
            (c / nf) * (c.ln() + ln_n - (rows[i] as f64).ln() - (cols[j] as f64).ln())
        })
        .sum::<f64>()
        .max(0.0);
    let normaliser = (h_true + h_pred) / 2.0;
    let nmi = if mi <= 0.0 || normaliser <= 0.0 { 0.0 } else { (mi / normaliser).clamp(0.0, 1.0) };
    ClusterAgreement { ari, nmi }
}

// ---------------------------------------------------------------------------------------
// Display
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum Align {
    Left,
    Right,
}

/// Writes an aligned table: two spaces between columns, no trailing spaces.
fn write_table(f: &mut fmt::Formatter<'_>, header: &[(&str, Align)], rows: &[Vec<String>]) -> fmt::Result {
    let mut widths: Vec<usize> = header.iter().map(|(h, _)| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let header_cells: Vec<String> = header.iter().map(|(h, _)| h.to_string()).collect();
    for row in std::iter::once(&header_cells).chain(rows) {
        let mut line = String::new();
        for (k, ((cell, w), (_, align))) in row.iter().zip(&widths).zip(header).enumerate() {
            if k > 0 {
                line.push_str("  ");
            }
            let pad = w.saturating_sub(cell.chars().count());
            match align {
                Align::Left => {
                    line.push_str(cell);
                    line.extend(std::iter::repeat_n(' ', pad));
                }
                Align::Right => {
                    line.extend(std::iter::repeat_n(' ', pad));
                    line.push_str(cell);
                }
            }
        }
        writeln!(f, "{}", line.trim_end())?;
    }
    Ok(())
}

fn fmt_ratio(x: f64) -> String {
    format!("{x:.4}")
}

fn fmt_opt(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_string(), fmt_ratio)
}

/// At most `max` ids, then `… (+k more)`.
fn fmt_ids(ids: &[String], max: usize) -> String {
    if ids.is_empty() {
        return "-".to_string();
    }
    let mut s = ids.iter().take(max).cloned().collect::<Vec<_>>().join(", ");
    if ids.len() > max {
        s.push_str(&format!(", … (+{} more)", ids.len() - max));
    }
    s
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Align::{Left, Right};
        writeln!(f, "Operations")?;
        let rows: Vec<Vec<String>> = self
            .operations
            .iter()
            .map(|o| {
                vec![
                    o.operation.clone(),
                    o.accounts.to_string(),
                    o.flagged.to_string(),
                    o.true_positives.to_string(),
                    fmt_ratio(o.precision),
                    fmt_ratio(o.recall),
                    fmt_ratio(o.f1),
                    o.detected.to_string(),
                    fmt_opt(o.role_accuracy),
                    fmt_ids(&o.networks, 6),
                ]
            })
            .collect();
        write_table(
            f,
            &[
                ("operation", Left),
                ("accounts", Right),
                ("flagged", Right),
                ("true_pos", Right),
                ("precision", Right),
                ("recall", Right),
                ("f1", Right),
                ("in_any_net", Right),
                ("roles", Right),
                ("networks", Left),
            ],
            &rows,
        )?;
        if self.operations.is_empty() {
            writeln!(f, "(no operation in the truth)")?;
        }
        // Recall counts only the networks matched to the operation; say so when accounts of
        // an operation sit in networks matched elsewhere or to nothing.
        if self.operations.iter().any(|o| o.detected > o.true_positives) {
            writeln!(
                f,
                "note: recall counts the networks matched to the operation (most of a network's truth \
                 accounts belong to it; a network mostly of legitimate accounts is matched to none); \
                 in_any_net counts the operation's accounts in any network"
            )?;
        }

        writeln!(f)?;
        writeln!(f, "False positives (legitimate accounts in any network)")?;
        let mut rows: Vec<Vec<String>> = self
            .false_positives
            .iter()
            .map(|k| vec![k.kind.clone(), k.accounts.to_string(), k.flagged.to_string(), fmt_ratio(k.rate)])
            .collect();
        rows.push(vec![
            "all legitimate".to_string(),
            self.legitimate_accounts.to_string(),
            self.false_positive_accounts.to_string(),
            fmt_ratio(self.legitimate_false_positive_rate),
        ]);
        write_table(f, &[("kind", Left), ("accounts", Right), ("flagged", Right), ("rate", Right)], &rows)?;

        writeln!(f)?;
        writeln!(f, "Agreement")?;
        let role = match self.role_accuracy {
            Some(r) => format!("{} ({} accounts)", fmt_ratio(r), self.role_scored_accounts),
            None => "n/a".to_string(),
        };
        let rows = vec![
            vec!["ARI (all accounts)".to_string(), fmt_ratio(self.ari)],
            vec!["NMI (all accounts)".to_string(), fmt_ratio(self.nmi)],
            vec!["ARI (operation accounts)".to_string(), fmt_ratio(self.ari_operations)],
            vec!["NMI (operation accounts)".to_string(), fmt_ratio(self.nmi_operations)],
            vec!["role accuracy".to_string(), role],
            vec!["detection precision (any network)".to_string(), fmt_ratio(self.detection_precision)],
            vec!["detection recall (any network)".to_string(), fmt_ratio(self.detection_recall)],
        ];
        write_table(f, &[("metric", Left), ("value", Left)], &rows)?;

        writeln!(f)?;
        writeln!(
            f,
            "Accounts: {} in truth ({} operation, {} legitimate), {} flagged; \
             {} in result but not in truth ({} flagged)",
            self.truth_accounts,
            self.operation_accounts,
            self.legitimate_accounts,
            self.flagged_accounts,
            self.unknown_accounts,
            self.unknown_flagged_accounts,
        )?;
        if let Some(g) = &self.by_operation_id {
            writeln!(f)?;
            writeln!(f, "By operation_id (networks grouped into operations)")?;
            let rows: Vec<Vec<String>> = g
                .operations
                .iter()
                .map(|o| {
                    vec![
                        o.operation.clone(),
                        o.accounts.to_string(),
                        o.flagged.to_string(),
                        fmt_ratio(o.precision),
                        fmt_ratio(o.recall),
                        fmt_ratio(o.f1),
                        fmt_opt(o.main_share),
                        fmt_ids(&o.networks, 6),
                    ]
                })
                .collect();
            write_table(
                f,
                &[
                    ("operation", Left),
                    ("accounts", Right),
                    ("flagged", Right),
                    ("precision", Right),
                    ("recall", Right),
                    ("f1", Right),
                    ("in_main_id", Right),
                    ("operation_ids", Left),
                ],
                &rows,
            )?;
            let mixed = g.networks.iter().filter(|n| n.operations_present > 1).count();
            writeln!(
                f,
                "ARI (operation accounts) {}, NMI {}; operation ids holding two planted operations: {mixed}",
                fmt_ratio(g.ari_operations),
                fmt_ratio(g.nmi_operations)
            )?;
            writeln!(f)?;
        }
        writeln!(
            f,
            "Networks: {} ({} matched, {} unmatched{})",
            self.network_count,
            self.network_count - self.unmatched_networks.len() as u64,
            self.unmatched_networks.len(),
            if self.unmatched_networks.is_empty() {
                String::new()
            } else {
                format!(": {}", fmt_ids(&self.unmatched_networks, 10))
            },
        )
    }
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    const EPS: f64 = 1e-12;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    fn agree(t: &[u32], p: &[u32]) -> ClusterAgreement {
        cluster_agreement(t.iter().zip(p))
    }

    /// alpha: 6 accounts (a0,a1 core; a2..a5 amplifier); beta: 4 (b0 core; b1..b3
    /// amplifier); legitimate: 10 organic, 2 journalist, 3 fan, 1 newsbot, 1 ngo.
    fn fixture() -> Vec<TruthRecord> {
        let mut t = Vec::new();
        for i in 0..6 {
            let role = if i < 2 { "core" } else { "amplifier" };
            t.push(TruthRecord::operation(format!("a{i}"), "alpha", Some(role)));
        }
        for i in 0..4 {
            let role = if i < 1 { "core" } else { "amplifier" };
            t.push(TruthRecord::operation(format!("b{i}"), "beta", Some(role)));
        }
        for i in 0..10 {
            t.push(TruthRecord::legitimate(format!("o{i}"), "organic"));
        }
        for i in 0..2 {
            t.push(TruthRecord::legitimate(format!("j{i}"), "journalist"));
        }
        for i in 0..3 {
            t.push(TruthRecord::legitimate(format!("f{i}"), "fan"));
        }
        t.push(TruthRecord::legitimate("n0", "newsbot"));
        t.push(TruthRecord::legitimate("g0", "ngo"));
        t
    }

    /// Result with each truth account mapped by `net` (None = unflagged), roles from truth
    /// if `roles`.
    fn result_by(
        truth: &[TruthRecord],
        roles: bool,
        net: impl Fn(&TruthRecord) -> Option<String>,
    ) -> Vec<ResultRecord> {
        truth
            .iter()
            .map(|t| ResultRecord {
                account_id: t.userid.clone(),
                network_id: net(t),
                role: if roles { t.role.clone() } else { None },
                operation_id: None,
            })
            .collect()
    }

    fn oracle(truth: &[TruthRecord]) -> Vec<ResultRecord> {
        result_by(truth, true, |t| t.operation.as_ref().map(|o| format!("N-{o}")))
    }

    fn op<'a>(r: &'a EvalReport, name: &str) -> &'a OperationScore {
        r.operations.iter().find(|o| o.operation == name).unwrap()
    }

    // ----- clustering -------------------------------------------------------------------

    #[test]
    fn eval_ari_nmi_sklearn_reference_values() {
        let s = agree(&[0, 0, 0, 1, 1, 1], &[0, 0, 1, 1, 2, 2]);
        // 24/99; sklearn normalized_mutual_info_score = 0.5158037429793889
        assert!(close(s.ari, 24.0 / 99.0), "{}", s.ari);
        assert!(close(s.ari, 0.242_424_242_424_242_4));
        assert!((s.nmi - 0.515_803_742_979_388_9).abs() < 1e-9, "{}", s.nmi);

        // sklearn docs: adjusted_rand_score([0,0,1,2],[0,0,1,1]) == 0.5714285714285715
        let s = agree(&[0, 0, 1, 2], &[0, 0, 1, 1]);
        assert!(close(s.ari, 4.0 / 7.0));
        // ... ([0,0,1,1],[0,1,0,1]) == -0.5 ; independent -> MI 0 -> NMI 0
        let s = agree(&[0, 0, 1, 1], &[0, 1, 0, 1]);
        assert!(close(s.ari, -0.5));
        assert_eq!(s.nmi, 0.0);
        // ... ([0,0,0,0],[0,1,2,3]) == 0.0, NMI 0 (one side a single cluster)
        let s = agree(&[0, 0, 0, 0], &[0, 1, 2, 3]);
        assert_eq!(s.ari, 0.0);
        assert_eq!(s.nmi, 0.0);
    }

    #[test]
    fn eval_ari_nmi_hand_computed() {
        // truth [A A B B B], pred [x x x y y]: cells A/x 2, B/x 1, B/y 2.
        // tp = 1 + 0 + 1 = 2; same_true = 1 + 3 = 4 -> fn = 2; same_pred = 3 + 1 = 4 ->
        // fp = 2; C(5) = 10 -> tn = 4. ARI = 2(2*4 - 2*2)/((4)(6) + (4)(6)) = 8/48 = 1/6.
        let s = agree(&[0, 0, 1, 1, 1], &[0, 0, 0, 1, 1]);
        assert!(close(s.ari, 1.0 / 6.0), "{}", s.ari);
        // MI = 2/5 ln(5*2/(2*3)) + 1/5 ln(5/(3*3)) + 2/5 ln(5*2/(3*2));
        // H(U) = H(V) = -(2/5 ln 2/5 + 3/5 ln 3/5).
        let mi = 0.4 * (10.0f64 / 6.0).ln() + 0.2 * (5.0f64 / 9.0).ln() + 0.4 * (10.0f64 / 6.0).ln();
        let h = -(0.4 * 0.4f64.ln() + 0.6 * 0.6f64.ln());
        assert!(close(s.nmi, mi / h), "{} vs {}", s.nmi, mi / h);
    }

    #[test]
    fn eval_ari_nmi_degenerate_cases() {
        // identical partitions, including both sides a single cluster / all singletons
        for (t, p) in [
            (vec![0, 0, 0], vec![5, 5, 5]),
            (vec![0, 1, 2], vec![7, 8, 9]),
            (vec![0, 0, 1, 1], vec![1, 1, 0, 0]),
            (vec![3], vec![4]),
            (vec![], vec![]),
        ] {
            let s = agree(&t, &p);
            assert_eq!(s.ari, 1.0, "{t:?} {p:?}");
            assert_eq!(s.nmi, 1.0, "{t:?} {p:?}");
        }
        // single cluster vs all singletons (n = 3): ARI 0, NMI 0
        let s = agree(&[0, 0, 0], &[0, 1, 2]);
        assert_eq!(s.ari, 0.0);
        assert_eq!(s.nmi, 0.0);
        let s = agree(&[0, 1, 2], &[0, 0, 0]);
        assert_eq!(s.ari, 0.0);
        assert_eq!(s.nmi, 0.0);
        assert!(s.ari.is_finite() && s.nmi.is_finite());
    }

    #[test]
    fn eval_ari_nmi_permutation_invariance() {
        let t = [0u32, 0, 0, 1, 1, 2, 2, 2, 2, 3];
        let p = [5u32, 5, 1, 1, 1, 9, 9, 0, 0, 0];
        let base = agree(&t, &p);
        // rename labels on both sides
        let t2: Vec<u32> = t.iter().map(|x| 100 - x).collect();
        let p2: Vec<String> = p.iter().map(|x| format!("net-{}", 7 * x + 3)).collect();
        let s = cluster_agreement(t2.iter().zip(&p2));
        assert!((s.ari - base.ari).abs() < EPS && (s.nmi - base.nmi).abs() < EPS);
        // reorder items
        let mut pairs: Vec<(u32, u32)> = t.iter().copied().zip(p.iter().copied()).collect();
        pairs.reverse();
        pairs.rotate_left(3);
        let s = cluster_agreement(pairs);
        assert!((s.ari - base.ari).abs() < EPS && (s.nmi - base.nmi).abs() < EPS);
        // symmetric in the two sides
        let s = agree(&p, &t);
        assert!((s.ari - base.ari).abs() < EPS && (s.nmi - base.nmi).abs() < EPS);
    }

    #[test]
    fn eval_ari_matches_hubert_arabie_and_brute_force_pairs() {
        // Deterministic pseudo-random labellings (LCG), compared against the textbook
        // (index - expected) / (max - expected) form and an O(n^2) pair enumeration.
        let mut state = 12345u64;
        let mut next = |m: u64| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) % m
        };
        for round in 0..20 {
            let n = 5 + round * 3;
            let t: Vec<u64> = (0..n).map(|_| next(1 + round as u64 % 4 + 1)).collect();
            let p: Vec<u64> = (0..n).map(|_| next(2 + round as u64 % 5)).collect();
            let s = cluster_agreement(t.iter().zip(&p));
            let c2 = |x: f64| x * (x - 1.0) / 2.0;
            let mut cells: BTreeMap<(u64, u64), f64> = BTreeMap::new();
            let mut rows: BTreeMap<u64, f64> = BTreeMap::new();
            let mut cols: BTreeMap<u64, f64> = BTreeMap::new();
            for (&a, &b) in t.iter().zip(&p) {
                *cells.entry((a, b)).or_default() += 1.0;
                *rows.entry(a).or_default() += 1.0;
                *cols.entry(b).or_default() += 1.0;
            }
            let index: f64 = cells.values().map(|&x| c2(x)).sum();
            let sa: f64 = rows.values().map(|&x| c2(x)).sum();
            let sb: f64 = cols.values().map(|&x| c2(x)).sum();
            let expected = sa * sb / c2(n as f64);
            let max = (sa + sb) / 2.0;
            if max != expected {
                let ari = (index - expected) / (max - expected);
                assert!((s.ari - ari).abs() < 1e-9, "round {round}: {} vs {ari}", s.ari);
            }
            // brute-force pair agreement: tp counts pairs together on both sides
            let mut tp = 0u64;
            for i in 0..t.len() {
                for j in i + 1..t.len() {
                    tp += u64::from(t[i] == t[j] && p[i] == p[j]);
                }
            }
            assert_eq!(tp as f64, index);
            assert!((0.0..=1.0).contains(&s.nmi));
        }
    }

    // ----- report -----------------------------------------------------------------------

    #[test]
    fn eval_oracle_is_perfect() {
        let truth = fixture();
        let r = evaluate_records(&truth, &oracle(&truth));
        assert_eq!(r.operations.len(), 2);
        for o in &r.operations {
            assert_eq!((o.precision, o.recall, o.f1), (1.0, 1.0, 1.0), "{o:?}");
            assert_eq!(o.role_accuracy, Some(1.0));
            assert_eq!(o.networks, vec![format!("N-{}", o.operation)]);
        }
        assert_eq!(op(&r, "alpha").accounts, 6);
        assert_eq!(op(&r, "beta").true_positives, 4);
        assert_eq!((r.ari, r.nmi, r.ari_operations, r.nmi_operations), (1.0, 1.0, 1.0, 1.0));
        assert_eq!(r.role_accuracy, Some(1.0));
        assert_eq!(r.role_scored_accounts, 10);
        assert!(r.false_positives.iter().all(|k| k.flagged == 0 && k.rate == 0.0));
        let kinds: Vec<&str> = r.false_positives.iter().map(|k| k.kind.as_str()).collect();
        assert_eq!(kinds, ["fan", "journalist", "newsbot", "ngo", "organic"]);
        assert_eq!(r.organic_false_positive_rate, Some(0.0));
        assert_eq!(r.flagged_accounts, 10);
        assert_eq!(r.truth_accounts, 27);
        assert_eq!((r.operation_accounts, r.legitimate_accounts), (10, 17));
        assert_eq!((r.detection_precision, r.detection_recall), (1.0, 1.0));
        assert_eq!(r.unknown_accounts, 0);
        assert!(r.unmatched_networks.is_empty());
        assert_eq!(r.network_count, 2);
    }

    #[test]
    fn eval_flag_everyone_in_one_network() {
        // One operation of 10 plus 8 legitimate accounts: the network is mostly operation.
        let mut truth: Vec<TruthRecord> =
            (0..10).map(|i| TruthRecord::operation(format!("a{i}"), "alpha", Some("amplifier"))).collect();
        truth.extend((0..8).map(|i| TruthRecord::legitimate(format!("o{i}"), "organic")));
        let r = evaluate_records(&truth, &result_by(&truth, false, |_| Some("ALL".into())));
        let a = op(&r, "alpha");
        assert_eq!(a.recall, 1.0);
        assert_eq!((a.flagged, a.true_positives), (18, 10));
        assert!(close(a.precision, 10.0 / 18.0));
        assert!(close(a.f1, 20.0 / 28.0));
        assert_eq!(r.organic_false_positive_rate, Some(1.0));
        assert_eq!(r.role_accuracy, None, "result has no roles");
        assert_eq!(r.ari, 0.0);
        assert_eq!(r.nmi, 0.0);
        assert_eq!((r.ari_operations, r.nmi_operations), (1.0, 1.0));

        // With the full fixture the single network is mostly legitimate (17 of 27):
        // matched to nothing, so every operation has recall 0 and precision 0.
        let truth = fixture();
        let r = evaluate_records(&truth, &result_by(&truth, true, |_| Some("ALL".into())));
        assert!(r.operations.iter().all(|o| o.recall == 0.0 && o.precision == 0.0));
        assert!(r.operations.iter().all(|o| o.networks.is_empty() && o.flagged == 0));
        assert_eq!(r.unmatched_networks, vec!["ALL".to_string()]);
        assert_eq!(r.false_positive_accounts, 17);
        assert!(r.false_positives.iter().all(|k| k.rate == 1.0));
        assert_eq!(r.role_accuracy, None, "no account in a network of its own operation");
        assert_eq!(r.detection_recall, 1.0);
        assert!(close(r.detection_precision, 10.0 / 27.0));
    }

    #[test]
    fn eval_split_operation() {
        let truth = fixture();
        let result = result_by(&truth, true, |t| match t.operation.as_deref() {
            Some("alpha") if t.userid.as_str() < "a3" => Some("N1".into()),
            Some("alpha") => Some("N2".into()),
            Some(o) => Some(format!("N-{o}")),
            None => None,
        });
        let r = evaluate_records(&truth, &result);
        let a = op(&r, "alpha");
        assert_eq!((a.precision, a.recall, a.f1), (1.0, 1.0, 1.0));
        assert_eq!(a.networks, vec!["N1".to_string(), "N2".to_string()]);
        assert!(r.ari < 1.0 && r.ari > 0.0, "{}", r.ari);
        assert!(r.nmi < 1.0 && r.nmi > 0.0, "{}", r.nmi);
        assert!(r.ari_operations < 1.0 && r.nmi_operations < 1.0);
        assert_eq!(r.role_accuracy, Some(1.0));
        assert!(r.unmatched_networks.is_empty());
    }

    #[test]
    fn eval_missed_operation_penalised_in_operation_clustering() {
        let truth = fixture();
        // alpha found exactly, beta entirely missed
        let result = result_by(&truth, true, |t| (t.operation.as_deref() == Some("alpha")).then(|| "N1".to_string()));
        let r = evaluate_records(&truth, &result);
        let b = op(&r, "beta");
        assert_eq!((b.flagged, b.precision, b.recall, b.f1), (0, 0.0, 0.0, 0.0));
        assert_eq!(b.role_accuracy, None);
        // singletons for unflagged operation accounts: not a perfect clustering
        assert!(r.ari_operations < 1.0, "{}", r.ari_operations);
        assert!(r.nmi_operations < 1.0, "{}", r.nmi_operations);
        // hand check of ari_operations: truth [6 alpha, 4 beta], pred [6 in N1, 4 singletons]
        // tp = C(6) = 15; same_true = 15 + 6 -> fn = 6; fp = 0; C(10) = 45 -> tn = 24.
        // ARI = 2(15*24 - 0)/((21)(30) + (15)(24)) = 720/990
        assert!(close(r.ari_operations, 720.0 / 990.0), "{}", r.ari_operations);
    }

    #[test]
    fn eval_network_assignment_rules() {
        let truth = vec![
            TruthRecord::operation("a0", "alpha", Some("core")),
            TruthRecord::operation("a1", "alpha", Some("amplifier")),
            TruthRecord::operation("a2", "alpha", Some("amplifier")),
            TruthRecord::operation("b0", "beta", Some("core")),
            TruthRecord::operation("b1", "beta", Some("amplifier")),
            TruthRecord::operation("b2", "beta", Some("amplifier")),
            TruthRecord::legitimate("o0", "organic"),
            TruthRecord::legitimate("o1", "organic"),
            TruthRecord::legitimate("o2", "organic"),
            TruthRecord::legitimate("j0", "journalist"),
        ];
        let result = vec![
            // tie alpha/beta -> alpha (smallest name); roles: a0 right, a1 wrong
            ResultRecord::new("b0", Some("T"), Some("core")),
            ResultRecord::new("a0", Some("T"), Some("core")),
            ResultRecord::new("a1", Some("T"), Some("core")),
            ResultRecord::new("b1", Some("T"), Some("amplifier")),
            // exactly half legitimate -> matched (to beta)
            ResultRecord::new("b2", Some("H"), Some("core")),
            ResultRecord::new("o0", Some("H"), None),
            // mostly legitimate -> unmatched; a2 is not role-scored
            ResultRecord::new("a2", Some("L"), Some("amplifier")),
            ResultRecord::new("o1", Some("L"), None),
            ResultRecord::new("j0", Some("L"), None),
            // unknown accounts, one in its own network
            ResultRecord::new("x0", Some("U"), None),
            ResultRecord::new("x1", None, None),
            ResultRecord::new("x2", Some(""), None),
            // o2 missing from the result: unflagged
        ];
        let r = evaluate_records(&truth, &result);
        let a = op(&r, "alpha");
        assert_eq!(a.networks, vec!["T".to_string()]);
        assert_eq!((a.flagged, a.true_positives, a.detected), (4, 2, 3));
        assert!(close(a.precision, 0.5) && close(a.recall, 2.0 / 3.0));
        assert_eq!(a.role_accuracy, Some(0.5));
        let b = op(&r, "beta");
        assert_eq!(b.networks, vec!["H".to_string()]);
        assert_eq!((b.flagged, b.true_positives, b.detected), (2, 1, 3));
        assert_eq!(b.role_accuracy, Some(0.0));
        assert_eq!(r.unmatched_networks, vec!["L".to_string(), "U".to_string()]);
        assert_eq!(r.role_scored_accounts, 3);
        assert!(close(r.role_accuracy.unwrap(), 1.0 / 3.0));
        assert_eq!((r.unknown_accounts, r.unknown_flagged_accounts), (3, 1));
        assert_eq!(r.flagged_accounts, 9);
        assert_eq!(r.network_count, 4);
        let u = r.networks.iter().find(|n| n.network_id == "U").unwrap();
        assert_eq!((u.accounts, u.unknown_accounts, u.operation.as_deref()), (0, 1, None));
        let fp: Vec<(&str, u64, u64)> =
            r.false_positives.iter().map(|k| (k.kind.as_str(), k.flagged, k.accounts)).collect();
        assert_eq!(fp, [("journalist", 1, 1), ("organic", 2, 3)]);
        assert!(close(r.organic_false_positive_rate.unwrap(), 2.0 / 3.0));
    }

    #[test]
    fn eval_report_invariant_under_network_renaming_and_order() {
        let truth = fixture();
        let net = |t: &TruthRecord| -> Option<String> {
            match (t.operation.as_deref(), t.userid.as_str()) {
                (Some("alpha"), u) if u < "a2" => Some("N1".into()),
                (Some("alpha"), _) => Some("N2".into()),
                (Some(_), "b3") => None,
                (Some(_), _) => Some("N3".into()),
                (None, "o0" | "f1") => Some("N2".into()),
                (None, "o5") => Some("N4".into()),
                _ => None,
            }
        };
        let r1 = evaluate_records(&truth, &result_by(&truth, true, net));
        let mut truth2 = truth.clone();
        truth2.reverse();
        // bijective renaming of the networks, reversed truth and rotated result order
        let mut res2 =
            result_by(&truth2, true, |t| net(t).map(|n| format!("net-{}", n.chars().rev().collect::<String>())));
        res2.rotate_left(5);
        let r2 = evaluate_records(&truth2, &res2);
        assert!((r1.ari - r2.ari).abs() < EPS && (r1.nmi - r2.nmi).abs() < EPS);
        assert!((r1.ari_operations - r2.ari_operations).abs() < EPS);
        assert!((r1.nmi_operations - r2.nmi_operations).abs() < EPS);
        for (a, b) in r1.operations.iter().zip(&r2.operations) {
            assert_eq!(
                (a.flagged, a.true_positives, a.precision, a.recall, a.f1),
                (b.flagged, b.true_positives, b.precision, b.recall, b.f1)
            );
        }
        assert_eq!(r1.false_positives, r2.false_positives);
        assert_eq!(r1.role_accuracy, r2.role_accuracy);
        assert_eq!(r1.unmatched_networks.len(), r2.unmatched_networks.len());
    }

    #[test]
    fn eval_deterministic_and_serializes_field_names() {
        let truth = fixture();
        let result = oracle(&truth);
        let a = evaluate_records(&truth, &result);
        let mut shuffled = result.clone();
        shuffled.reverse();
        let b = evaluate_records(&truth, &shuffled);
        assert_eq!(a, b);
        assert_eq!(a.to_string(), b.to_string());
        let v = serde_json::to_value(&a).unwrap();
        for key in [
            "operations",
            "false_positives",
            "ari",
            "nmi",
            "ari_operations",
            "nmi_operations",
            "role_accuracy",
            "flagged_accounts",
            "truth_accounts",
            "unknown_accounts",
            "unmatched_networks",
        ] {
            assert!(v.get(key).is_some(), "missing {key}");
        }
        let o = &v["operations"][0];
        for key in ["operation", "accounts", "flagged", "true_positives", "precision", "recall", "f1", "networks"] {
            assert!(o.get(key).is_some(), "missing operations[].{key}");
        }
        let none = evaluate_records(&truth, &[]);
        assert!(serde_json::to_value(&none).unwrap()["role_accuracy"].is_null());
    }

    #[test]
    fn eval_display_table() {
        let truth = fixture();
        let result = result_by(&truth, true, |t| match t.operation.as_deref() {
            Some("alpha") if t.userid.as_str() < "a3" => Some("N1".into()),
            Some("alpha") => Some("N2".into()),
            Some(o) => Some(format!("N-{o}")),
            None if t.userid == "o3" => Some("N2".into()),
            None if t.userid == "j1" => Some("N9".into()),
            None => None,
        });
        let r = evaluate_records(&truth, &result);
        let s = r.to_string();
        println!("{s}");
        assert!(s.starts_with("Operations\noperation"));
        assert!(s.contains("alpha"));
        assert!(s.contains("N1, N2"));
        assert!(s.contains("all legitimate"));
        assert!(s.contains("ARI (operation accounts)"));
        assert!(s.contains("1 unmatched: N9"));
        assert!(s.lines().all(|l| l == l.trim_end()));
        // columns aligned: every row of the operations table has the same prefix width
        let table: Vec<&str> = s.lines().skip(1).take(3).collect();
        let col = table[0].find("networks").unwrap();
        assert!(table[1..].iter().all(|l| l.len() > col && &l[col - 2..col] == "  "));
        let none = evaluate_records(&truth, &[]).to_string();
        assert!(none.contains("role accuracy             n/a") || none.contains("n/a"));
    }

    // ----- files ------------------------------------------------------------------------

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    const TRUTH_CSV: &str = "userid,kind,operation,role\n\
        a0,operation,alpha,core\n\
        a1,operation,alpha,amplifier\n\
        b0,operation,beta,core\n\
        o0,organic,,\n\
        j0,journalist,,\n\
        w0,weirdkind,,\n";

    #[test]
    fn eval_files_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let truth_dir = dir.path().join("sim");
        let result_dir = dir.path().join("out");
        std::fs::create_dir_all(&truth_dir).unwrap();
        std::fs::create_dir_all(&result_dir).unwrap();
        write(&truth_dir, TRUTH_FILE, TRUTH_CSV);
        // reordered columns, extra columns, quoted field, unknown account
        write(
            &result_dir,
            RESULT_FILE,
            "screen_name,network_id,account_id,role,signals,posts\n\
             x,N1,a0,core,\"a;b\",3\n\
             x,N1,a1,Amplifier,,1\n\
             x,N2,b0,core,,1\n\
             x,,o0,,,5\n\
             x,N2,zz,,,1\n",
        );
        let r = evaluate(&truth_dir, &result_dir).unwrap();
        assert_eq!(r.truth_accounts, 6);
        assert_eq!((r.unknown_accounts, r.unknown_flagged_accounts), (1, 1));
        assert_eq!(op(&r, "alpha").f1, 1.0);
        assert_eq!(op(&r, "beta").f1, 1.0);
        assert_eq!(r.role_accuracy, Some(1.0));
        let kinds: Vec<&str> = r.false_positives.iter().map(|k| k.kind.as_str()).collect();
        assert_eq!(kinds, ["journalist", "organic", "weirdkind"]);

        // direct file paths, minimal result columns (no role)
        let minimal = write(dir.path(), "min.csv", "account_id,network_id\na0,N1\nb0,N1\n");
        let r = evaluate(&truth_dir.join(TRUTH_FILE), &minimal).unwrap();
        assert_eq!(r.role_accuracy, None);
        assert_eq!(op(&r, "alpha").networks, vec!["N1".to_string()]);
        assert_eq!(op(&r, "alpha").recall, 0.5);
    }

    #[test]
    fn eval_malformed_record_reports_path_and_record() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "accounts.csv", "account_id,network_id,role\na0,N1,core\na1,N1,core\na2,N1\n");
        let e = read_result(&p).unwrap_err();
        match &e {
            EvalError::Record { path, record, line, .. } => {
                assert_eq!(path, &p);
                assert_eq!(*record, 3);
                assert_eq!(*line, Some(4));
            }
            other => panic!("unexpected {other:?}"),
        }
        let msg = e.to_string();
        assert!(msg.contains(&p.display().to_string()) && msg.contains("record 3"), "{msg}");

        // invalid UTF-8
        let p2 = dir.path().join("bad_utf8.csv");
        std::fs::write(&p2, b"account_id,network_id\na0,N\xff\n").unwrap();
        let e = read_result(&p2).unwrap_err();
        assert!(matches!(e, EvalError::Record { record: 1, .. }), "{e:?}");
    }

    #[test]
    fn eval_semantic_errors_carry_record_number() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            ("userid,kind,operation,role\na,operation,,core\n", 1, "no operation name"),
            ("userid,kind,operation,role\na,organic,,\nb,organic,alpha,\n", 2, "names operation"),
            ("userid,kind,operation,role\na,organic,,\na,fan,,\n", 2, "duplicate"),
            ("userid,kind\na,organic\n,organic\n", 2, "empty `userid`"),
            ("userid,kind\na,\n", 1, "empty `kind`"),
        ];
        for (i, (text, record, reason)) in cases.into_iter().enumerate() {
            let p = write(dir.path(), &format!("t{i}.csv"), text);
            let e = read_truth(&p).unwrap_err();
            let msg = e.to_string();
            assert!(matches!(&e, EvalError::Record { record: r, path, .. } if *r == record && path == &p), "{e:?}");
            assert!(msg.contains(reason) && msg.contains(&format!("record {record}")), "{msg}");
        }
        let p = write(dir.path(), "dup.csv", "account_id,network_id\na,N\na,N\n");
        assert!(matches!(read_result(&p), Err(EvalError::Record { record: 2, .. })));
    }

    #[test]
    fn eval_missing_column_and_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "accounts.csv", "account_id,screen_name,role\na,b,core\n");
        let e = read_result(&p).unwrap_err();
        assert!(matches!(&e, EvalError::MissingColumn { column: "network_id", path, .. } if path == &p), "{e:?}");
        assert!(e.to_string().contains("network_id"));
        let p = write(dir.path(), "truth.csv", "userid,operation\n");
        assert!(matches!(read_truth(&p), Err(EvalError::MissingColumn { column: "kind", .. })));
        let p = write(dir.path(), "empty.csv", "");
        assert!(matches!(read_truth(&p), Err(EvalError::MissingColumn { column: "userid", .. })));
        // directory without truth.csv inside -> Io error naming the joined path
        let empty_dir = dir.path().join("nothing");
        std::fs::create_dir_all(&empty_dir).unwrap();
        match evaluate(&empty_dir, &empty_dir) {
            Err(EvalError::Io { path, .. }) => assert_eq!(path, empty_dir.join(TRUTH_FILE)),
            other => panic!("unexpected {other:?}"),
        }
        let e = read_result(&dir.path().join("nope.csv")).unwrap_err();
        assert!(e.to_string().contains("nope.csv"));
    }
}
