//! The JSON API (`/api/...`), described by `/api/openapi.json`.

use crate::auth::{identify, Identity};
use crate::state::AppState;
use crate::{json_error, Fail};
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use cibscan_store::views::{NetworkQuery, SortKey};
use cibscan_store::workflow::{Decision, Role};
use serde::Deserialize;
use std::sync::Arc;

/// The OpenAPI document, kept beside the code it describes (a test checks that every
/// route is in it).
pub const OPENAPI: &str = include_str!("openapi.json");

/// Accounts drawn in the graph view at most (the strongest by coordination score), and
/// edges (the strongest).
pub const GRAPH_NODES: usize = 5_000;
pub const GRAPH_EDGES: usize = 60_000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/openapi.json", get(openapi))
        .route("/runs", get(runs))
        .route("/networks", get(networks))
        .route("/networks/{id}", get(network))
        .route("/networks/{id}/graph", get(graph))
        .route("/networks/{id}/decisions", post(decide))
        .route("/networks/{id}/exclusions", post(exclude))
        .route("/accounts/{id}", get(account))
        .route("/search", get(search))
        .route("/audit", get(audit))
        .route("/exports/takedown.csv", get(takedown))
        .fallback(|| async { json_error(Fail::new(StatusCode::NOT_FOUND, "no such API route")) })
}

type ApiResult = Result<Response, Response>;

/// The caller, or 401.
async fn caller(state: &AppState, headers: &HeaderMap) -> Result<Identity, Response> {
    match identify(state, headers).await.map_err(json_error)? {
        Some(id) => Ok(id),
        None => {
            Err(json_error(Fail::new(StatusCode::UNAUTHORIZED, "credentials required: a bearer token or a session")))
        }
    }
}

async fn health(State(state): State<AppState>) -> ApiResult {
    let version = state.with_store(|s| Ok(s.version()?)).await.map_err(json_error)?;
    Ok(Json(serde_json::json!({"status": "ok", "store_version": version})).into_response())
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

async fn runs(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    caller(&state, &headers).await?;
    let runs = state.with_store(|s| Ok(s.run_list()?)).await.map_err(json_error)?;
    Ok(Json(runs).into_response())
}

/// Query of the networks listing (pages and API share it).
#[derive(Debug, Deserialize, Default)]
pub struct ListParams {
    pub state: Option<String>,
    pub run: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub order: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

pub const STATES: [&str; 5] = ["new", "in_review", "confirmed", "cleared", "needs_evidence"];

impl ListParams {
    /// The store query, or why the parameters are wrong.
    pub fn query(&self, default_per_page: usize) -> Result<NetworkQuery, Fail> {
        let bad = |what: &str| Fail::new(StatusCode::BAD_REQUEST, what.to_string());
        let state = match self.state.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(s) if STATES.contains(&s) => Some(s.to_string()),
            Some(_) => return Err(bad("state must be one of new, in_review, confirmed, cleared, needs_evidence")),
        };
        let number = |v: &Option<String>, what: &str| -> Result<Option<i64>, Fail> {
            match v.as_deref().filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => s.parse::<i64>().ok().filter(|n| *n >= 1).map(Some).ok_or_else(|| bad(what)),
            }
        };
        let run = number(&self.run, "run must be a run id (a positive integer)")?;
        let page = number(&self.page, "page must be a positive integer")?.unwrap_or(1) as usize;
        let per_page =
            number(&self.per_page, "per_page must be a positive integer")?.map_or(default_per_page, |n| n as usize);
        let sort = match self.sort.as_deref().filter(|s| !s.is_empty()) {
            None => SortKey::Case,
            Some(s) => SortKey::parse(s).ok_or_else(|| {
                bad(&format!(
                    "sort must be one of {}",
                    SortKey::ALL.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")
                ))
            })?,
        };
        let descending = match self.order.as_deref() {
            None | Some("") | Some("asc") => false,
            Some("desc") => true,
            Some(_) => return Err(bad("order must be asc or desc")),
        };
        let text = self.q.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(|t| t.chars().take(200).collect());
        Ok(NetworkQuery { state, run, text, sort, descending, page, per_page })
    }
}

