//! Server-rendered pages. The network page is built from the same pieces as `report.html`
//! ([`cibscan_core::report::parts`]); everything from the data goes through [`E`].

use crate::api::{takedown_download, ListParams, PageParams, SearchParams, STATES};
use crate::auth::{cookie, identify, same, set_cookie, Identity, LOGIN_COOKIE, SESSION_COOKIE};
use crate::state::AppState;
use crate::Fail;
use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use cibscan_core::report::parts::{self as rp, E};
use cibscan_store::views::{CaseDetail, NetworkRow, SortKey};
use cibscan_store::workflow::{Decision, Role};
use serde::Deserialize;
use std::fmt::Write as _;
use std::net::SocketAddr;

const UI_CSS: &str = include_str!("assets/ui.css");
const GRAPH_JS: &str = include_str!("assets/graph.js");
/// Members listed on a network page (all are in the API).
const MEMBERS_SHOWN: usize = 500;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/networks") }))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/networks", get(networks))
        .route("/networks/{id}", get(network))
        .route("/networks/{id}/decide", post(decide))
        .route("/networks/{id}/exclude", post(exclude))
        .route("/accounts/{id}", get(account))
        .route("/search", get(search))
        .route("/runs", get(runs))
        .route("/audit", get(audit))
        .route("/exports", get(exports))
        .route("/exports/takedown.csv", get(takedown))
        .route("/static/style.css", get(style))
        .route("/static/graph.js", get(script))
        .fallback(|| async { (StatusCode::NOT_FOUND, Html(layout("Not found", None, "<p>No such page.</p>"))) })
}

/// The client's address, when the server knows it (not in tests without a socket).
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string()),
        ))
    }
}

/// The signed-in user, or a redirect to the sign-in page.
async fn signed_in(state: &AppState, headers: &HeaderMap) -> Result<Identity, Response> {
    match identify(state, headers).await {
        Ok(Some(who)) if who.csrf.is_some() => Ok(who),
        // Pages are for browsers: a bearer token does not sign one in.
        Ok(_) => Err(Redirect::to("/login").into_response()),
        Err(f) => Err(error_page(f, None)),
    }
}

fn error_page(f: Fail, who: Option<&Identity>) -> Response {
    let body = format!("<h1>{}</h1><p class=\"error\">{}</p>", f.status.as_u16(), E(&f.message));
    (f.status, Html(layout("Error", who, &body))).into_response()
}

/// The page frame: navigation, the signed-in user and the sign-out form.
fn layout(title: &str, who: Option<&Identity>, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 2048);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"referrer\" content=\"no-referrer\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{} · cibscan</title>\
         <link rel=\"stylesheet\" href=\"/static/style.css\"></head><body>",
        E(title)
    );
    out.push_str("<header class=\"top\"><div class=\"wrap bar\"><b class=\"brand\">cibscan</b>");
    if let Some(w) = who {
        out.push_str(
            "<nav><a href=\"/networks\">Networks</a><a href=\"/runs\">Runs</a><a href=\"/search\">Search</a>\
             <a href=\"/audit\">Audit log</a><a href=\"/exports\">Exports</a></nav>",
        );
        let _ = write!(
            out,
            "<form class=\"who\" method=\"post\" action=\"/logout\"><span>{} ({})</span>\
             <input type=\"hidden\" name=\"csrf\" value=\"{}\"><button type=\"submit\">Sign out</button></form>",
            E(&w.name),
            w.role.name(),
            E(w.csrf.as_deref().unwrap_or(""))
        );
    }
    out.push_str("</div></header><main class=\"wrap\">");
    out.push_str(body);
    out.push_str("</main></body></html>\n");
    out
}

async fn style() -> Response {
    let css = format!("{}\n{}", rp::STYLE, UI_CSS);
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], css)
        .into_response()
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        GRAPH_JS,
    )
        .into_response()
}

// ---- sign-in ------------------------------------------------------------------------

async fn login_form(State(state): State<AppState>) -> Response {
    login_page(&state, StatusCode::OK, None)
}

