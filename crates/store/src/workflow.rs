//! Users and the review workflow.
//!
//! States: `new → in_review → confirmed | cleared | needs_evidence`. An analyst (or a
//! reviewer) *proposes* a case for review; a case becomes `confirmed` only when two
//! different reviewers (or admins) have confirmed it in the current review round (four
//! eyes); one reviewer may `clear` it; an analyst or reviewer may send it to
//! `needs_evidence`, which starts a new round (earlier confirmations no longer count), as
//! does a material change at import. Single accounts can be excluded from a case as false
//! positives. Every decision and exclusion needs a reason and is written to the audit log;
//! viewers may not act. Passwords are stored as argon2id hashes.

use crate::{now, Store, StoreError};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rusqlite::{params, OptionalExtension};
use std::path::Path;

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Viewer,
    Analyst,
    Reviewer,
    Admin,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Analyst => "analyst",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        [Role::Viewer, Role::Analyst, Role::Reviewer, Role::Admin].into_iter().find(|r| r.name() == s)
    }
}

/// A decision on a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Propose,
    Confirm,
    Clear,
    NeedsEvidence,
}

impl Decision {
    pub fn name(self) -> &'static str {
        match self {
            Decision::Propose => "propose",
            Decision::Confirm => "confirm",
            Decision::Clear => "clear",
            Decision::NeedsEvidence => "needs_evidence",
        }
    }

    pub fn parse(s: &str) -> Option<Decision> {
        [Decision::Propose, Decision::Confirm, Decision::Clear, Decision::NeedsEvidence]
            .into_iter()
            .find(|d| d.name() == s)
    }

    /// The least role that may take it.
    fn needs(self) -> Role {
        match self {
            Decision::Propose | Decision::NeedsEvidence => Role::Analyst,
            Decision::Confirm | Decision::Clear => Role::Reviewer,
        }
    }
}

/// Why a workflow step was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WorkflowError {
    #[error("no user {0:?}")]
    NoUser(String),
    #[error("user {0:?} exists")]
    UserExists(String),
    #[error("no case {0:?}")]
    NoCase(String),
    #[error("{user} ({role}) may not {action}")]
    NotAllowed { user: String, role: &'static str, action: String },
    #[error("case {case} is {state}: cannot {action}")]
    WrongState { case: String, state: String, action: String },
    #[error("a reason is required")]
    NoReason,
    #[error("account {account} is not in case {case}'s latest network")]
    NotInCase { case: String, account: String },
    #[error("export: {0}")]
    Export(String),
    #[error("hashing the password: {0}")]
    Password(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn token_digest(token: &str) -> String {
    use sha2::Digest;
    cibscan_core::text::hex(&sha2::Sha256::digest(token.as_bytes()))
}

fn hash_password(password: &str) -> Result<String, WorkflowError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| WorkflowError::Password(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| WorkflowError::Password(e.to_string()))?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| WorkflowError::Password(e.to_string()))
}

