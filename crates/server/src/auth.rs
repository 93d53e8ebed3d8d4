//! Who is asking: a bearer token or a session cookie, and the CSRF check for the latter.

use crate::state::AppState;
use crate::Fail;
use axum::http::{header, HeaderMap, StatusCode};
use cibscan_store::workflow::Role;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "cib_session";
/// The sign-in form's own anti-forgery cookie.
pub const LOGIN_COOKIE: &str = "cib_login";

/// A signed-in caller.
#[derive(Debug, Clone)]
pub struct Identity {
    pub name: String,
    pub role: Role,
    /// The session's CSRF token; `None` for a bearer token (scripts are not browsers: no
    /// ambient credentials to forge with).
    pub csrf: Option<String>,
}

impl Identity {
    /// Refuses with 403 unless the caller's role is at least `least`.
    pub fn require(&self, least: Role, action: &str) -> Result<(), Fail> {
        if self.role >= least {
            Ok(())
        } else {
            Err(Fail::new(StatusCode::FORBIDDEN, format!("{} ({}) may not {action}", self.name, self.role.name())))
        }
    }

    /// Checks a state-changing request's CSRF token (always passes for bearer tokens).
    pub fn check_csrf(&self, sent: Option<&str>) -> Result<(), Fail> {
        match &self.csrf {
            None => Ok(()),
            Some(expected) if sent.is_some_and(|s| same(s, expected)) => Ok(()),
            Some(_) => Err(Fail::new(StatusCode::FORBIDDEN, "missing or wrong CSRF token")),
        }
    }
}

/// Constant-time equality of two tokens.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The caller behind the request's bearer token or session cookie, if any. A request
/// that sends a bearer token is judged by the token alone.
pub async fn identify(state: &AppState, headers: &HeaderMap) -> Result<Option<Identity>, Fail> {
    if let Some(auth) = headers.get(header::AUTHORIZATION) {
        let token = auth.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).map(|t| t.trim().to_string());
        let Some(token) = token.filter(|t| !t.is_empty() && t.len() <= 200) else { return Ok(None) };
        let found = state.with_store(move |s| Ok(s.token_user(&token)?)).await?;
        return Ok(found.map(|(name, role)| Identity { name, role, csrf: None }));
    }
    let Some(sid) = cookie(headers, SESSION_COOKIE).filter(|s| !s.is_empty() && s.len() <= 200) else {
        return Ok(None);
    };
    let sid = sid.to_string();
    let found = state.with_store(move |s| Ok(s.session_user(&sid)?)).await?;
    Ok(found.map(|u| Identity { name: u.name, role: u.role, csrf: Some(u.csrf) }))
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, `Secure` when configured.
pub fn set_cookie(state: &AppState, name: &str, value: &str, path: &str, max_age: i64) -> String {
    format!(
        "{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Strict{}",
        if state.options().secure_cookies { "; Secure" } else { "" }
    )
}