fn login_page(state: &AppState, status: StatusCode, message: Option<&str>) -> Response {
    let Ok(token) = cibscan_store::session::random_token() else {
        return error_page(Fail::internal("no randomness"), None);
    };
    let mut body = String::from("<section class=\"card narrow\"><h1>Sign in</h1>");
    if let Some(m) = message {
        let _ = write!(body, "<p class=\"error\">{}</p>", E(m));
    }
    let _ = write!(
        body,
        "<form method=\"post\" action=\"/login\"><input type=\"hidden\" name=\"csrf\" value=\"{token}\">\
         <label>User <input name=\"name\" autocomplete=\"username\" required></label>\
         <label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>\
         <button type=\"submit\">Sign in</button></form></section>"
    );
    let mut res = (status, Html(layout("Sign in", None, &body))).into_response();
    if let Ok(v) = set_cookie(state, LOGIN_COOKIE, &token, "/login", 3600).parse() {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

#[derive(Deserialize)]
struct LoginForm {
    name: String,
    password: String,
    csrf: String,
}

async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return login_page(&state, StatusCode::BAD_REQUEST, Some("Fill in the user and the password."));
    };
    if !cookie(&headers, LOGIN_COOKIE).is_some_and(|c| same(c, &form.csrf)) {
        return login_page(&state, StatusCode::FORBIDDEN, Some("The sign-in form expired; try again."));
    }
    if let Some(wait) = state.locked_out(&form.name, &addr) {
        let mut res = login_page(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            Some(&format!("Too many failed sign-ins; try again in {} minutes.", wait.div_ceil(60))),
        );
        if let Ok(v) = wait.to_string().parse() {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return res;
    }
    let name = form.name.clone();
    let password = form.password;
    let outcome = state
        .with_store(move |s| {
            if !s.verify_password(&name, &password)? {
                return Ok(None);
            }
            Ok(Some(s.create_session(&name)?))
        })
        .await;
    match outcome {
        Ok(Some(sid)) => {
            let mut res = Redirect::to("/networks").into_response();
            let h = res.headers_mut();
            for v in [
                set_cookie(&state, SESSION_COOKIE, &sid, "/", cibscan_store::session::SESSION_SECONDS),
                set_cookie(&state, LOGIN_COOKIE, "", "/login", 0),
            ] {
                if let Ok(v) = v.parse() {
                    h.append(header::SET_COOKIE, v);
                }
            }
            res
        }
        Ok(None) => {
            state.record_failure(&form.name, &addr);
            login_page(&state, StatusCode::UNAUTHORIZED, Some("Wrong user or password."))
        }
        Err(f) => error_page(f, None),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: Option<String>,
}

async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    let who = match signed_in(&state, &headers).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let sent = form.ok().and_then(|Form(f)| f.csrf);
    if let Err(f) = who.check_csrf(sent.as_deref()) {
        return error_page(f, Some(&who));
    }
    let sid = cookie(&headers, SESSION_COOKIE).unwrap_or_default().to_string();
    if let Err(f) = state.with_store(move |s| Ok(s.end_session(&sid)?)).await {
        return error_page(f, Some(&who));
    }
    let mut res = Redirect::to("/login").into_response();
    if let Ok(v) = set_cookie(&state, SESSION_COOKIE, "", "/", 0).parse() {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

// ---- networks -----------------------------------------------------------------------

fn state_badge(out: &mut String, state: &str) {
    let _ = write!(out, "<span class=\"state s-{0}\">{0}</span>", E(state));
}

fn pct(v: Option<f64>) -> String {
    rp::pct(v)
}

/// A link to the networks table with `params` changed.
fn list_href(p: &ListParams, sort: &str, order: &str, page: usize) -> String {
    let mut q: Vec<(String, String)> = Vec::new();
    let mut put = |k: &str, v: Option<&str>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            q.push((k.to_string(), v.to_string()));
        }
    };
    put("state", p.state.as_deref());
    put("run", p.run.as_deref());
    put("q", p.q.as_deref());
    put("sort", Some(sort));
    put("order", Some(order));
    put("per_page", p.per_page.as_deref());
    let page = page.to_string();
    put("page", Some(page.as_str()));
    let qs: Vec<String> = q.iter().map(|(k, v)| format!("{k}={}", url_encode(v))).collect();
    format!("/networks?{}", qs.join("&"))
}

fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

async fn networks(State(state): State<AppState>, headers: HeaderMap, Query(p): Query<ListParams>) -> Response {
    let who = match signed_in(&state, &headers).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let q = match p.query(50) {
        Ok(q) => q,
        Err(f) => return error_page(f, Some(&who)),
    };
    let (sort, desc) = (q.sort, q.descending);
    let listed = state
        .with_store(move |s| {
            let page = s.network_page(&q)?;
            let runs = s.run_list()?;
            Ok((page, runs))
        })
        .await;
    let (page, runs) = match listed {
        Ok(x) => x,
        Err(f) => return error_page(f, Some(&who)),
    };
    let mut body = String::with_capacity(64 * 1024);
    let _ = write!(body, "<h1>Networks</h1><p class=\"muted\">{} cases", rp::thousands(page.total as u64));
    body.push_str(
        ": each is a network of coordinated accounts with an identity across runs. Confirming needs two reviewers.</p>",
    );
    // Filters (GET: nothing changes).
    body.push_str("<form class=\"filters\" method=\"get\" action=\"/networks\"><label>State <select name=\"state\"><option value=\"\">any</option>");
    for s in STATES {
        let _ = write!(
            body,
            "<option value=\"{s}\"{}>{s}</option>",
            if p.state.as_deref() == Some(s) { " selected" } else { "" }
        );
    }
    body.push_str("</select></label><label>Run <select name=\"run\"><option value=\"\">latest per case</option>");
    for r in &runs {
        let _ = write!(
            body,
            "<option value=\"{}\"{}>{} · {}</option>",
            r.id,
            if p.run.as_deref() == Some(r.id.to_string().as_str()) { " selected" } else { "" },
            r.id,
            E(&r.dir)
        );
    }
    let _ = write!(
        body,
        "</select></label><label>Find <input name=\"q\" value=\"{}\" placeholder=\"case, network, operation, takedown\"></label>\
         <input type=\"hidden\" name=\"sort\" value=\"{}\"><input type=\"hidden\" name=\"order\" value=\"{}\">\
         <button type=\"submit\">Filter</button></form>",
        E(p.q.as_deref().unwrap_or("")),
        sort.name(),
        if desc { "desc" } else { "asc" }
    );
    let head = |body: &mut String, key: SortKey, label: &str, numeric: bool| {
        let (order, mark) = if key == sort {
            (if desc { "asc" } else { "desc" }, if desc { " ▼" } else { " ▲" })
        } else {
            (if numeric { "desc" } else { "asc" }, "")
        };
        let _ = write!(
            body,
            "<th{}><a href=\"{}\">{label}{mark}</a></th>",
            if numeric { " class=\"n\"" } else { "" },
            E(&list_href(&p, key.name(), order, 1))
        );
    };
    body.push_str("<div class=\"scroll\"><table class=\"list\" id=\"networks\"><thead><tr>");
    head(&mut body, SortKey::Case, "Case", false);
    head(&mut body, SortKey::State, "State", false);
    body.push_str("<th>Network</th><th>Operation</th>");
    head(&mut body, SortKey::Accounts, "Accounts", true);
    body.push_str("<th class=\"n\">Core</th><th class=\"n\">Ampl.</th><th class=\"n\">Attr.</th>");
    head(&mut body, SortKey::Posts, "Posts", true);
    head(&mut body, SortKey::FirstPost, "From", false);
    head(&mut body, SortKey::LastPost, "To", false);
    head(&mut body, SortKey::Confidence, "Confidence", true);
    head(&mut body, SortKey::Traction, "Internal engagement", true);
    head(&mut body, SortKey::Breakout, "Breakout", true);
    body.push_str("<th>Linked takedowns</th></tr></thead><tbody>");
    for r in &page.items {
        network_row(&mut body, r);
    }
    body.push_str("</tbody></table></div>");
    pager(&mut body, page.total, page.page, page.per_page, |n| {
        list_href(&p, sort.name(), if desc { "desc" } else { "asc" }, n)
    });
    (StatusCode::OK, Html(layout("Networks", Some(&who), &body))).into_response()
}

fn network_row(body: &mut String, r: &NetworkRow) {
    let _ = write!(body, "<tr><td><a href=\"/networks/{0}\"><b>{0}</b></a></td><td>", E(&r.case));
    state_badge(body, &r.state);
    if !r.changes.is_empty() {
        let _ = write!(body, " <span class=\"changed\" title=\"{}\">changed</span>", E(&r.changes));
    }
    let _ = write!(
        body,
        "</td><td>{} <span class=\"muted\">run {}</span></td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
         <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td>\
         <td class=\"n\">{:.2}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
        E(&r.network),
        r.run,
        E(&r.operation),
        rp::thousands(r.accounts as u64),
        rp::thousands(r.core as u64),
        rp::thousands(r.amplifiers as u64),
        rp::thousands(r.attributed as u64),
        rp::thousands(r.posts as u64),
        E(r.first_post.get(..10).unwrap_or(&r.first_post)),
        E(r.last_post.get(..10).unwrap_or(&r.last_post)),
        r.confidence,
        pct(r.internal_engagement_share),
        r.breakout.map_or_else(|| "—".to_string(), |b| format!("cat. {b}")),
        E(&r.linked)
    );
}

fn pager(body: &mut String, total: usize, page: usize, per_page: usize, href: impl Fn(usize) -> String) {
    let pages = total.div_ceil(per_page.max(1)).max(1);
    if pages <= 1 {
        return;
    }
    let _ = write!(body, "<nav class=\"pager\">Page {page} of {pages} ");
    if page > 1 {
        let _ = write!(
            body,
            "<a href=\"{}\">first</a> <a href=\"{}\" rel=\"prev\">previous</a> ",
            E(&href(1)),
            E(&href(page - 1))
        );
    }
    if page < pages {
        let _ = write!(
            body,
            "<a href=\"{}\" rel=\"next\">next</a> <a href=\"{}\">last</a>",
            E(&href(page + 1)),
            E(&href(pages))
        );
    }
    body.push_str("</nav>");
}

async fn network(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let who = match signed_in(&state, &headers).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let detail = match state.with_store(move |s| Ok(s.case_detail(&id)?)).await {
        Ok(Some(d)) => d,
        Ok(None) => return error_page(Fail::new(StatusCode::NOT_FOUND, "no such network"), Some(&who)),
        Err(f) => return error_page(f, Some(&who)),
    };
    let body = network_body(&detail, &who);
    (StatusCode::OK, Html(layout(&format!("Case {}", detail.row.case), Some(&who), &body))).into_response()
}

fn network_body(d: &CaseDetail, who: &Identity) -> String {
    let r = &d.row;
    let net = &d.network_body;
    let mut out = String::with_capacity(128 * 1024);
    let _ = write!(
        out,
        "<p class=\"crumbs\"><a href=\"/networks\">Networks</a> / {}</p><section class=\"card net\"><div class=\"nethead\"><h1>Case {} · network {} of run {}</h1>",
        E(&r.case),
        E(&r.case),
        E(&r.network),
        r.run
    );
    state_badge(&mut out, &r.state);
    rp::verdict_badge(&mut out, net.screening.verdict);
    let _ = write!(out, "<span class=\"muted\">confidence {:.2} · review round {}</span></div>", r.confidence, d.round);
    if !r.changes.is_empty() {
        let _ = write!(out, "<p class=\"changed-box\"><b>Changed at the latest import:</b> {}</p>", E(&r.changes));
    }
    let ops: Vec<cibscan_core::characterise::Operation> = d.operation_body.iter().cloned().collect();
    rp::network_summary(&mut out, net, &ops);
    rp::links(&mut out, net);
    rp::activity_panel(&mut out, &net.timeline, &net.narratives, "the network");
    let _ = write!(
        out,
        "<div class=\"panel\"><h3>Coordination graph</h3><div class=\"graph\" id=\"graph\" data-src=\"/api/networks/{}/graph\">\
         <canvas></canvas><div class=\"tip\" hidden></div></div><p class=\"legend muted small\">\
         <span class=\"dot\" style=\"background:#d1495b\"></span>core <span class=\"dot\" style=\"background:#00798c\"></span>amplifier \
         <span class=\"dot\" style=\"background:#7c3aed\"></span>attributed · drag to pan, wheel to zoom, click an account to open it</p></div>",
        url_encode(&r.case)
    );
    out.push_str("<div class=\"grid\"><div class=\"panel\"><h3>When it posts</h3>");
    rp::heatmap(&mut out, &net.timeline.hour_of_week, net.timeline.timezone.as_ref());
    out.push_str("</div><div class=\"panel\"><h3>Authenticity screen</h3>");
    rp::reasons(&mut out, &net.screening);
    out.push_str("</div></div>");
    rp::narratives(&mut out, &net.narratives, "the API");
    out.push_str("</section>");

    decision_section(&mut out, d, who);
    members_section(&mut out, d, who);

    out.push_str("<section class=\"card\"><h2>History</h2><table><thead><tr><th>Run</th><th>Network</th><th class=\"n\">Accounts</th></tr></thead><tbody>");
    for (run, net_id, accounts) in &d.history {
        let _ = write!(
            out,
            "<tr><td>{run}</td><td>{}</td><td class=\"n\">{}</td></tr>",
            E(net_id),
            rp::thousands(*accounts as u64)
        );
    }
    out.push_str("</tbody></table></section><script src=\"/static/graph.js\"></script>");
    out
}

fn decision_section(out: &mut String, d: &CaseDetail, who: &Identity) {
    out.push_str("<section class=\"card\" id=\"review\"><h2>Review</h2>");
    if d.decisions.is_empty() {
        out.push_str("<p class=\"muted\">No decision yet.</p>");
    } else {
        out.push_str("<table id=\"decisions\"><thead><tr><th>When</th><th>Who</th><th>Decision</th><th>Round</th><th>Reason</th></tr></thead><tbody>");
        for x in &d.decisions {
            let _ = write!(
                out,
                "<tr><td class=\"nowrap\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                E(&x.at),
                E(&x.user),
                E(&x.decision),
                x.round,
                E(&x.reason)
            );
        }
        out.push_str("</tbody></table>");
    }
    let allowed: Vec<Decision> = [Decision::Propose, Decision::Confirm, Decision::Clear, Decision::NeedsEvidence]
        .into_iter()
        .filter(|x| match x {
            Decision::Propose | Decision::NeedsEvidence => who.role >= Role::Analyst,
            Decision::Confirm | Decision::Clear => who.role >= Role::Reviewer,
        })
        .collect();
    if allowed.is_empty() {
        out.push_str("<p class=\"muted\">Viewers cannot decide.</p></section>");
        return;
    }
    let _ = write!(
        out,
        "<form class=\"decide\" method=\"post\" action=\"/networks/{}/decide\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <label>Decision <select name=\"decision\">",
        url_encode(&d.row.case),
        E(who.csrf.as_deref().unwrap_or(""))
    );
    for x in allowed {
        let _ = write!(out, "<option value=\"{0}\">{0}</option>", x.name());
    }
    out.push_str(
        "</select></label><label class=\"grow\">Reason <input name=\"reason\" required maxlength=\"2000\"></label>\
         <button type=\"submit\">Record decision</button></form></section>",
    );
}

fn members_section(out: &mut String, d: &CaseDetail, who: &Identity) {
    let _ = write!(
        out,
        "<section class=\"card\" id=\"accounts\"><h2>Accounts <span class=\"muted small\">{} in all{}</span></h2>",
        rp::thousands(d.members.len() as u64),
        if d.members.len() > MEMBERS_SHOWN {
            format!("; the first {MEMBERS_SHOWN} by role and score shown, all in /api/networks/{}", E(&d.row.case))
        } else {
            String::new()
        }
    );
    let can_exclude = who.role >= Role::Analyst;
    out.push_str("<div class=\"scroll\"><table id=\"members\"><thead><tr><th>Account</th><th>Screen name</th><th>Role</th><th class=\"n\">Coordination</th><th class=\"n\">Inauthenticity</th><th class=\"n\">Posts</th><th>Signals / evidence</th><th>Excluded</th></tr></thead><tbody>");
    for m in d.members.iter().take(MEMBERS_SHOWN) {
        let role = if m.evidence.is_some() { format!("{} (attributed)", m.role) } else { m.role.clone() };
        let _ = write!(
            out,
            "<tr><td><a href=\"/accounts/{}\">{}</a></td><td>{}</td><td>{}</td><td class=\"n\">{:.3}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"small\">{}</td><td>",
            url_encode(&m.account_id),
            E(&m.account_id),
            E(&m.screen_name),
            E(&role),
            m.coordination_score,
            m.inauthenticity_score.map_or_else(|| "—".to_string(), |s| format!("{s:.2}")),
            m.posts,
            E(&m.signals)
        );
        match &m.excluded {
            Some(reason) => {
                let _ = write!(out, "<span class=\"state s-cleared\">excluded</span> {}", E(reason));
            }
            None if can_exclude => {
                let _ = write!(
                    out,
                    "<form class=\"exclude\" method=\"post\" action=\"/networks/{}/exclude\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
                     <input type=\"hidden\" name=\"account_id\" value=\"{}\"><input name=\"reason\" required placeholder=\"reason\" maxlength=\"2000\">\
                     <button type=\"submit\">Exclude</button></form>",
                    url_encode(&d.row.case),
                    E(who.csrf.as_deref().unwrap_or("")),
                    E(&m.account_id)
                );
            }
            None => {}
        }
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table></div></section>");
}

#[derive(Deserialize)]
struct DecideForm {
    csrf: Option<String>,
    decision: String,
    reason: String,
}

async fn decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Form<DecideForm>, FormRejection>,
) -> Response {
    let who = match signed_in(&state, &headers).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let Ok(Form(form)) = form else {
        return error_page(Fail::new(StatusCode::BAD_REQUEST, "the form is incomplete"), Some(&who));
    };
    if let Err(f) = who.check_csrf(form.csrf.as_deref()) {
        return error_page(f, Some(&who));
    }
    let Some(decision) = Decision::parse(&form.decision) else {
        return error_page(Fail::new(StatusCode::BAD_REQUEST, "unknown decision"), Some(&who));
    };
    let (name, case) = (who.name.clone(), id.clone());
    match state.with_store(move |s| Ok(s.decide(&case, &name, decision, &form.reason)?)).await {
        Ok(_) => Redirect::to(&format!("/networks/{}#review", url_encode(&id))).into_response(),
        Err(f) => error_page(f, Some(&who)),
    }
}

#[derive(Deserialize)]
struct ExcludeForm {
    csrf: Option<String>,
    account_id: String,
    reason: String,
}

async fn exclude(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Form<ExcludeForm>, FormRejection>,
) -> Response {
    let who = match signed_in(&state, &headers).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let Ok(Form(form)) = form else {
        return error_page(Fail::new(StatusCode::BAD_REQUEST, "the form is incomplete"), Some(&who));
    };
    if let Err(f) = who.check_csrf(form.csrf.as_deref()) {
        return error_page(f, Some(&who));
    }
    let (name, case) = (who.name.clone(), id.clone());
    match state.with_store(move |s| Ok(s.exclude(&case, &form.account_id, &name, &form.reason)?)).await {
        Ok(()) => Redirect::to(&format!("/networks/{}#accounts", url_encode(&id))).into_response(),
        Err(f) => error_page(f, Some(&who)),
    }
}

// ---- accounts, search, runs, audit, exports ----------------------------------------------

async fn account(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let who = match signed_in(&state, &headers).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let key = id.clone();
    let d = match state.with_store(move |s| Ok(s.account_detail(&key)?)).await {
        Ok(Some(d)) => d,
        Ok(None) => {
            return error_page(Fail::new(StatusCode::NOT_FOUND, "this account is not in any network"), Some(&who))
        }
        Err(f) => return error_page(f, Some(&who)),
    };
    let mut out = String::new();
    let name = d.appearances.first().map_or("", |a| a.screen_name.as_str());
    let _ = write!(out, "<h1>Account {} <span class=\"muted\">@{}</span></h1>", E(&d.account_id), E(name));
    out.push_str("<section class=\"card\"><h2>Flagged in</h2><table><thead><tr><th>Run</th><th>Case</th><th>State</th><th>Network</th><th>Role</th><th class=\"n\">Coordination</th><th class=\"n\">Inauthenticity</th><th class=\"n\">Posts</th><th>Signals</th><th>Excluded</th></tr></thead><tbody>");
    for a in &d.appearances {
        let _ = write!(
            out,
            "<tr><td>{}</td><td><a href=\"/networks/{}\">{}</a></td><td>",
            a.run,
            url_encode(&a.case),
            E(&a.case)
        );
        state_badge(&mut out, &a.state);
        let _ = write!(
            out,
            "</td><td>{}</td><td>{}</td><td class=\"n\">{:.3}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"small\">{}</td><td>{}</td></tr>",
            E(&a.network),
            E(&a.role),
            a.coordination_score,
            a.inauthenticity_score.map_or_else(|| "—".to_string(), |s| format!("{s:.2}")),
            a.posts,
            E(&a.signals),
            E(a.excluded.as_deref().unwrap_or(""))
        );
    }
    out.push_str("</tbody></table></section>");
    if let Some(ev) = d.appearances.iter().find_map(|a| a.evidence.as_deref()) {
        out.push_str("<section class=\"card\"><h2>Attribution evidence</h2><ul class=\"reasons\">");
        if let Ok(serde_json::Value::Object(m)) = serde_json::from_str::<serde_json::Value>(ev) {
            for (k, v) in m {
                let _ = write!(out, "<li><b>{}</b>: {}</li>", E(&k), E(&v.to_string()));
            }
        }
        out.push_str("</ul></section>");
    }
    out.push_str("<section class=\"card\"><h2>Co-actors in its latest network</h2><p class=\"muted small\">Each signal's −log10 p: how unlikely by chance the pair's shared behaviour is. The shared posts themselves are in <code>cibscan explain ACCOUNT --run DIR</code>.</p><div class=\"scroll\"><table id=\"co-actors\"><thead><tr><th>Co-actor</th><th class=\"n\">Fused weight</th><th>Signals (−log10 p)</th></tr></thead><tbody>");
    for e in &d.co_actors {
        let other = if e.source == d.account_id { &e.target } else { &e.source };
        let signals: Vec<String> = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&e.signals)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| format!("{k} {}", v.as_f64().map_or_else(String::new, |f| format!("{f:.1}"))))
                    .collect()
            })
            .unwrap_or_default();
        let _ = write!(
            out,
            "<tr><td><a href=\"/accounts/{}\">{}</a></td><td class=\"n\">{:.2}</td><td class=\"small\">{}</td></tr>",
            url_encode(other),
            E(other),
            e.weight,
            E(&signals.join(", "))
        );
    }
    out.push_str("</tbody></table></div></section>");
    (StatusCode::OK, Html(layout(&format!("Account {id}"), Some(&who), &out))).into_response()
}