async fn networks(State(state): State<AppState>, headers: HeaderMap, Query(p): Query<ListParams>) -> ApiResult {
    caller(&state, &headers).await?;
    let q = p.query(100).map_err(json_error)?;
    let page = state.with_store(move |s| Ok(s.network_page(&q)?)).await.map_err(json_error)?;
    Ok(Json(page).into_response())
}

async fn network(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> ApiResult {
    caller(&state, &headers).await?;
    let detail = state.with_store(move |s| Ok(s.case_detail(&id)?)).await.map_err(json_error)?;
    match detail {
        Some(d) => Ok(Json(d).into_response()),
        None => Err(json_error(Fail::new(StatusCode::NOT_FOUND, "no such network"))),
    }
}

/// The graph view's data: the case's accounts with positions laid out here (the same
/// deterministic layout as the report), and its strongest edges as index pairs.
async fn graph(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> ApiResult {
    caller(&state, &headers).await?;
    let json = graph_json(&state, id).await.map_err(json_error)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json.as_str().to_owned()).into_response())
}

pub async fn graph_json(state: &AppState, id: String) -> Result<Arc<String>, Fail> {
    let key_id = id.clone();
    let found = state
        .with_store(move |s| {
            let Some(d) = s.case_detail(&key_id)? else { return Ok(None) };
            let edges = s.case_edges(&key_id)?;
            Ok(Some((d.row.run, d.members, edges)))
        })
        .await?;
    let Some((run, members, edges)) = found else { return Err(Fail::new(StatusCode::NOT_FOUND, "no such network")) };
    let key = (id, run);
    if let Some(hit) = state.cached_layout(&key) {
        return Ok(hit);
    }
    let json = tokio::task::spawn_blocking(move || layout(members, edges)).await.map_err(Fail::internal)?;
    let json = Arc::new(json);
    state.cache_layout(key, json.clone());
    Ok(json)
}

fn layout(members: Vec<cibscan_store::views::MemberRow>, edges: Vec<cibscan_store::views::EdgeView>) -> String {
    let total = members.len();
    let mut drawn: Vec<&cibscan_store::views::MemberRow> = members.iter().collect();
    drawn.sort_by(|a, b| b.coordination_score.total_cmp(&a.coordination_score).then(a.account_id.cmp(&b.account_id)));
    drawn.truncate(GRAPH_NODES);
    let index: std::collections::HashMap<&str, u32> =
        drawn.iter().enumerate().map(|(i, m)| (m.account_id.as_str(), i as u32)).collect();
    let mut pairs: Vec<(u32, u32, f64)> = edges
        .iter()
        .filter_map(|e| Some((*index.get(e.source.as_str())?, *index.get(e.target.as_str())?, e.weight)))
        .collect();
    pairs.truncate(GRAPH_EDGES); // edges come strongest first
    let pos = cibscan_core::report::layout::force_layout(drawn.len(), &pairs, 150, 0x5EED, 1000.0, 10.0);
    let nodes: Vec<serde_json::Value> = drawn
        .iter()
        .zip(&pos)
        .map(|(m, (x, y))| {
            serde_json::json!({
                "id": m.account_id, "name": m.screen_name, "role": m.role,
                "attributed": m.evidence.is_some(), "excluded": m.excluded.is_some(),
                "score": (m.coordination_score * 1000.0).round() / 1000.0,
                "x": (x * 10.0).round() / 10.0, "y": (y * 10.0).round() / 10.0,
            })
        })
        .collect();
    let links: Vec<serde_json::Value> =
        pairs.iter().map(|&(a, b, w)| serde_json::json!([a, b, (w * 100.0).round() / 100.0])).collect();
    serde_json::json!({"accounts": total, "nodes": nodes, "edges": links}).to_string()
}

#[derive(Debug, Deserialize)]
pub struct DecisionBody {
    pub decision: String,
    pub reason: String,
}

