//! Web sessions for `cibscan serve`: a random session id lives only in the user's cookie
//! (the store keeps its SHA-256, like API tokens), with a per-session CSRF token and an
//! expiry. Signing out or expiry ends a session; a forged or expired cookie matches nothing.

use crate::workflow::{Role, WorkflowError};
use crate::{now, Store};
use rusqlite::{params, OptionalExtension};

/// How long a session lasts after sign-in.
pub const SESSION_SECONDS: i64 = 12 * 3600;

/// The user behind a live session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUser {
    pub name: String,
    pub role: Role,
    /// The token every state-changing form of this session must carry.
    pub csrf: String,
}

/// 32 random bytes as hex.
pub fn random_token() -> Result<String, WorkflowError> {
    let mut raw = [0u8; 32];
    getrandom::fill(&mut raw).map_err(|e| WorkflowError::Password(e.to_string()))?;
    Ok(cibscan_core::text::hex(&raw))
}

fn digest(s: &str) -> String {
    use sha2::Digest;
    cibscan_core::text::hex(&sha2::Sha256::digest(s.as_bytes()))
}

fn epoch() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

impl Store {
    /// Starts a session for `name` (whose password was verified) and returns the session
    /// id for the cookie. Recorded in the audit log.
    pub fn create_session(&mut self, name: &str) -> Result<String, WorkflowError> {
        let user_id: i64 = self
            .conn
            .query_row("SELECT id FROM users WHERE name = ?1", [name], |r| r.get(0))
            .optional()
            .map_err(self.wsql())?
            .ok_or_else(|| WorkflowError::NoUser(name.to_string()))?;
        let sid = random_token()?;
        let csrf = random_token()?;
        let tx = self.conn.unchecked_transaction().map_err(self.wsql())?;
        // Expired sessions are of no use to anyone: sweep them at each sign-in.
        tx.execute("DELETE FROM sessions WHERE expires_at < ?1", [epoch()]).map_err(self.wsql())?;
        tx.execute(
            "INSERT INTO sessions (user_id, session_sha256, csrf, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![user_id, digest(&sid), csrf, now(), epoch() + SESSION_SECONDS],
        )
        .map_err(self.wsql())?;
        tx.execute(
            "INSERT INTO audit (at, actor, action, detail) VALUES (?1, ?2, 'sign_in', '')",
            params![now(), name],
        )
        .map_err(self.wsql())?;
        tx.commit().map_err(self.wsql())?;
        Ok(sid)
    }

    /// The user of a live session id, if any.
    pub fn session_user(&self, sid: &str) -> Result<Option<SessionUser>, WorkflowError> {
        let row: Option<(String, String, String)> = self
            .conn
            .query_row(
                "SELECT u.name, u.role, s.csrf FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.session_sha256 = ?1 AND s.expires_at >= ?2",
                params![digest(sid), epoch()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(self.wsql())?;
        Ok(row.map(|(name, role, csrf)| SessionUser { name, role: Role::parse(&role).unwrap_or(Role::Viewer), csrf }))
    }

    /// Ends a session (signing out).
    pub fn end_session(&mut self, sid: &str) -> Result<(), WorkflowError> {
        let user = self.session_user(sid)?;
        let tx = self.conn.unchecked_transaction().map_err(self.wsql())?;
        tx.execute("DELETE FROM sessions WHERE session_sha256 = ?1", [digest(sid)]).map_err(self.wsql())?;
        if let Some(u) = user {
            tx.execute(
                "INSERT INTO audit (at, actor, action, detail) VALUES (?1, ?2, 'sign_out', '')",
                params![now(), u.name],
            )
            .map_err(self.wsql())?;
        }
        tx.commit().map_err(self.wsql())?;
        Ok(())
    }

    /// Makes a session expire now (tests of expiry; an admin ending a session).
    pub fn expire_session(&mut self, sid: &str) -> Result<(), WorkflowError> {
        self.conn
            .execute("UPDATE sessions SET expires_at = ?1 WHERE session_sha256 = ?2", params![epoch() - 1, digest(sid)])
            .map_err(self.wsql())?;
        Ok(())
    }

    /// The role of user `name`, if the user exists.
    pub fn user_role(&self, name: &str) -> Result<Option<Role>, WorkflowError> {
        let role: Option<String> = self
            .conn
            .query_row("SELECT role FROM users WHERE name = ?1", [name], |r| r.get(0))
            .optional()
            .map_err(self.wsql())?;
        Ok(role.and_then(|r| Role::parse(&r)))
    }
}
