//! `cibscan serve` over a real store file, through real HTTP on loopback: credentials and
//! roles on every route, CSRF, forged and expired sessions, the sign-in rate limit, hostile
//! text through every page and API response, SQL metacharacters in every search and
//! filter; and the review workflow end to end through forms and the API.

mod support;

use support::*;

const HOSTILE: [&str; 6] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(2)>",
    "'><svg onload=alert(3)>",
    "javascript:alert(4)",
    "{{7*7}}</textarea><b>",
    "\u{202e}evil\u{0000}'; DROP TABLE audit; --",
];

/// Pages that need a session, and API routes that need credentials.
const PAGES: [&str; 8] =
    ["/networks", "/networks/C1", "/accounts/1", "/search?q=a", "/runs", "/audit", "/exports", "/exports/takedown.csv"];
const API: [&str; 8] = [
    "/api/runs",
    "/api/networks",
    "/api/networks/C1",
    "/api/networks/C1/graph",
    "/api/accounts/1",
    "/api/search?q=a",
    "/api/audit",
    "/api/exports/takedown.csv",
];

fn audit_len(db: &std::path::Path) -> usize {
    cibscan_store::Store::open(db).unwrap().audit().unwrap().len()
}

#[test]
fn serve_refuses_what_it_must_and_renders_hostile_text_inert() {
    let tmp = tempfile::tempdir().unwrap();
    let fx = fixture(tmp.path());
    let member: String = {
        let store = cibscan_store::Store::open(&fx.db).unwrap();
        store.case_detail("C1").unwrap().unwrap().members[0].account_id.clone()
    };
    let server = Server::start(&fx.db);
    let a = server.addr.as_str();

    // Public: health, the API description, the sign-in page, static assets; with the
    // security headers on every response.
    for path in ["/api/health", "/api/openapi.json", "/login", "/static/style.css", "/static/graph.js"] {
        let r = get(a, path, &[]);
        assert_eq!(r.status, 200, "{path}");
        let csp = r.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-eval"), "{path}: {csp}");
        assert!(!csp.contains("script-src 'self' 'unsafe-inline'"), "{path}: {csp}");
        assert_eq!(r.header("x-frame-options"), Some("DENY"));
    }
    assert_eq!(get(a, "/api/health", &[]).json()["status"], "ok");

    // Without credentials: pages send to sign-in, the API answers 401, nothing changes.
    let before = audit_len(&fx.db);
    for path in PAGES {
        let r = get(a, path, &[]);
        assert_eq!((r.status, r.header("location")), (303, Some("/login")), "{path}");
    }
    for (path, body) in [
        ("/logout", "csrf=x"),
        ("/networks/C1/decide", "decision=propose&reason=x"),
        ("/networks/C1/exclude", "account_id=1&reason=x"),
    ] {
        let r = request(a, "POST", path, &[("Content-Type", "application/x-www-form-urlencoded")], body.as_bytes());
        assert_eq!((r.status, r.header("location")), (303, Some("/login")), "{path}");
    }
    for path in API {
        let r = get(a, path, &[]);
        assert_eq!(r.status, 401, "{path}: {}", r.body);
        assert_eq!(r.header("www-authenticate"), Some("Bearer"));
        assert!(r.json()["error"].is_string());
    }
    for path in ["/api/networks/C1/decisions", "/api/networks/C1/exclusions"] {
        let r = request(
            a,
            "POST",
            path,
            &[("Content-Type", "application/json")],
            br#"{"decision":"confirm","reason":"x"}"#,
        );
        assert_eq!(r.status, 401, "{path}");
    }
    // A forged token or session is no credential.
    let forged = "cib_".to_string() + &"0".repeat(64);
    assert_eq!(get(a, "/api/networks", &[("Authorization", &format!("Bearer {forged}"))]).status, 401);
    assert_eq!(get(a, "/networks", &[("Cookie", &format!("cib_session={}", "f".repeat(64)))]).status, 303);
    assert_eq!(audit_len(&fx.db), before, "nothing may be recorded without credentials");

    // A viewer may read but not decide, exclude or export.
    let vic = format!("Bearer {}", fx.vic_token);
    assert_eq!(get(a, "/api/networks", &[("Authorization", &vic)]).status, 200);
    let r = request(
        a,
        "POST",
        "/api/networks/C1/decisions",
        &[("Authorization", &vic), ("Content-Type", "application/json")],
        br#"{"decision":"propose","reason":"looks coordinated"}"#,
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(get(a, "/api/exports/takedown.csv", &[("Authorization", &vic)]).status, 403);
    let mut viewer = Browser::new(a);
    assert_eq!(viewer.sign_in("vic", "pw-vic-1").status, 303);
    let page = viewer.get("/networks/C1");
    assert!(page.body.contains("Viewers cannot decide") && !page.body.contains("action=\"/networks/C1/decide\""));
    let csrf = csrf_of(&page.body);
    let r = viewer.post("/networks/C1/decide", &[("decision", "propose"), ("reason", "x"), ("csrf", &csrf)]);
    assert_eq!(r.status, 403, "{}", r.body);

    // CSRF: a cross-site form post (no token, or another session's token) is refused.
    let mut alice = Browser::new(a);
    let signed = alice.sign_in("alice", "pw-alice-1");
    assert_eq!((signed.status, signed.header("location")), (303, Some("/networks")));
    let cookie =
        signed.headers_named("set-cookie").into_iter().find(|c| c.starts_with("cib_session=")).unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let before = audit_len(&fx.db);
    assert_eq!(alice.post("/networks/C1/decide", &[("decision", "propose"), ("reason", "x")]).status, 403);
    assert_eq!(
        alice.post("/networks/C1/decide", &[("decision", "propose"), ("reason", "x"), ("csrf", &csrf)]).status,
        403
    );
    // The API with the session cookie needs the token in X-CSRF-Token.
    let c = format!("cib_session={}", alice.cookie("cib_session").unwrap());
    let r = request(
        a,
        "POST",
        "/api/networks/C1/decisions",
        &[("Cookie", &c), ("Content-Type", "application/json")],
        br#"{"decision":"propose","reason":"x"}"#,
    );
    assert_eq!(r.status, 403, "{}", r.body);
    // The sign-in form is protected too: a post without its cookie-bound token fails.
    let r = request(
        a,
        "POST",
        "/login",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        b"name=alice&password=pw-alice-1&csrf=abc",
    );
    assert_eq!(r.status, 403);
    assert_eq!(audit_len(&fx.db), before);

    // An expired session no longer signs in.
    let mut carol = Browser::new(a);
    carol.sign_in("carol", "pw-carol-1");
    assert_eq!(carol.get("/networks").status, 200);
    cibscan_store::Store::open(&fx.db).unwrap().expire_session(carol.cookie("cib_session").unwrap()).unwrap();
    assert_eq!(carol.get("/networks").status, 303);

    // Sign-in is rate-limited per user name.
    let mut mallory = Browser::new(a);
    let codes: Vec<u16> = (0..7).map(|_| mallory.sign_in("bob", "guess").status).collect();
    assert_eq!(codes, [401, 401, 401, 401, 401, 429, 429]);
    assert_eq!(mallory.sign_in("bob", "pw-bob-1").status, 429, "locked out even with the right password");

    // Hostile text in the data and in what users type, through every page and response.
    {
        let store = cibscan_store::Store::open(&fx.db).unwrap();
        let c = store.connection();
        c.execute("UPDATE accounts SET screen_name = ?1", [HOSTILE[0]]).unwrap();
        let body: String = c.query_row("SELECT body FROM networks WHERE net_id = 'N1'", [], |r| r.get(0)).unwrap();
        let mut v: serde_json::Value = serde_json::from_str(&body).unwrap();
        v["narratives"][0]["label"] = HOSTILE[1].into();
        v["narratives"][0]["hashtags"][0] = HOSTILE[2].into();
        v["screening"]["indicators"][0] = HOSTILE[4].into();
        c.execute("UPDATE networks SET body = ?1 WHERE net_id = 'N1'", [v.to_string()]).unwrap();
    }
    let mut alice = Browser::new(a);
    alice.sign_in("alice", "pw-alice-1");
    let page = alice.get("/networks/C1");
    let csrf = csrf_of(&page.body);
    for h in HOSTILE {
        let r = alice.post("/networks/C2/exclude", &[("account_id", h), ("reason", h), ("csrf", &csrf)]);
        assert_eq!(r.status, 400, "not a member: refused, with the text escaped: {}", r.body);
        assert_inert(&r.body, "exclude error");
    }
    let r =
        alice.post("/networks/C1/decide", &[("decision", "propose"), ("reason", &HOSTILE.join(" ")), ("csrf", &csrf)]);
    assert_eq!(r.status, 303);
    let r = alice.post("/networks/C1/exclude", &[("account_id", &member), ("reason", HOSTILE[1]), ("csrf", &csrf)]);
    assert_eq!(r.status, 303);
    let mut pages: Vec<String> = PAGES.iter().map(|p| p.to_string()).collect();
    pages.push(format!("/accounts/{}", enc(&member)));
    for h in HOSTILE {
        pages.push(format!("/search?q={}", enc(h)));
        pages.push(format!("/networks?q={}", enc(h)));
        pages.push(format!("/accounts/{}", enc(h)));
        pages.push(format!("/networks/{}", enc(h)));
    }
    for p in &pages {
        let r = alice.get(p);
        assert!(matches!(r.status, 200 | 404), "{p}: {}", r.status);
        if r.header("content-type").is_some_and(|t| t.starts_with("text/html")) {
            assert_inert(&r.body, p);
        }
    }
    let shown = alice.get("/networks/C1").body;
    assert!(shown.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "hostile names are shown, escaped");
    assert!(alice.get("/search?q=svg%20onload").body.contains("found-networks"));
    let bob = format!("Bearer {}", fx.bob_token);
    for p in API.iter().map(|p| p.to_string()).chain(HOSTILE.iter().map(|h| format!("/api/search?q={}", enc(h)))) {
        let r = get(a, &p, &[("Authorization", &bob)]);
        assert!(matches!(r.status, 200 | 404), "{p}: {}", r.body);
        if p.ends_with(".csv") {
            assert!(r.header("content-type").unwrap().starts_with("text/csv"));
        } else {
            assert!(r.header("content-type").unwrap().starts_with("application/json"), "{p}");
            r.json();
        }
    }

    // SQL metacharacters in every filter and search: no error, no injection, no wildcard.
    for q in ["' OR '1'='1", "%", "_", "\\", "\" OR 1=1 --", "C1'; DELETE FROM cases; --"] {
        for p in [
            format!("/api/networks?q={}", enc(q)),
            format!("/api/search?q={}", enc(q)),
            format!("/api/networks?q={}&sort=accounts&order=desc&page=1&per_page=5", enc(q)),
        ] {
            let r = get(a, &p, &[("Authorization", &bob)]);
            assert_eq!(r.status, 200, "{p}: {}", r.body);
            let v = r.json();
            if p.starts_with("/api/networks") {
                assert_eq!(v["total"], 0, "{p}: a metacharacter is text, not a pattern");
            }
        }
        for p in [format!("/networks?q={}", enc(q)), format!("/search?q={}", enc(q))] {
            assert_eq!(alice.get(&p).status, 200, "{p}");
        }
    }
    for bad in ["state=x%27%20OR%201%3D1", "sort=accounts%3BDROP", "order=sideways", "page=0", "run=-1", "per_page=abc"]
    {
        let r = get(a, &format!("/api/networks?{bad}"), &[("Authorization", &bob)]);
        assert_eq!(r.status, 400, "{bad}: {}", r.body);
    }
    let store = cibscan_store::Store::open(&fx.db).unwrap();
    assert_eq!(store.cases().unwrap().len(), 2);
    assert_eq!(store.integrity().unwrap(), "ok");
}

/// No hostile markup survives unescaped in an HTML page.
fn assert_inert(html: &str, what: &str) {
    for bad in ["<script>alert", "<img src=x", "<svg onload", "</textarea><b>", "onerror=alert(2)>"] {
        assert!(!html.contains(bad), "{what}: unescaped {bad:?}");
    }
    // The only scripts are this server's own file.
    for (i, _) in html.match_indices("<script") {
        assert!(html[i..].starts_with("<script src=\"/static/graph.js\"></script>"), "{what}: {}", &html[i..i + 60]);
    }
}

#[test]
fn review_to_takedown_through_forms_and_the_api() {
    let tmp = tempfile::tempdir().unwrap();
    let fx = fixture(tmp.path());
    let server = Server::start(&fx.db);
    let a = server.addr.as_str();

    // The analyst proposes C1 from its page.
    let mut alice = Browser::new(a);
    alice.sign_in("alice", "pw-alice-1");
    let list = alice.get("/networks?sort=accounts&order=desc");
    assert!(list.body.contains("href=\"/networks/C1\""));
    let page = alice.get("/networks/C1");
    assert_eq!(page.status, 200);
    for part in
        ["Activity over time", "Coordination graph", "When it posts", "Narratives", "id=\"members\"", "Record decision"]
    {
        assert!(page.body.contains(part), "network page lacks {part}");
    }
    let csrf = csrf_of(&page.body);
    let r = alice.post(
        "/networks/C1/decide",
        &[("decision", "propose"), ("reason", "core retweets in lockstep"), ("csrf", &csrf)],
    );
    assert_eq!((r.status, r.header("location")), (303, Some("/networks/C1#review")));
    // An analyst cannot confirm.
    assert_eq!(
        alice.post("/networks/C1/decide", &[("decision", "confirm"), ("reason", "x"), ("csrf", &csrf)]).status,
        403
    );
    // Nothing to take down before two reviewers confirm.
    let bob = format!("Bearer {}", fx.bob_token);
    let csv = get(a, "/api/exports/takedown.csv", &[("Authorization", &bob)]);
    assert_eq!(csv.body.lines().count(), 1, "header only: {}", csv.body);

    // Reviewer 1 through the API with a token; the same reviewer twice is still one.
    let decide = |auth: &str, body: &str| {
        request(
            a,
            "POST",
            "/api/networks/C1/decisions",
            &[("Authorization", auth), ("Content-Type", "application/json")],
            body.as_bytes(),
        )
    };
    let r = decide(&bob, r#"{"decision":"confirm","reason":"checked the shared retweets"}"#);
    assert_eq!((r.status, r.json()["state"].as_str()), (200, Some("in_review")));
    assert_eq!(decide(&bob, r#"{"decision":"confirm","reason":"again"}"#).json()["state"], "in_review");
    assert_eq!(decide(&bob, r#"{"decision":"confirm","reason":"  "}"#).status, 400, "a reason is required");
    assert_eq!(decide(&bob, r#"{"decision":"approve","reason":"x"}"#).status, 400);
    assert_eq!(decide(&bob, "not json").status, 400);
    // Reviewer 2 through the form: confirmed.
    let mut carol = Browser::new(a);
    carol.sign_in("carol", "pw-carol-1");
    let page = carol.get("/networks/C1");
    let csrf_c = csrf_of(&page.body);
    let r = carol
        .post("/networks/C1/decide", &[("decision", "confirm"), ("reason", "second pair of eyes"), ("csrf", &csrf_c)]);
    assert_eq!(r.status, 303);
    let detail = get(a, "/api/networks/C1", &[("Authorization", &bob)]).json();
    assert_eq!(detail["state"], "confirmed");
    let members: Vec<String> =
        detail["members"].as_array().unwrap().iter().map(|m| m["account_id"].as_str().unwrap().to_string()).collect();

    // Exclude one account through the API (a false positive), another through the form.
    let r = request(
        a,
        "POST",
        "/api/networks/C1/exclusions",
        &[("Authorization", &bob), ("Content-Type", "application/json")],
        format!(r#"{{"account_id":"{}","reason":"a journalist quoting the network"}}"#, members[0]).as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let r =
        alice.post("/networks/C1/exclude", &[("account_id", &members[1]), ("reason", "verified NGO"), ("csrf", &csrf)]);
    assert_eq!(r.status, 303);

    // The takedown list: the confirmed case minus the excluded, its hash in the audit log.
    let csv = get(a, "/api/exports/takedown.csv", &[("Authorization", &bob)]);
    assert_eq!(csv.status, 200);
    let rows: Vec<&str> = csv.body.lines().skip(1).collect();
    assert_eq!(rows.len(), members.len() - 2);
    assert!(rows.iter().all(|r| r.starts_with("C1,")));
    assert!(!rows.iter().any(|r| r.split(',').nth(2) == Some(members[0].as_str())));
    let sha = csv.header("x-content-sha256").unwrap().to_string();
    let download = alice.get("/exports/takedown.csv");
    assert_eq!(download.body, csv.body);
    assert!(download.header("content-disposition").unwrap().contains("takedown.csv"));

    // All of it in the audit log, through the page and the API.
    let audit = get(a, "/api/audit?per_page=500", &[("Authorization", &bob)]).json();
    let actions: Vec<(String, String)> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["actor"].as_str().unwrap().to_string(), e["action"].as_str().unwrap().to_string()))
        .collect();
    for (actor, action) in [
        ("alice", "decision"),
        ("bob", "decision"),
        ("carol", "decision"),
        ("bob", "exclude"),
        ("alice", "exclude"),
        ("bob", "export_takedown"),
        ("alice", "export_takedown"),
        ("alice", "sign_in"),
    ] {
        assert!(actions.contains(&(actor.to_string(), action.to_string())), "audit lacks {actor} {action}");
    }
    assert!(audit["items"].as_array().unwrap().iter().any(|e| e["detail"].as_str().unwrap().contains(&sha)));
    let page = alice.get("/audit");
    assert!(page.body.contains("export_takedown") && page.body.contains("second pair of eyes"));

    // The rest of the API: runs, paging, graph, account, search, the OpenAPI document.
    assert_eq!(get(a, "/api/runs", &[("Authorization", &bob)]).json()[0]["networks"], 2);
    let p = get(a, "/api/networks?per_page=1&page=2&sort=accounts&order=desc", &[("Authorization", &bob)]).json();
    assert_eq!((p["total"].as_u64(), p["items"].as_array().unwrap().len()), (Some(2), 1));
    assert_eq!(get(a, "/api/networks?state=confirmed", &[("Authorization", &bob)]).json()["total"], 1);
    let g = get(a, "/api/networks/C1/graph", &[("Authorization", &bob)]).json();
    assert_eq!(g["nodes"].as_array().unwrap().len(), members.len());
    assert!(!g["edges"].as_array().unwrap().is_empty());
    let acc = get(a, &format!("/api/accounts/{}", members[2]), &[("Authorization", &bob)]).json();
    assert_eq!(acc["appearances"][0]["case"], "C1");
    assert_eq!(get(a, "/api/networks/C9", &[("Authorization", &bob)]).status, 404);
    let spec = get(a, "/api/openapi.json", &[]).json();
    for path in ["/api/health", "/api/networks", "/api/networks/{id}/decisions", "/api/exports/takedown.csv"] {
        assert!(spec["paths"][path].is_object(), "{path} undocumented");
    }

    // Sign out ends the session.
    let page = alice.get("/networks");
    let csrf = csrf_of(&page.body);
    assert_eq!(alice.post("/logout", &[("csrf", &csrf)]).status, 303);
    assert_eq!(alice.get("/networks").status, 303);
}
