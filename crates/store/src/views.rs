//! Read-only views of the store for the web UI and the JSON API: the networks table
//! (filtered, sorted, paged), a case with its latest network, an account across runs,
//! search, the audit log. Every value from a request is bound as a parameter; sort keys are
//! chosen from a fixed list, never spliced from the request.

use crate::{Store, StoreError};
use cibscan_core::characterise::{Network, Operation};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

/// Most rows one page may hold.
pub const MAX_PER_PAGE: usize = 500;

/// A column the networks table sorts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    Case,
    State,
    Accounts,
    Posts,
    Confidence,
    FirstPost,
    LastPost,
    Traction,
    Breakout,
}

impl SortKey {
    pub const ALL: [SortKey; 9] = [
        SortKey::Case,
        SortKey::State,
        SortKey::Accounts,
        SortKey::Posts,
        SortKey::Confidence,
        SortKey::FirstPost,
        SortKey::LastPost,
        SortKey::Traction,
        SortKey::Breakout,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SortKey::Case => "case",
            SortKey::State => "state",
            SortKey::Accounts => "accounts",
            SortKey::Posts => "posts",
            SortKey::Confidence => "confidence",
            SortKey::FirstPost => "first_post",
            SortKey::LastPost => "last_post",
            SortKey::Traction => "traction",
            SortKey::Breakout => "breakout",
        }
    }

    pub fn parse(s: &str) -> Option<SortKey> {
        SortKey::ALL.into_iter().find(|k| k.name() == s)
    }

    fn column(self) -> &'static str {
        match self {
            SortKey::Case => "c.id",
            SortKey::State => "c.state",
            SortKey::Accounts => "n.accounts",
            SortKey::Posts => "n.posts",
            SortKey::Confidence => "n.confidence",
            SortKey::FirstPost => "n.first_post",
            SortKey::LastPost => "n.last_post",
            SortKey::Traction => "n.internal_share",
            SortKey::Breakout => "n.breakout",
        }
    }
}

/// Which networks to list.
#[derive(Debug, Clone, Default)]
pub struct NetworkQuery {
    pub state: Option<String>,
    pub run: Option<i64>,
    /// Case label, network id, operation id or linked takedown (substring).
    pub text: Option<String>,
    pub sort: SortKey,
    pub descending: bool,
    /// 1-based.
    pub page: usize,
    pub per_page: usize,
}

/// One page of a listing.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub items: Vec<T>,
}

/// One row of the networks table: a case with its latest network.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NetworkRow {
    pub case: String,
    pub state: String,
    pub run: i64,
    pub network: String,
    pub operation: String,
    pub accounts: i64,
    pub core: i64,
    pub amplifiers: i64,
    pub attributed: i64,
    pub posts: i64,
    pub first_post: String,
    pub last_post: String,
    pub confidence: f64,
    /// Share of engagement from inside the network (echo chamber when high).
    pub internal_engagement_share: Option<f64>,
    pub breakout: Option<i64>,
    pub verdict: String,
    /// Earlier takedowns it is linked to (space-separated).
    pub linked: String,
    /// What changed at the latest import, when the case went back to review.
    pub changes: String,
}

/// A flagged account of a case's latest network.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MemberRow {
    pub account_id: String,
    pub screen_name: String,
    pub role: String,
    pub coordination_score: f64,
    pub inauthenticity_score: Option<f64>,
    pub posts: i64,
    pub signals: String,
    /// Attribution evidence (JSON) for accounts attributed on account-level evidence.
    pub evidence: Option<String>,
    /// Why it was excluded as a false positive, if it was.
    pub excluded: Option<String>,
}

/// A decision on a case.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DecisionRow {
    pub at: String,
    pub user: String,
    pub decision: String,
    pub reason: String,
    pub round: i64,
}

/// An exclusion from a case.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ExclusionRow {
    pub account_id: String,
    pub user: String,
    pub reason: String,
    pub at: String,
}

/// A case with everything its page shows.
#[derive(Debug, Clone, Serialize)]
pub struct CaseDetail {
    #[serde(flatten)]
    pub row: NetworkRow,
    pub round: i64,
    pub run_dir: String,
    pub network_body: Network,
    pub operation_body: Option<Operation>,
    pub members: Vec<MemberRow>,
    pub decisions: Vec<DecisionRow>,
    pub exclusions: Vec<ExclusionRow>,
    /// The case's network in each run: (run, network id, accounts).
    pub history: Vec<(i64, String, i64)>,
}

