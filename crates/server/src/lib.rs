//! `cibscan serve`: the investigation workspace over a case store — server-rendered pages
//! for analysts and reviewers, and a JSON API for scripts, with the same authorisation.
//!
//! - **Who.** A page request is signed in by a session cookie (HttpOnly, SameSite=Strict,
//!   the store keeps only its SHA-256); an API request by `Authorization: Bearer TOKEN` or
//!   that cookie. Without either, pages redirect to the sign-in page and the API answers
//!   401; a role that may not act gets 403.
//! - **Forgery.** Every state-changing form carries the session's CSRF token, and an API
//!   call made with the cookie must send it as `X-CSRF-Token`; the sign-in form carries a
//!   token bound to a cookie of its own. Failed sign-ins are rate-limited per user name and
//!   per client address.
//! - **Hostile text.** Everything from the data goes through the report's escaping
//!   ([`cibscan_core::report::parts::E`]); every response carries a Content-Security-Policy
//!   that allows scripts only from this server (no inline script), so a missed escape still
//!   could not run code.
//! - **Store access.** SQLite work runs on the blocking pool with a small pool of
//!   connections (WAL: readers never wait for the writer).

mod api;
mod auth;
mod pages;
mod state;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::net::SocketAddr;
use std::path::Path;

use state::AppState;

/// Options of `cibscan serve`.
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    /// Mark cookies `Secure` (when served over HTTPS behind a reverse proxy).
    pub secure_cookies: bool,
}

/// The application: every page, the API and the static assets.
pub fn app(db: &Path, options: ServeOptions) -> Result<Router, cibscan_store::StoreError> {
    let state = AppState::open(db, options)?;
    Ok(router(state))
}

fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::routes())
        .nest("/api", api::routes())
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

/// Headers on every response: a CSP with scripts only from this origin and no inline
/// script, no framing, no sniffing, no referrer, and no caching of private pages.
async fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
             connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// Serves `app` on `listener` until Ctrl-C.
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

/// Serves the store at `db` on `bind` until Ctrl-C, on a runtime of its own; `ready` is
/// called with the bound address once the server accepts connections.
pub fn run(db: &Path, bind: SocketAddr, options: ServeOptions, ready: impl FnOnce(SocketAddr)) -> std::io::Result<()> {
    let app = app(db, options).map_err(std::io::Error::other)?;
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(bind).await?;
        ready(listener.local_addr()?);
        serve(listener, app).await
    })
}

/// Why a request failed; rendered as an HTML page or a JSON body by the caller's kind.
#[derive(Debug)]
pub(crate) struct Fail {
    pub status: StatusCode,
    pub message: String,
}

impl Fail {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Fail {
        Fail { status, message: message.into() }
    }

    pub fn internal(e: impl std::fmt::Display) -> Fail {
        // The detail goes to the operator's log, not to the client.
        eprintln!("cibscan serve: internal error: {e}");
        Fail::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error (see the server's log)")
    }
}

impl From<cibscan_store::workflow::WorkflowError> for Fail {
    fn from(e: cibscan_store::workflow::WorkflowError) -> Fail {
        use cibscan_store::workflow::WorkflowError as W;
        let status = match &e {
            W::NoCase(_) => StatusCode::NOT_FOUND,
            W::NotAllowed { .. } => StatusCode::FORBIDDEN,
            W::WrongState { .. } => StatusCode::CONFLICT,
            W::NoReason | W::NotInCase { .. } | W::NoUser(_) | W::UserExists(_) => StatusCode::BAD_REQUEST,
            _ => return Fail::internal(e),
        };
        Fail::new(status, e.to_string())
    }
}

impl From<cibscan_store::StoreError> for Fail {
    fn from(e: cibscan_store::StoreError) -> Fail {
        Fail::internal(e)
    }
}

/// A JSON error response: `{"error": "..."}`.
pub(crate) fn json_error(f: Fail) -> Response {
    let mut res = (f.status, axum::Json(serde_json::json!({"error": f.message}))).into_response();
    if f.status == StatusCode::UNAUTHORIZED {
        res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    res
}

#[cfg(test)]
mod tests;