async fn search(State(state): State<AppState>, headers: HeaderMap, Query(p): Query<SearchParams>) -> Response {
    let who = match signed_in(&state, &headers).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let q: String = p.q.unwrap_or_default().chars().take(200).collect();
    let mut out = String::new();
    let _ = write!(
        out,
        "<h1>Search</h1><form class=\"filters\" method=\"get\" action=\"/search\"><label class=\"grow\">Account, screen name, #hashtag, URL, domain or text \
         <input name=\"q\" value=\"{}\" autofocus></label><button type=\"submit\">Search</button></form>",
        E(&q)
    );
    if !q.trim().is_empty() {
        let text = q.clone();
        let found = match state.with_store(move |s| Ok(s.search(&text, 200)?)).await {
            Ok(f) => f,
            Err(f) => return error_page(f, Some(&who)),
        };
        let _ = write!(
            out,
            "<section class=\"card\"><h2>Accounts <span class=\"muted small\">{}</span></h2><ul id=\"found-accounts\">",
            found.accounts.len()
        );
        for (id, name, case) in &found.accounts {
            let _ = write!(
                out,
                "<li><a href=\"/accounts/{}\">{}</a> @{} in <a href=\"/networks/{}\">{}</a></li>",
                url_encode(id),
                E(id),
                E(name),
                url_encode(case),
                E(case)
            );
        }
        let _ = write!(out, "</ul></section><section class=\"card\"><h2>Networks <span class=\"muted small\">{}</span></h2><ul id=\"found-networks\">", found.networks.len());
        for (case, net, what) in &found.networks {
            let _ = write!(
                out,
                "<li><a href=\"/networks/{}\">{}</a> ({}): {}</li>",
                url_encode(case),
                E(case),
                E(net),
                E(what)
            );
        }
        out.push_str("</ul></section>");
    }
    (StatusCode::OK, Html(layout("Search", Some(&who), &out))).into_response()
}