/// An edge inside a network: the fused weight and each signal's −log10 p.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EdgeView {
    pub source: String,
    pub target: String,
    pub weight: f64,
    /// JSON object: signal → −log10 p.
    pub signals: String,
}

/// Where an account was flagged.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Appearance {
    pub run: i64,
    pub case: String,
    pub state: String,
    pub network: String,
    pub screen_name: String,
    pub role: String,
    pub coordination_score: f64,
    pub inauthenticity_score: Option<f64>,
    pub posts: i64,
    pub signals: String,
    pub evidence: Option<String>,
    pub excluded: Option<String>,
}

/// An account across runs, with its co-actors in its latest network.
#[derive(Debug, Clone, Serialize)]
pub struct AccountDetail {
    pub account_id: String,
    pub appearances: Vec<Appearance>,
    /// Edges of the account in the latest network it was flagged in, strongest first.
    pub co_actors: Vec<EdgeView>,
}

/// What a search found.
#[derive(Debug, Clone, Serialize, Default)]
pub struct SearchResults {
    /// (account id, screen name, case) of flagged accounts whose id or name matches.
    pub accounts: Vec<(String, String, String)>,
    /// (case, network id, what matched) of latest networks whose narratives, hashtags,
    /// links, domains or reasons mention the text.
    pub networks: Vec<(String, String, String)>,
}