async fn decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Json<DecisionBody>, JsonRejection>,
) -> ApiResult {
    let who = caller(&state, &headers).await?;
    who.check_csrf(headers.get("x-csrf-token").and_then(|v| v.to_str().ok())).map_err(json_error)?;
    who.require(Role::Analyst, "decide").map_err(json_error)?;
    let Json(body) = body.map_err(|e| json_error(Fail::new(StatusCode::BAD_REQUEST, e.body_text())))?;
    let decision = Decision::parse(&body.decision).ok_or_else(|| {
        json_error(Fail::new(StatusCode::BAD_REQUEST, "decision must be propose, confirm, clear or needs_evidence"))
    })?;
    let name = who.name.clone();
    let new_state =
        state.with_store(move |s| Ok(s.decide(&id, &name, decision, &body.reason)?)).await.map_err(json_error)?;
    Ok(Json(serde_json::json!({"state": new_state})).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ExclusionBody {
    pub account_id: String,
    pub reason: String,
}

async fn exclude(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Json<ExclusionBody>, JsonRejection>,
) -> ApiResult {
    let who = caller(&state, &headers).await?;
    who.check_csrf(headers.get("x-csrf-token").and_then(|v| v.to_str().ok())).map_err(json_error)?;
    who.require(Role::Analyst, "exclude accounts").map_err(json_error)?;
    let Json(body) = body.map_err(|e| json_error(Fail::new(StatusCode::BAD_REQUEST, e.body_text())))?;
    let name = who.name.clone();
    let account = body.account_id.clone();
    state.with_store(move |s| Ok(s.exclude(&id, &body.account_id, &name, &body.reason)?)).await.map_err(json_error)?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({"excluded": account}))).into_response())
}

async fn account(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> ApiResult {
    caller(&state, &headers).await?;
    match state.with_store(move |s| Ok(s.account_detail(&id)?)).await.map_err(json_error)? {
        Some(d) => Ok(Json(d).into_response()),
        None => Err(json_error(Fail::new(StatusCode::NOT_FOUND, "account not flagged in any network"))),
    }
}

#[derive(Debug, Deserialize)]
pub struct SearchParams {
    pub q: Option<String>,
}

async fn search(State(state): State<AppState>, headers: HeaderMap, Query(p): Query<SearchParams>) -> ApiResult {
    caller(&state, &headers).await?;
    let q: String = p.q.unwrap_or_default().chars().take(200).collect();
    let found = state.with_store(move |s| Ok(s.search(&q, 100)?)).await.map_err(json_error)?;
    Ok(Json(found).into_response())
}

#[derive(Debug, Deserialize)]
pub struct PageParams {
    pub page: Option<String>,
    pub per_page: Option<String>,
}

impl PageParams {
    pub fn get(&self, default_per_page: usize) -> Result<(usize, usize), Fail> {
        let num = |v: &Option<String>, d: usize, what: &str| match v.as_deref().filter(|s| !s.is_empty()) {
            None => Ok(d),
            Some(s) => s
                .parse::<usize>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| Fail::new(StatusCode::BAD_REQUEST, format!("{what} must be a positive integer"))),
        };
        Ok((num(&self.page, 1, "page")?, num(&self.per_page, default_per_page, "per_page")?))
    }
}

async fn audit(State(state): State<AppState>, headers: HeaderMap, Query(p): Query<PageParams>) -> ApiResult {
    caller(&state, &headers).await?;
    let (page, per_page) = p.get(100).map_err(json_error)?;
    let rows = state.with_store(move |s| Ok(s.audit_page(page, per_page)?)).await.map_err(json_error)?;
    Ok(Json(rows).into_response())
}

async fn takedown(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    let who = caller(&state, &headers).await?;
    who.require(Role::Analyst, "export the takedown list").map_err(json_error)?;
    takedown_download(&state, &who).await.map_err(json_error)
}

/// The takedown CSV as a download, recorded with its SHA-256 in the audit log.
pub async fn takedown_download(state: &AppState, who: &Identity) -> Result<Response, Fail> {
    let name = who.name.clone();
    let (bytes, sha) = state
        .with_store(move |s| {
            let (bytes, sha, accounts) = s.takedown_csv()?;
            s.record_takedown("takedown.csv (download)", &sha, accounts, &name)?;
            Ok((bytes, sha))
        })
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"takedown.csv\"".to_string()),
            (header::HeaderName::from_static("x-content-sha256"), sha),
        ],
        bytes,
    )
        .into_response())
}