async fn runs(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let who = match signed_in(&state, &headers).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let runs = match state.with_store(|s| Ok(s.run_list()?)).await {
        Ok(r) => r,
        Err(f) => return error_page(f, Some(&who)),
    };
    let mut out = String::from("<h1>Runs</h1><table><thead><tr><th>Run</th><th>Folder</th><th>Tool</th><th>Finished</th><th>Imported</th><th class=\"n\">Networks</th></tr></thead><tbody>");
    for r in &runs {
        let _ = write!(
            out,
            "<tr><td><a href=\"/networks?run={0}\">{0}</a></td><td><code>{1}</code></td><td>{2}</td><td>{3}</td><td>{4}</td><td class=\"n\">{5}</td></tr>",
            r.id,
            E(&r.dir),
            E(&r.tool),
            E(&r.finished),
            E(&r.imported_at),
            r.networks
        );
    }
    out.push_str("</tbody></table>");
    (StatusCode::OK, Html(layout("Runs", Some(&who), &out))).into_response()
}

async fn audit(State(state): State<AppState>, headers: HeaderMap, Query(p): Query<PageParams>) -> Response {
    let who = match signed_in(&state, &headers).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let (page, per_page) = match p.get(100) {
        Ok(x) => x,
        Err(f) => return error_page(f, Some(&who)),
    };
    let rows = match state.with_store(move |s| Ok(s.audit_page(page, per_page)?)).await {
        Ok(r) => r,
        Err(f) => return error_page(f, Some(&who)),
    };
    let mut out = String::from("<h1>Audit log</h1><p class=\"muted\">Append-only: the database refuses to change or delete an entry.</p><table id=\"audit\"><thead><tr><th class=\"n\">#</th><th>When</th><th>Who</th><th>Action</th><th>Detail</th></tr></thead><tbody>");
    for a in &rows.items {
        let _ = write!(
            out,
            "<tr><td class=\"n\">{}</td><td class=\"nowrap\">{}</td><td>{}</td><td>{}</td><td class=\"small\">{}</td></tr>",
            a.id,
            E(&a.at),
            E(&a.actor),
            E(&a.action),
            E(&a.detail)
        );
    }
    out.push_str("</tbody></table>");
    pager(&mut out, rows.total, rows.page, rows.per_page, |n| format!("/audit?page={n}&per_page={per_page}"));
    (StatusCode::OK, Html(layout("Audit log", Some(&who), &out))).into_response()
}