/// `LIKE` pattern for a substring, with the wildcards in it taken literally.
fn like(s: &str) -> String {
    let mut p = String::with_capacity(s.len() + 2);
    p.push('%');
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

const ROW_COLUMNS: &str = "c.label, c.state, n.run, n.net_id, coalesce(o.op_id, ''), n.accounts, n.core, n.amplifiers,
    n.attributed, n.posts, n.first_post, n.last_post, n.confidence, n.internal_share, n.breakout, n.verdict,
    n.linked, c.changes";
const ROW_FROM: &str = "FROM cases c JOIN networks n ON n.case_id = c.id AND n.run = c.last_run
    LEFT JOIN operations o ON o.id = n.operation";

fn network_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<NetworkRow> {
    Ok(NetworkRow {
        case: r.get(0)?,
        state: r.get(1)?,
        run: r.get(2)?,
        network: r.get(3)?,
        operation: r.get(4)?,
        accounts: r.get(5)?,
        core: r.get(6)?,
        amplifiers: r.get(7)?,
        attributed: r.get(8)?,
        posts: r.get(9)?,
        first_post: r.get(10)?,
        last_post: r.get(11)?,
        confidence: r.get(12)?,
        internal_engagement_share: r.get(13)?,
        breakout: r.get(14)?,
        verdict: r.get(15)?,
        linked: r.get(16)?,
        changes: r.get(17)?,
    })
}

impl Store {
    /// A page of the networks table.
    pub fn network_page(&self, q: &NetworkQuery) -> Result<Page<NetworkRow>, StoreError> {
        let per_page = q.per_page.clamp(1, MAX_PER_PAGE);
        let page = q.page.max(1);
        let filter = "WHERE (?1 IS NULL OR c.state = ?1) AND (?2 IS NULL OR n.run = ?2)
            AND (?3 IS NULL OR c.label LIKE ?3 ESCAPE '\\' OR n.net_id LIKE ?3 ESCAPE '\\'
                 OR o.op_id LIKE ?3 ESCAPE '\\' OR n.linked LIKE ?3 ESCAPE '\\')";
        let text = q.text.as_deref().filter(|t| !t.is_empty()).map(like);
        let total: i64 = self
            .conn
            .query_row(&format!("SELECT count(*) {ROW_FROM} {filter}"), params![q.state, q.run, text], |r| r.get(0))
            .map_err(self.sql())?;
        let order = if q.descending { "DESC" } else { "ASC" };
        let sql = format!(
            "SELECT {ROW_COLUMNS} {ROW_FROM} {filter} ORDER BY {} {order}, c.id ASC LIMIT ?4 OFFSET ?5",
            q.sort.column()
        );
        let mut st = self.conn.prepare_cached(&sql).map_err(self.sql())?;
        let items = st
            .query_map(params![q.state, q.run, text, per_page as i64, ((page - 1) * per_page) as i64], network_row)
            .map_err(self.sql())?
            .collect::<Result<Vec<_>, _>>()
            .map_err(self.sql())?;
        Ok(Page { total: total as usize, page, per_page, items })
    }

    /// A case by label with its latest network, members, decisions and exclusions.
    pub fn case_detail(&self, label: &str) -> Result<Option<CaseDetail>, StoreError> {
        let found = self
            .conn
            .query_row(
                &format!(
                    "SELECT {ROW_COLUMNS}, c.round, r.dir, n.body, o.body, n.id, c.id {ROW_FROM}
                     JOIN runs r ON r.id = n.run WHERE c.label = ?1"
                ),
                [label],
                |r| {
                    Ok((
                        network_row(r)?,
                        r.get::<_, i64>(18)?,
                        r.get::<_, String>(19)?,
                        r.get::<_, String>(20)?,
                        r.get::<_, Option<String>>(21)?,
                        r.get::<_, i64>(22)?,
                        r.get::<_, i64>(23)?,
                    ))
                },
            )
            .optional()
            .map_err(self.sql())?;
        let Some((row, round, run_dir, body, op_body, net_rowid, case_id)) = found else { return Ok(None) };
        // Bodies were written by this crate from typed values; a body that no longer parses
        // is reported, not skipped.
        let bad_body = |e: serde_json::Error| StoreError::Sql {
            path: self.path.clone(),
            error: rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)),
        };
        let network_body: Network = serde_json::from_str(&body).map_err(bad_body)?;
        let operation_body: Option<Operation> =
            op_body.map(|b| serde_json::from_str(&b)).transpose().map_err(bad_body)?;
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT a.account_id, a.screen_name, a.role, a.coordination_score, a.inauthenticity_score, a.posts,
                        a.signals, e.body, x.reason
                 FROM accounts a
                 LEFT JOIN evidence e ON e.run = a.run AND e.account_id = a.account_id
                 LEFT JOIN exclusions x ON x.case_id = ?2 AND x.account_id = a.account_id
                 WHERE a.network = ?1
                 ORDER BY CASE a.role WHEN 'core' THEN 0 ELSE 1 END, a.coordination_score DESC, a.account_id",
            )
            .map_err(self.sql())?;
        let members = st
            .query_map(params![net_rowid, case_id], |r| {
                Ok(MemberRow {
                    account_id: r.get(0)?,
                    screen_name: r.get(1)?,
                    role: r.get(2)?,
                    coordination_score: r.get(3)?,
                    inauthenticity_score: r.get(4)?,
                    posts: r.get(5)?,
                    signals: r.get(6)?,
                    evidence: r.get(7)?,
                    excluded: r.get(8)?,
                })
            })
            .map_err(self.sql())?
            .collect::<Result<Vec<_>, _>>()
            .map_err(self.sql())?;
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT d.at, u.name, d.decision, d.reason, d.round FROM decisions d JOIN users u ON u.id = d.user_id
                 WHERE d.case_id = ?1 ORDER BY d.id",
            )
            .map_err(self.sql())?;
        let decisions = st
            .query_map([case_id], |r| {
                Ok(DecisionRow {
                    at: r.get(0)?,
                    user: r.get(1)?,
                    decision: r.get(2)?,
                    reason: r.get(3)?,
                    round: r.get(4)?,
                })
            })
            .map_err(self.sql())?
            .collect::<Result<Vec<_>, _>>()
            .map_err(self.sql())?;
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT x.account_id, u.name, x.reason, x.at FROM exclusions x JOIN users u ON u.id = x.user_id
                 WHERE x.case_id = ?1 ORDER BY x.id",
            )
            .map_err(self.sql())?;
        let exclusions = st
            .query_map([case_id], |r| {
                Ok(ExclusionRow { account_id: r.get(0)?, user: r.get(1)?, reason: r.get(2)?, at: r.get(3)? })
            })
            .map_err(self.sql())?
            .collect::<Result<Vec<_>, _>>()
            .map_err(self.sql())?;
        let mut st = self
            .conn
            .prepare_cached("SELECT run, net_id, accounts FROM networks WHERE case_id = ?1 ORDER BY run")
            .map_err(self.sql())?;
        let history = st
            .query_map([case_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(self.sql())?
            .collect::<Result<Vec<_>, _>>()
            .map_err(self.sql())?;
        Ok(Some(CaseDetail {
            row,
            round,
            run_dir,
            network_body,
            operation_body,
            members,
            decisions,
            exclusions,
            history,
        }))
    }

    /// The edges inside a case's latest network, strongest first.
    pub fn case_edges(&self, label: &str) -> Result<Vec<EdgeView>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT e.source, e.target, e.weight, e.signals FROM edges e
                 JOIN networks n ON n.id = e.network JOIN cases c ON c.id = n.case_id AND n.run = c.last_run
                 WHERE c.label = ?1 ORDER BY e.weight DESC, e.source, e.target",
            )
            .map_err(self.sql())?;
        let rows = st
            .query_map([label], |r| {
                Ok(EdgeView { source: r.get(0)?, target: r.get(1)?, weight: r.get(2)?, signals: r.get(3)? })
            })
            .map_err(self.sql())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.sql())
    }

    /// An account across runs (latest first) and its co-actors in the latest network it
    /// was flagged in; `None` when it was never flagged.
    pub fn account_detail(&self, account_id: &str) -> Result<Option<AccountDetail>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT a.run, c.label, c.state, n.net_id, a.screen_name, a.role, a.coordination_score,
                        a.inauthenticity_score, a.posts, a.signals, e.body, x.reason, n.id
                 FROM accounts a JOIN networks n ON n.id = a.network JOIN cases c ON c.id = n.case_id
                 LEFT JOIN evidence e ON e.run = a.run AND e.account_id = a.account_id
                 LEFT JOIN exclusions x ON x.case_id = c.id AND x.account_id = a.account_id
                 WHERE a.account_id = ?1 ORDER BY a.run DESC",
            )
            .map_err(self.sql())?;
        let rows = st
            .query_map([account_id], |r| {
                Ok((
                    Appearance {
                        run: r.get(0)?,
                        case: r.get(1)?,
                        state: r.get(2)?,
                        network: r.get(3)?,
                        screen_name: r.get(4)?,
                        role: r.get(5)?,
                        coordination_score: r.get(6)?,
                        inauthenticity_score: r.get(7)?,
                        posts: r.get(8)?,
                        signals: r.get(9)?,
                        evidence: r.get(10)?,
                        excluded: r.get(11)?,
                    },
                    r.get::<_, i64>(12)?,
                ))
            })
            .map_err(self.sql())?
            .collect::<Result<Vec<_>, _>>()
            .map_err(self.sql())?;
        let Some(&(_, latest)) = rows.first() else { return Ok(None) };
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT source, target, weight, signals FROM edges WHERE network = ?1 AND (source = ?2 OR target = ?2)
                 ORDER BY weight DESC, source, target LIMIT 200",
            )
            .map_err(self.sql())?;
        let co_actors = st
            .query_map(params![latest, account_id], |r| {
                Ok(EdgeView { source: r.get(0)?, target: r.get(1)?, weight: r.get(2)?, signals: r.get(3)? })
            })
            .map_err(self.sql())?
            .collect::<Result<Vec<_>, _>>()
            .map_err(self.sql())?;
        Ok(Some(AccountDetail {
            account_id: account_id.to_string(),
            appearances: rows.into_iter().map(|(a, _)| a).collect(),
            co_actors,
        }))
    }

    /// Searches flagged accounts (id or screen name) and latest networks (narratives,
    /// hashtags, terms, links, domains, reasons) for `text`, at most `limit` of each.
    pub fn search(&self, text: &str, limit: usize) -> Result<SearchResults, StoreError> {
        let text = text.trim().trim_start_matches(['#', '@']);
        if text.is_empty() {
            return Ok(SearchResults::default());
        }
        let pattern = like(text);
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT a.account_id, a.screen_name, c.label FROM accounts a JOIN networks n ON n.id = a.network
                 JOIN cases c ON c.id = n.case_id AND n.run = c.last_run
                 WHERE a.account_id = ?1 OR a.screen_name LIKE ?2 ESCAPE '\\'
                 ORDER BY a.account_id = ?1 DESC, a.screen_name LIMIT ?3",
            )
            .map_err(self.sql())?;
        let accounts = st
            .query_map(params![text, pattern, limit as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(self.sql())?
            .collect::<Result<Vec<_>, _>>()
            .map_err(self.sql())?;
        let mut st = self
            .conn
            .prepare_cached(&format!(
                "SELECT c.label, n.net_id, n.body {ROW_FROM} WHERE n.body LIKE ?1 ESCAPE '\\' ORDER BY c.id LIMIT ?2"
            ))
            .map_err(self.sql())?;
        let found = st
            .query_map(params![pattern, limit as i64], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })
            .map_err(self.sql())?
            .collect::<Result<Vec<_>, _>>()
            .map_err(self.sql())?;
        let needle = text.to_lowercase();
        let networks = found
            .into_iter()
            .map(|(label, net, body)| {
                let what =
                    serde_json::from_str::<Network>(&body).ok().map_or_else(String::new, |n| matched(&n, &needle));
                (label, net, what)
            })
            .collect();
        Ok(SearchResults { accounts, networks })
    }

    /// A page of the audit log, newest first.
    pub fn audit_page(&self, page: usize, per_page: usize) -> Result<Page<crate::AuditRow>, StoreError> {
        let per_page = per_page.clamp(1, MAX_PER_PAGE);
        let page = page.max(1);
        let total: i64 = self.conn.query_row("SELECT count(*) FROM audit", [], |r| r.get(0)).map_err(self.sql())?;
        let mut st = self
            .conn
            .prepare_cached("SELECT id, at, actor, action, detail FROM audit ORDER BY id DESC LIMIT ?1 OFFSET ?2")
            .map_err(self.sql())?;
        let items = st
            .query_map(params![per_page as i64, ((page - 1) * per_page) as i64], |r| {
                Ok(crate::AuditRow {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    detail: r.get(4)?,
                })
            })
            .map_err(self.sql())?
            .collect::<Result<Vec<_>, _>>()
            .map_err(self.sql())?;
        Ok(Page { total: total as usize, page, per_page, items })
    }

    /// Runs with their manifests' counts: (id, folder, tool, finished, imported at,
    /// networks).
    pub fn run_list(&self) -> Result<Vec<RunRow>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT r.id, r.dir, r.tool, r.finished, r.imported_at, (SELECT count(*) FROM networks n WHERE n.run = r.id)
                 FROM runs r ORDER BY r.id",
            )
            .map_err(self.sql())?;
        let rows = st
            .query_map([], |r| {
                Ok(RunRow {
                    id: r.get(0)?,
                    dir: r.get(1)?,
                    tool: r.get(2)?,
                    finished: r.get(3)?,
                    imported_at: r.get(4)?,
                    networks: r.get(5)?,
                })
            })
            .map_err(self.sql())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.sql())
    }
}