impl Store {
    pub(crate) fn wsql(&self) -> impl Fn(rusqlite::Error) -> WorkflowError + '_ {
        |error| WorkflowError::Store(StoreError::Sql { path: self.path.clone(), error })
    }

    /// Adds a user (argon2id hash of `password`, if any; a user without one can act only
    /// from the command line, never sign in).
    pub fn add_user(
        &mut self,
        name: &str,
        role: Role,
        password: Option<&str>,
        actor: &str,
    ) -> Result<(), WorkflowError> {
        let hash = password.map(hash_password).transpose()?;
        let exists: Option<i64> = self
            .conn
            .query_row("SELECT id FROM users WHERE name = ?1", [name], |r| r.get(0))
            .optional()
            .map_err(self.wsql())?;
        if exists.is_some() {
            return Err(WorkflowError::UserExists(name.to_string()));
        }
        let tx = self.conn.unchecked_transaction().map_err(self.wsql())?;
        tx.execute(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![name, role.name(), hash, now()],
        )
        .map_err(self.wsql())?;
        tx.execute(
            "INSERT INTO audit (at, actor, action, detail) VALUES (?1, ?2, 'user_add', ?3)",
            params![now(), actor, format!("{name} as {}", role.name())],
        )
        .map_err(self.wsql())?;
        tx.commit().map_err(self.wsql())?;
        Ok(())
    }

    /// Creates an API token for user `name` and returns it: it is shown once, and only its
    /// SHA-256 is stored.
    pub fn create_token(&mut self, name: &str, actor: &str) -> Result<String, WorkflowError> {
        let (user_id, _) = self.user(name)?;
        let mut raw = [0u8; 32];
        getrandom::fill(&mut raw).map_err(|e| WorkflowError::Password(e.to_string()))?;
        let token = format!("cib_{}", cibscan_core::text::hex(&raw));
        let tx = self.conn.unchecked_transaction().map_err(self.wsql())?;
        tx.execute(
            "INSERT INTO tokens (user_id, token_sha256, created_at) VALUES (?1, ?2, ?3)",
            params![user_id, token_digest(&token), now()],
        )
        .map_err(self.wsql())?;
        tx.execute(
            "INSERT INTO audit (at, actor, action, detail) VALUES (?1, ?2, 'token_create', ?3)",
            params![now(), actor, format!("for {name}")],
        )
        .map_err(self.wsql())?;
        tx.commit().map_err(self.wsql())?;
        Ok(token)
    }

    /// The user (name, role) a token belongs to, if it is a live token.
    pub fn token_user(&self, token: &str) -> Result<Option<(String, Role)>, WorkflowError> {
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT u.name, u.role FROM tokens t JOIN users u ON u.id = t.user_id
                 WHERE t.token_sha256 = ?1 AND t.revoked_at IS NULL",
                [token_digest(token)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(self.wsql())?;
        Ok(row.map(|(n, r)| (n, Role::parse(&r).unwrap_or(Role::Viewer))))
    }

    /// Whether `password` is `name`'s (false for an unknown user or one without a password).
    pub fn verify_password(&self, name: &str, password: &str) -> Result<bool, WorkflowError> {
        let hash: Option<Option<String>> = self
            .conn
            .query_row("SELECT password_hash FROM users WHERE name = ?1", [name], |r| r.get(0))
            .optional()
            .map_err(self.wsql())?;
        let Some(Some(hash)) = hash else { return Ok(false) };
        let Ok(parsed) = PasswordHash::new(&hash) else { return Ok(false) };
        Ok(argon2::Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    }

    fn user(&self, name: &str) -> Result<(i64, Role), WorkflowError> {
        let row: Option<(i64, String)> = self
            .conn
            .query_row("SELECT id, role FROM users WHERE name = ?1", [name], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(self.wsql())?;
        let (id, role) = row.ok_or_else(|| WorkflowError::NoUser(name.to_string()))?;
        Ok((id, Role::parse(&role).unwrap_or(Role::Viewer)))
    }

    fn case(&self, label: &str) -> Result<(i64, String, i64), WorkflowError> {
        self.conn
            .query_row("SELECT id, state, round FROM cases WHERE label = ?1", [label], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()
            .map_err(self.wsql())?
            .ok_or_else(|| WorkflowError::NoCase(label.to_string()))
    }

    /// Records `user`'s decision on case `label` with `reason`; returns the case's state
    /// after it.
    pub fn decide(
        &mut self,
        label: &str,
        user: &str,
        decision: Decision,
        reason: &str,
    ) -> Result<String, WorkflowError> {
        if reason.trim().is_empty() {
            return Err(WorkflowError::NoReason);
        }
        let (user_id, role) = self.user(user)?;
        if role < decision.needs() {
            return Err(WorkflowError::NotAllowed {
                user: user.to_string(),
                role: role.name(),
                action: decision.name().to_string(),
            });
        }
        let (case_id, state, round) = self.case(label)?;
        let wrong = |action: &str| WorkflowError::WrongState {
            case: label.to_string(),
            state: state.clone(),
            action: action.to_string(),
        };
        let tx = self.conn.unchecked_transaction().map_err(self.wsql())?;
        tx.execute(
            "INSERT INTO decisions (case_id, user_id, decision, reason, at, round) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![case_id, user_id, decision.name(), reason, now(), round],
        )
        .map_err(self.wsql())?;
        let (new_state, new_round) = match decision {
            Decision::Propose if matches!(state.as_str(), "new" | "needs_evidence" | "cleared") => {
                ("in_review".to_string(), round)
            }
            Decision::Propose => return Err(wrong("propose")),
            Decision::Confirm if state == "in_review" => {
                let reviewers: i64 = tx
                    .query_row(
                        "SELECT count(DISTINCT user_id) FROM decisions WHERE case_id = ?1 AND round = ?2 AND decision = 'confirm'",
                        params![case_id, round],
                        |r| r.get(0),
                    )
                    .map_err(self.wsql())?;
                (if reviewers >= 2 { "confirmed" } else { "in_review" }.to_string(), round)
            }
            Decision::Confirm => return Err(wrong("confirm")),
            Decision::Clear if state != "cleared" => ("cleared".to_string(), round + 1),
            Decision::Clear => return Err(wrong("clear")),
            Decision::NeedsEvidence => ("needs_evidence".to_string(), round + 1),
        };
        tx.execute("UPDATE cases SET state = ?1, round = ?2 WHERE id = ?3", params![new_state, new_round, case_id])
            .map_err(self.wsql())?;
        tx.execute(
            "INSERT INTO audit (at, actor, action, detail) VALUES (?1, ?2, 'decision', ?3)",
            params![
                now(),
                user,
                serde_json::json!({"case": label, "decision": decision.name(), "reason": reason, "state": new_state})
                    .to_string()
            ],
        )
        .map_err(self.wsql())?;
        tx.commit().map_err(self.wsql())?;
        Ok(new_state)
    }

    /// Excludes `account` (an account id of the case's latest network) from case `label` as
    /// a false positive.
    pub fn exclude(&mut self, label: &str, account: &str, user: &str, reason: &str) -> Result<(), WorkflowError> {
        if reason.trim().is_empty() {
            return Err(WorkflowError::NoReason);
        }
        let (user_id, role) = self.user(user)?;
        if role < Role::Analyst {
            return Err(WorkflowError::NotAllowed {
                user: user.to_string(),
                role: role.name(),
                action: "exclude".into(),
            });
        }
        let (case_id, _, _) = self.case(label)?;
        let member: Option<i64> = self
            .conn
            .query_row(
                "SELECT 1 FROM accounts a JOIN networks n ON a.network = n.id JOIN cases c ON n.case_id = c.id
                 WHERE c.id = ?1 AND n.run = c.last_run AND a.account_id = ?2",
                params![case_id, account],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.wsql())?;
        if member.is_none() {
            return Err(WorkflowError::NotInCase { case: label.to_string(), account: account.to_string() });
        }
        let tx = self.conn.unchecked_transaction().map_err(self.wsql())?;
        tx.execute(
            "INSERT OR REPLACE INTO exclusions (case_id, account_id, user_id, reason, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![case_id, account, user_id, reason, now()],
        )
        .map_err(self.wsql())?;
        tx.execute(
            "INSERT INTO audit (at, actor, action, detail) VALUES (?1, ?2, 'exclude', ?3)",
            params![now(), user, serde_json::json!({"case": label, "account": account, "reason": reason}).to_string()],
        )
        .map_err(self.wsql())?;
        tx.commit().map_err(self.wsql())?;
        Ok(())
    }

    /// The takedown list: the accounts of confirmed cases' latest networks, minus exclusions
    /// (case, network, account id, screen name, role, coordination score).
    pub fn takedown(&self) -> Result<Vec<[String; 6]>, WorkflowError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT c.label, n.net_id, a.account_id, a.screen_name, a.role, a.coordination_score
                 FROM cases c JOIN networks n ON n.case_id = c.id AND n.run = c.last_run
                 JOIN accounts a ON a.network = n.id
                 WHERE c.state = 'confirmed'
                   AND NOT EXISTS (SELECT 1 FROM exclusions x WHERE x.case_id = c.id AND x.account_id = a.account_id)
                 ORDER BY c.id, a.account_id",
            )
            .map_err(self.wsql())?;
        let rows = st
            .query_map([], |r| {
                Ok([
                    r.get::<_, String>(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    format!("{:.4}", r.get::<_, f64>(5)?),
                ])
            })
            .map_err(self.wsql())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.wsql())
    }

    /// The takedown list as CSV bytes with their SHA-256 and the number of accounts; not yet
    /// recorded (see [`Store::record_takedown`]).
    pub fn takedown_csv(&self) -> Result<(Vec<u8>, String, usize), WorkflowError> {
        let rows = self.takedown()?;
        let csv_err = |e: csv::Error| WorkflowError::Export(e.to_string());
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["case", "network_id", "account_id", "screen_name", "role", "coordination_score"])
            .map_err(csv_err)?;
        for r in &rows {
            // Names come from adversaries: formulas neutralised; ids written exactly.
            let cells = [
                cibscan_core::text::neutralise(&r[0]),
                cibscan_core::text::neutralise(&r[1]),
                cibscan_core::text::neutralise_id(&r[2]),
                cibscan_core::text::neutralise(&r[3]),
                cibscan_core::text::neutralise(&r[4]),
                cibscan_core::text::neutralise(&r[5]),
            ];
            w.write_record(cells.iter().map(|c| c.as_ref())).map_err(csv_err)?;
        }
        let bytes = w.into_inner().map_err(|e| WorkflowError::Export(e.to_string()))?;
        let sha = {
            use sha2::Digest;
            cibscan_core::text::hex(&sha2::Sha256::digest(&bytes))
        };
        Ok((bytes, sha, rows.len()))
    }

    /// Records in the audit log that the takedown list with digest `sha` (`accounts`
    /// accounts) was exported as `name` (a file written, or a download).
    pub fn record_takedown(
        &mut self,
        name: &str,
        sha: &str,
        accounts: usize,
        actor: &str,
    ) -> Result<(), WorkflowError> {
        self.conn
            .execute(
                "INSERT INTO audit (at, actor, action, detail) VALUES (?1, ?2, 'export_takedown', ?3)",
                params![
                    now(),
                    actor,
                    serde_json::json!({"file": name, "sha256": sha, "accounts": accounts}).to_string()
                ],
            )
            .map_err(self.wsql())?;
        Ok(())
    }

    /// Writes the takedown list as CSV to `out` and records it, with the file's SHA-256, in
    /// the audit log. Returns the number of accounts.
    pub fn export_takedown(&mut self, out: &Path, actor: &str) -> Result<usize, WorkflowError> {
        let (bytes, sha, accounts) = self.takedown_csv()?;
        std::fs::write(out, bytes).map_err(|e| WorkflowError::Export(format!("{}: {e}", out.display())))?;
        self.record_takedown(&out.display().to_string(), &sha, accounts, actor)?;
        Ok(accounts)
    }
}