async fn exports(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let who = match signed_in(&state, &headers).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let counted = state
        .with_store(|s| {
            let rows = s.takedown()?;
            let cases: std::collections::BTreeSet<String> = rows.iter().map(|r| r[0].clone()).collect();
            Ok((rows.len(), cases.len()))
        })
        .await;
    let (accounts, cases) = match counted {
        Ok(x) => x,
        Err(f) => return error_page(f, Some(&who)),
    };
    let mut out = format!(
        "<h1>Exports</h1><section class=\"card\"><h2>Takedown list</h2><p>{} accounts of {} confirmed cases, excluded accounts left out. \
         Each download is recorded in the audit log with its SHA-256.</p>",
        rp::thousands(accounts as u64),
        cases
    );
    if who.role >= Role::Analyst {
        out.push_str("<p><a class=\"button\" id=\"takedown\" href=\"/exports/takedown.csv\" download>Download takedown.csv</a></p>");
    } else {
        out.push_str("<p class=\"muted\">Viewers cannot export.</p>");
    }
    out.push_str("<p class=\"muted small\">Scripts: <code>GET /api/exports/takedown.csv</code> with a bearer token. A public disclosure dataset: <code>cibscan export disclosure --run DIR --network ID</code> on a confirmed case's run.</p></section>");
    (StatusCode::OK, Html(layout("Exports", Some(&who), &out))).into_response()
}

async fn takedown(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let who = match signed_in(&state, &headers).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    if let Err(f) = who.require(Role::Analyst, "export the takedown list") {
        return error_page(f, Some(&who));
    }
    match takedown_download(&state, &who).await {
        Ok(r) => r,
        Err(f) => error_page(f, Some(&who)),
    }
}