/// A run as listed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RunRow {
    pub id: i64,
    pub dir: String,
    pub tool: String,
    pub finished: String,
    pub imported_at: String,
    pub networks: i64,
}

/// Where in a network `needle` (lower case) occurs, for a search hit's label.
fn matched(n: &Network, needle: &str) -> String {
    let has = |s: &str| s.to_lowercase().contains(needle);
    for nar in &n.narratives {
        if let Some(h) = nar.hashtags.iter().find(|h| has(h)) {
            return format!("hashtag #{h} in narrative {}", nar.label);
        }
        if let Some(t) = nar.terms.iter().find(|t| has(t)) {
            return format!("term {t} in narrative {}", nar.label);
        }
        if has(&nar.label) {
            return format!("narrative {}", nar.label);
        }
    }
    if let Some(l) = n.links.iter().find(|l| has(&l.operation) || l.evidence.iter().any(|e| has(&e.detail))) {
        return format!("link to {}", l.operation);
    }
    if let Some(e) = n.breakout.iter().flat_map(|b| &b.evidence).find(|e| has(e)) {
        return format!("breakout: {e}");
    }
    if let Some(r) = n.screening.indicators.iter().chain(&n.screening.authenticity).find(|r| has(r)) {
        return format!("screen: {r}");
    }
    "network record".to_string()
}
