//! `report.html`: one self-contained page that shows what `detect` found (PRODUCT.md §4).
//!
//! The page has no script and loads nothing: styles are inline, charts are SVG written
//! here (timeline, narratives, hour-of-week heat map, creation waves, the network picture
//! laid out by [`layout`]), and a Content-Security-Policy forbids everything else, so even
//! a missed escape could not run code. Every string from the data — screen names, ids,
//! terms, labels, reasons — is escaped with [`E`] / [`html_escape`]: profiles and posts are
//! written by adversaries. Large networks are drawn in part (at most [`graph::MAX_NODES`]
//! accounts and [`graph::MAX_EDGES`] edges) and long tables are cut, so the page opens
//! quickly in a browser whatever the network's size. The output is deterministic: same
//! input, byte-identical page (no timestamps).

mod graph;
pub mod graphfile;
pub mod layout;
mod svg;
#[doc(hidden)]
pub mod synthetic;

use crate::characterise::roles::Role;
use crate::characterise::timeline::Timeline;
use crate::pipeline::{Detection, Network};
use crate::Dataset;
use std::fmt::{self, Write as _};
use std::path::Path;

pub use graph::{MAX_EDGES, MAX_NODES};

/// The pieces of the report that the web UI's pages (`cibscan serve`) are built from, so a
/// network reads the same in both and every string goes through the same escaping.
pub mod parts {
    pub use super::svg::{defs, hbars, heatmap, sparkline, tz_label};
    pub use super::{
        activity_panel, datetime, html_escape, links, narratives, network_summary, pct, reasons, thousands,
        verdict_badge, E, STYLE,
    };
}

/// Rows of the top-accounts table shown at once; more (up to [`TOP_ACCOUNTS_MAX`]) sit in
/// a collapsed continuation.
const TOP_ACCOUNTS_SHOWN: usize = 15;
const TOP_ACCOUNTS_MAX: usize = 200;
/// Narratives listed per network.
const NARRATIVES_MAX: usize = 30;
/// Creation waves drawn per network (the largest).
const WAVES_MAX: usize = 24;
/// Networks with a full section; the rest appear in the overview table only.
const SECTIONS_MAX: usize = 300;
/// Accounts drawn in all the pictures of a page, and fewest drawn in one picture once that
/// budget is spent (edges follow: [`MAX_EDGES`] / [`MAX_NODES`] per drawn account).
const PAGE_NODES: usize = 20_000;
const MIN_NODES: usize = 200;
/// Longest string shown from the data (characters).
const CLIP: usize = 80;

/// Escapes text for HTML element content and quoted attribute values: `& < > " '` become
/// entities, and control characters other than tab and newline are dropped.
pub struct E<'a>(pub &'a str);

impl fmt::Display for E<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        let mut last = 0;
        for (i, c) in s.char_indices() {
            let rep = match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                '\t' | '\n' => continue,
                c if (c as u32) < 0x20 || c == '\u{7f}' => "",
                _ => continue,
            };
            f.write_str(&s[last..i])?;
            f.write_str(rep)?;
            last = i + c.len_utf8();
        }
        f.write_str(&s[last..])
    }
}

/// [`E`] as a `String`.
/// The internal engagement share when enough engagement was seen to mean something (the
/// screen's default minimum); a share of one retweet is not an echo chamber.
fn measured_share(t: &crate::characterise::traction::Traction) -> Option<f64> {
    t.internal_engagement_share
        .filter(|_| t.engagements >= crate::characterise::screen::ScreenOptions::default().min_engagements)
}

pub fn html_escape(s: &str) -> String {
    E(s).to_string()
}

/// At most `max` characters of `s`, with `…` when cut.
pub(crate) fn clip(s: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]).into(),
        None => s.into(),
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(v: u64) -> String {
    let s = v.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |v| format!("{:.0}%", 100.0 * v))
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` prefix.
pub(crate) fn parse_day(s: &str) -> Option<i64> {
    let y: i64 = s.get(0..4)?.parse().ok()?;
    let m: i64 = s.get(5..7)?.parse().ok()?;
    let d: i64 = s.get(8..10)?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// `(year, month, day)` of a day count since 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn date(s: Option<&str>) -> &str {
    s.map_or("—", |s| s.get(..10).unwrap_or(s))
}

pub fn datetime(s: Option<&str>) -> String {
    s.map_or_else(|| "—".to_string(), |s| s.replacen('T', " ", 1).trim_end_matches('Z').to_string() + " UTC")
}

pub fn verdict_badge(out: &mut String, verdict: crate::characterise::screen::ScreenVerdict) {
    use crate::characterise::screen::ScreenVerdict;
    let class = match verdict {
        ScreenVerdict::Inauthentic => "v-inauthentic",
        ScreenVerdict::Authentic => "v-authentic",
        ScreenVerdict::Undetermined => "v-undetermined",
    };
    let _ = write!(out, "<span class=\"badge {class}\">{}</span>", E(verdict.name()));
}

fn top_narrative(net: &Network) -> Option<&crate::characterise::narratives::Narrative> {
    net.narratives.iter().enumerate().max_by(|(i, a), (j, b)| a.posts.cmp(&b.posts).then(j.cmp(i))).map(|(_, n)| n)
}

pub const STYLE: &str = r#"
:root{--core:#d1495b;--amp:#00798c;--ink:#1d2433;--muted:#667085;--line:#e4e7ec;--bg:#f5f6f8;--card:#fff;--accent:#30638e}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
ul.plain{margin:0;padding-left:16px}
a{color:var(--accent);text-decoration:none}
a:hover{text-decoration:underline}
.top{background:linear-gradient(135deg,#1b2540,#2c3e66);color:#fff}
.top .wrap{padding:28px 24px 22px}
.wrap{max-width:1240px;margin:0 auto;padding:0 24px}
h1{margin:0;font-size:26px;letter-spacing:-.01em}
h2{font-size:20px;margin:0 0 4px}
h3{font-size:15px;margin:0 0 8px;color:#344054}
.meta{opacity:.75;margin:4px 0 0}
.lead{font-size:15px;max-width:900px;margin:14px 0 0;opacity:.95}
.kpis{display:flex;flex-wrap:wrap;gap:10px;margin:18px 0 0}
.kpi{background:rgba(255,255,255,.09);border:1px solid rgba(255,255,255,.14);border-radius:10px;padding:10px 16px;min-width:130px}
.kpi b{display:block;font-size:24px;font-variant-numeric:tabular-nums;line-height:1.2}
.kpi span{font-size:12px;opacity:.8}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:18px 20px;margin:18px 0;box-shadow:0 1px 2px rgba(16,24,40,.04)}
section.net{content-visibility:auto;contain-intrinsic-size:auto 2600px}
.nethead{display:flex;flex-wrap:wrap;align-items:baseline;gap:10px 14px}
.facts{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0 4px}
.fact{background:var(--bg);border-radius:8px;padding:6px 12px}
.fact b{font-size:17px;font-variant-numeric:tabular-nums;margin-right:4px}
.fact span{color:var(--muted);font-size:12px}
.summary{color:#344054;max-width:980px;margin:8px 0 0}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(440px,1fr));gap:18px;margin-top:18px}
.panel{min-width:0}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-size:12px;color:var(--muted);font-weight:600;background:#fafbfc;position:sticky;top:0}
td{unicode-bidi:isolate;overflow-wrap:break-word}
.n{text-align:right;white-space:nowrap}
.nowrap{white-space:nowrap}
tr:hover td{background:#f8fafc}
.scroll{overflow-x:auto}
.badge{display:inline-block;padding:1px 9px;border-radius:999px;font-size:12px;font-weight:600;white-space:nowrap}
.v-inauthentic{background:#fde2e1;color:#9b1c1c}
.v-undetermined{background:#fef3c7;color:#92400e}
.v-authentic{background:#dcfce7;color:#166534}
.role{font-size:12px;font-weight:600}
.role.core{color:var(--core)}
.role.amplifier{color:var(--amp)}
.dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin:0 4px 0 10px;vertical-align:-1px}
.muted{color:var(--muted)}
.small{font-size:12px}
.tags{display:flex;flex-wrap:wrap;gap:4px}
.tag{background:#eef2f7;border-radius:6px;padding:0 6px;font-size:12px;unicode-bidi:isolate}
.tag.h{background:#e6f4f1}
ul.reasons{margin:4px 0 10px;padding-left:18px}
ul.reasons li{margin:2px 0}
.ind li::marker{color:#b42318}
.auth li::marker{color:#12b76a}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:6px 0 10px}
dl.kv dt{color:var(--muted)}
dl.kv dd{margin:0;font-variant-numeric:tabular-nums}
svg{display:block;max-width:100%;height:auto}
svg.defs{position:absolute;width:0;height:0}
svg.spark,svg.splitbar{display:inline-block;vertical-align:middle}
svg text{font:11px system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
svg .ax{fill:#667085}
svg .lbl{fill:#1d2433;font-weight:600}
svg .lbl.dim{fill:#475467;font-weight:500}
svg .grid{stroke:#eaecf0}
svg .axis{stroke:#98a2b3}
svg .area{fill:#30638e;fill-opacity:.85}
svg .peak{stroke:#b54708;stroke-dasharray:2 2}
svg .office{fill:none;stroke:#d1495b;stroke-width:1.5;stroke-dasharray:4 3}
svg.graph{background:#fcfcfd;border:1px solid var(--line);border-radius:10px}
figure{margin:0}
figcaption{color:var(--muted);font-size:12px;margin-top:6px}
.legend{font-size:12px;color:var(--muted);margin:6px 0}
.sw{display:inline-block;width:14px;height:10px;margin:0 4px 0 10px;vertical-align:-1px;border-radius:2px}
details summary{cursor:pointer;color:var(--accent);margin:8px 0}
footer{color:var(--muted);font-size:12px;padding:10px 0 40px}
@media print{section.net{content-visibility:visible}.card{break-inside:avoid}}
"#;

/// Renders the report page.
pub fn render_report(data: &Dataset, det: &Detection) -> String {
    let mut out = String::with_capacity(1 << 20);
    let n = data.accounts.len();
    let mut posts = vec![0u64; n];
    for &a in &data.posts.account {
        if let Some(p) = posts.get_mut(a as usize) {
            *p += 1;
        }
    }
    // Internal fused edges per network, in `fused` order.
    let mut internal: Vec<Vec<(u32, u32, f64)>> = vec![Vec::new(); det.networks.len()];
    for &(a, b, w) in &det.fused {
        let net_of = |x: u32| det.network_of.get(x as usize).copied().flatten();
        if let (Some(na), Some(nb)) = (net_of(a), net_of(b)) {
            if na == nb {
                internal[na as usize].push((a, b, w));
            }
        }
    }
    let profiled = data.profiled_accounts().count() as u64;
    let flagged: u64 = det.networks.iter().map(|n| n.accounts as u64).sum();
    let set_aside: u64 = det.dismissed.iter().map(|n| n.accounts as u64).sum();

    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
    out.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<title>cibscan report</title>\n<style>");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n");
    svg::defs(&mut out);

    // Header.
    let version = env!("CARGO_PKG_VERSION");
    let _ = write!(
        out,
        "<header class=\"top\"><div class=\"wrap\"><h1>Coordinated inauthentic behaviour report</h1>\
         <p class=\"meta\">cibscan {version} · <code>cibscan detect</code></p><p class=\"lead\">"
    );
    if det.networks.is_empty() {
        out.push_str("No coordinated inauthentic network was found.");
    } else {
        let _ = write!(
            out,
            "{} network{} of coordinated accounts ({} accounts in all) {} out from {} accounts and {} posts.",
            thousands(det.networks.len() as u64),
            if det.networks.len() == 1 { "" } else { "s" },
            thousands(flagged),
            if det.networks.len() == 1 { "stands" } else { "stand" },
            thousands(profiled),
            thousands(data.posts.len() as u64)
        );
    }
    if !det.dismissed.is_empty() {
        let _ = write!(
            out,
            " {} coordinated group{} ({} accounts) {} set aside as authentic crowds.",
            thousands(det.dismissed.len() as u64),
            if det.dismissed.len() == 1 { "" } else { "s" },
            thousands(set_aside),
            if det.dismissed.len() == 1 { "was" } else { "were" }
        );
    }
    out.push_str("</p><div class=\"kpis\">");
    for (v, label) in [
        (profiled, "accounts"),
        (data.posts.len() as u64, "posts"),
        (det.networks.len() as u64, "networks"),
        (flagged, "accounts in networks"),
        (det.dismissed.len() as u64, "set-aside groups"),
    ] {
        let _ = write!(out, "<div class=\"kpi\"><b>{}</b><span>{label}</span></div>", thousands(v));
    }
    out.push_str("</div></div></header>\n<main class=\"wrap\">\n");

    contents(&mut out, det);
    operations(&mut out, det);
    overview(&mut out, det);
    let post_index = crate::model::PostIndex::new(&data.posts);
    // Each network's post rows, in one pass.
    let mut rows_of: Vec<Vec<u32>> = vec![Vec::new(); det.networks.len()];
    for (i, &a) in data.posts.account.iter().enumerate() {
        if let Some(n) = det.network_of.get(a as usize).copied().flatten() {
            rows_of[n as usize].push(i as u32);
        }
    }
    // The page as a whole draws at most PAGE_NODES accounts: once the budget is spent, later
    // pictures shrink (to no fewer than MIN_NODES accounts each).
    let mut budget = PAGE_NODES;
    for (i, net) in det.networks.iter().enumerate().take(SECTIONS_MAX) {
        let cap = MAX_NODES.min(budget).max(MIN_NODES);
        budget = budget.saturating_sub(cap.min(net.accounts));
        network_section(&mut out, data, (&post_index, &rows_of[i]), det, i, net, &internal[i], &posts, cap);
    }
    if det.networks.len() > SECTIONS_MAX {
        let _ = write!(
            out,
            "<p class=\"muted\">Sections are shown for the first {SECTIONS_MAX} networks; all {} are in the table above and in networks.json.</p>",
            det.networks.len()
        );
    }
    set_aside_section(&mut out, data, det);
    how_to_read(&mut out, det);
    let _ = write!(
        out,
        "<footer>Generated by cibscan {version}. Times are UTC unless marked local. Account lists, scores and \
         edges are in accounts.csv, operations.json, networks.json, attributions.json, dismissed.json and edges.csv next to this file; \
         network.gexf opens in Gephi.</footer>\n</main>\n</body>\n</html>\n"
    );
    out
}

/// The table of contents: the overview, each network section, the set-aside groups and
/// how to read the page.
fn contents(out: &mut String, det: &Detection) {
    out.push_str("<nav class=\"card\" id=\"contents\"><h2>Contents</h2><ol><li><a href=\"#operations\">Operations</a>");
    let multi: Vec<(usize, &crate::characterise::Operation)> =
        det.operations.iter().enumerate().filter(|(_, o)| o.networks.len() > 1).take(SECTIONS_MAX).collect();
    if !multi.is_empty() {
        out.push_str("<ol>");
        for (i, op) in multi {
            let _ = write!(
                out,
                "<li><a href=\"#op-{i}\">Operation {}</a> <span class=\"muted small\">{} networks, {} accounts</span></li>",
                E(&op.id),
                op.networks.len(),
                thousands(op.accounts as u64)
            );
        }
        out.push_str("</ol>");
    }
    out.push_str("</li><li><a href=\"#overview\">Networks</a>");
    if !det.networks.is_empty() {
        out.push_str("<ol>");
        for (i, net) in det.networks.iter().enumerate().take(SECTIONS_MAX) {
            let _ = write!(
                out,
                "<li><a href=\"#net-{i}\">Network {}</a> <span class=\"muted small\">{} accounts</span></li>",
                E(&net.id),
                thousands(net.accounts as u64)
            );
        }
        out.push_str("</ol>");
    }
    out.push_str("</li><li><a href=\"#set-aside\">Set aside: authentic crowds</a></li>");
    out.push_str("<li><a href=\"#how-to-read\">How to read this report, and what next</a></li></ol></nav>\n");
}

/// What the scores mean, which signals and windows the run used, and the commands that
/// take an analyst further.
fn how_to_read(out: &mut String, det: &Detection) {
    out.push_str(
        "<section class=\"card\" id=\"how-to-read\"><h2>How to read this report, and what next</h2>\
         <h3>Scores</h3><ul>\
         <li><b>Surprise</b> of an edge (per signal, in edges.csv and the graph files): −log10 p, the \
         probability that two accounts acted together this often by chance under a null model that \
         keeps each account's activity and each item's popularity; only edges passing a Bonferroni \
         threshold over all pairs tested are kept. 2 means 1 in 100, 10 means 1 in 10 billion.</li>\
         <li><b>Weight</b> of an edge: Σ ln(1 + surprise) over the signals that tie the pair.</li>\
         <li><b>Coordination score</b> of an account (0–1): 1 − e^(−s/10), s the surprise of its strongest \
         tie inside its group.</li>\
         <li><b>Confidence</b> of a network (0–1): the median member's coordination score, damped for \
         small groups (× 1 − e^(−accounts/5): 0.63 for 5 accounts, 0.98 for 20), and by a quarter when \
         the screen found no indicator of inauthenticity.</li>\
         <li><b>Inauthenticity score</b> of an account (0–1): the mean of the indicators the data can \
         measure (creation batch, handle pattern, default profile, follower shape, automation, \
         amplification share; indicators.csv).</li>\
         <li><b>Attributed</b> accounts (accounts.csv signals <code>attributed;…</code>, attributions.json): too \
         quiet for the co-action signals, joined to a network on at least two independent kinds of \
         account-level evidence (creation wave, handle or profile template, client, what little they did); \
         their coordination score is 1 − e^(−s/10) with s = −log10 of the candidates expected to match the same \
         evidence by chance.</li>\
         <li><b>Operations</b> (operations.json, accounts.csv <code>operation_id</code>): networks tied by an \
         actor's fingerprints, each pair linked both ways with a link score of at least 0.6 and two content \
         fingerprints.</li></ul>",
    );
    out.push_str("<h3>Signals and windows of this run</h3><table><thead><tr><th>Signal</th><th class=\"n\">Window</th><th>What it is</th></tr></thead><tbody>");
    for s in &det.signals {
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td class=\"n\">{} s</td><td>{}</td></tr>",
            s.name,
            s.window_ms / 1000,
            E(s.kind.doc())
        );
    }
    out.push_str(
        "</tbody></table><p class=\"muted small\">Every option of the run (chance model, clustering, \
         screen, timeline, narratives) is in run.json under <code>options</code>.</p>\
         <h3>Next steps</h3><ul>\
         <li><code>cibscan explain ACCOUNT --run DIR</code>: an account's strongest co-actors per signal \
         and the posts they shared, with both times.</li>\
         <li><code>cibscan link --run DIR --prior NAME=PATH</code>: links to earlier takedowns.</li>\
         <li><code>cibscan assess --list LIST --run DIR --out OUT</code>: a third party's list, verdict and \
         reasons per account.</li>\
         <li><code>cibscan export takedown|indicators --run DIR</code>, <code>cibscan export disclosure \
         --run DIR --network ID --out FOLDER</code>: takedown list, published indicators, a hashed \
         disclosure dataset.</li></ul></section>\n",
    );
}

/// Writes [`render_report`] to `path`.
pub fn write_report(path: &Path, data: &Dataset, det: &Detection) -> std::io::Result<()> {
    std::fs::write(path, render_report(data, det))
}

/// Operations lead: the networks grouped by the actor's fingerprints, one row each, then a
/// section for every operation of several networks (its cells, what ties them, its time
/// line and narratives as a whole).
fn operations(out: &mut String, det: &Detection) {
    out.push_str("<section class=\"card\" id=\"operations\"><h2>Operations</h2>");
    if det.operations.is_empty() {
        out.push_str("<p class=\"muted\">None.</p></section>\n");
        return;
    }
    out.push_str(
        "<p class=\"muted small\">An operation is one actor: networks (cells) that share the actor's fingerprints \
         (templates and texts, links, hashtags, handle patterns, clients, hours), tested like links to earlier \
         takedowns. Attributed: quiet accounts joined to a network on account-level evidence.</p>\
         <div class=\"scroll\"><table><thead><tr><th>Operation</th><th>Networks</th><th class=\"n\">Accounts</th>\
         <th class=\"n\">Core / amplifier</th><th class=\"n\">Attributed</th><th class=\"n\">Posts</th><th>First</th><th>Last</th>\
         <th>Activity</th><th class=\"n\">Internal share</th><th class=\"n\">Breakout</th><th>Linked to</th></tr></thead><tbody>",
    );
    let mut section = 0;
    for op in &det.operations {
        let _ = write!(out, "<tr><td class=\"nowrap\">");
        if op.networks.len() > 1 && section < SECTIONS_MAX {
            let _ = write!(out, "<a href=\"#op-{section}\"><b>{}</b></a>", E(&op.id));
            section += 1;
        } else {
            let _ = write!(out, "<b>{}</b>", E(&op.id));
        }
        let cells: Vec<String> = op
            .networks
            .iter()
            .map(|id| match det.networks.iter().position(|n| &n.id == id) {
                Some(k) if k < SECTIONS_MAX => format!("<a href=\"#net-{k}\">{}</a>", E(id)),
                _ => E(id).to_string(),
            })
            .collect();
        let _ = write!(out, "</td><td>{}</td>", cells.join(", "));
        size_cells(out, [op.accounts, op.core_accounts, op.amplifier_accounts], Some(op.attributed_accounts), op.posts);
        period_cells(out, op.first_post.as_deref(), op.last_post.as_deref());
        svg::sparkline(out, &op.timeline.daily, 120.0, 22.0, svg::BAR);
        let linked: Vec<String> =
            op.links.iter().filter(|l| l.linked).map(|l| E(&clip(&l.operation, 40)).to_string()).collect();
        let _ = write!(
            out,
            "</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            pct(measured_share(&op.traction)),
            op.breakout.as_ref().map_or_else(|| "—".to_string(), |b| b.category.to_string()),
            if linked.is_empty() { "—".to_string() } else { linked.join(", ") }
        );
    }
    out.push_str("</tbody></table></div></section>\n");
    for (i, op) in det.operations.iter().filter(|o| o.networks.len() > 1).take(SECTIONS_MAX).enumerate() {
        let _ = write!(
            out,
            "<section class=\"card net\" id=\"op-{i}\"><div class=\"nethead\"><h2>Operation {}</h2><span class=\"muted\">confidence {:.2}</span></div>",
            E(&op.id),
            op.confidence
        );
        let _ = write!(
            out,
            "<p class=\"summary\">{} networks that do not act together but share one actor's fingerprints: {} accounts \
             ({} core, {} amplifiers, {} of them attributed) posted {} times from {} to {}.",
            op.networks.len(),
            thousands(op.accounts as u64),
            thousands(op.core_accounts as u64),
            thousands(op.amplifier_accounts as u64),
            thousands(op.attributed_accounts as u64),
            thousands(op.posts),
            E(&datetime(op.first_post.as_deref())),
            E(&datetime(op.last_post.as_deref()))
        );
        let tl = &op.timeline;
        if !tl.dormant_periods.is_empty() {
            let _ = write!(
                out,
                " Dormant {}; re-emerged {}.",
                tl.dormant_periods
                    .iter()
                    .map(|d| format!("{} – {}", E(&d.start), E(&d.end)))
                    .collect::<Vec<_>>()
                    .join(", "),
                if tl.reemergence.is_empty() { "—".to_string() } else { E(&tl.reemergence.join(", ")).to_string() }
            );
        }
        for r in tl.ramps.iter().take(3) {
            let _ = write!(
                out,
                " Activity ramped up from {} ({:.0} to {:.0} posts a day by {}).",
                E(&r.onset),
                r.from_per_day,
                r.to_per_day,
                E(&r.end)
            );
        }
        out.push_str(
            "</p><div class=\"panel\"><h3>What ties the cells</h3><div class=\"scroll\"><table><thead><tr>\
             <th>Cells</th><th class=\"n\">Score</th><th>Shared fingerprints</th></tr></thead><tbody>",
        );
        for t in &op.ties {
            let _ = write!(
                out,
                "<tr><td class=\"nowrap\">{} – {}</td><td class=\"n\">{:.2}</td><td><ul class=\"plain\">",
                E(&t.networks[0]),
                E(&t.networks[1]),
                t.score
            );
            for ev in t.evidence.iter().take(4) {
                let _ = write!(
                    out,
                    "<li><b>{}</b> {:.2}: {}</li>",
                    E(&ev.fingerprint),
                    ev.similarity,
                    E(&clip(&ev.detail, 240))
                );
            }
            out.push_str("</ul></td></tr>");
        }
        out.push_str("</tbody></table></div></div>");
        activity_panel(out, tl, &op.narratives, "the operation");
        narratives(out, &op.narratives, "operations.json");
        let _ = writeln!(
            out,
            "<p class=\"muted small\">Next: <code>cibscan explain {} --run DIR</code> (what ties the cells), \
             <code>cibscan export disclosure --run DIR --network {} --out FOLDER</code> (all its cells); DIR is this \
             report's folder.</p></section>",
            E(&op.id),
            E(&op.id)
        );
    }
}

/// Table cells of a group's size: accounts, core / amplifier, attributed (operations), posts.
fn size_cells(out: &mut String, [accounts, core, amplifiers]: [usize; 3], attributed: Option<usize>, posts: u64) {
    let _ = write!(
        out,
        "<td class=\"n\">{}</td><td class=\"n\"><span class=\"role core\">{}</span> / <span class=\"role amplifier\">{}</span></td>",
        thousands(accounts as u64),
        thousands(core as u64),
        thousands(amplifiers as u64)
    );
    if let Some(a) = attributed {
        let _ = write!(out, "<td class=\"n\">{}</td>", thousands(a as u64));
    }
    let _ = write!(out, "<td class=\"n\">{}</td>", thousands(posts));
}

/// Table cells of a group's first and last post (days), then the opening of the activity cell.
fn period_cells(out: &mut String, first: Option<&str>, last: Option<&str>) {
    let _ = write!(out, "<td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td>", E(date(first)), E(date(last)));
}

fn overview(out: &mut String, det: &Detection) {
    out.push_str("<section class=\"card\" id=\"overview\"><h2>Networks</h2>");
    if det.networks.is_empty() {
        out.push_str("<p class=\"muted\">None.</p></section>\n");
        return;
    }
    out.push_str(
        "<p class=\"muted small\">Each row links to the network's section. Internal share: share of the engagement \
         with the network's posts that comes from its own members.</p><div class=\"scroll\"><table><thead><tr>\
         <th>Network</th><th class=\"n\">Accounts</th><th class=\"n\">Core / amplifier</th><th class=\"n\">Posts</th>\
         <th>First</th><th>Last</th><th>Activity</th><th>Screening</th><th class=\"n\">Internal share</th>\
         <th>Time zone</th><th>Top narrative</th>",
    );
    let any_links = det.networks.iter().any(|n| n.links.iter().any(|l| l.linked));
    if any_links {
        out.push_str("<th>Linked to</th>");
    }
    out.push_str("</tr></thead><tbody>");
    for (i, net) in det.networks.iter().enumerate() {
        let _ = write!(out, "<tr><td class=\"nowrap\">");
        if i < SECTIONS_MAX {
            let _ = write!(out, "<a href=\"#net-{i}\"><b>{}</b></a>", E(&net.id));
        } else {
            let _ = write!(out, "<b>{}</b>", E(&net.id));
        }
        out.push_str("</td>");
        size_cells(out, [net.accounts, net.core_accounts, net.amplifier_accounts], None, net.posts);
        period_cells(out, net.first_post.as_deref(), net.last_post.as_deref());
        svg::sparkline(out, &net.timeline.daily, 120.0, 22.0, svg::BAR);
        out.push_str("</td><td>");
        verdict_badge(out, net.screening.verdict);
        let _ = write!(
            out,
            "</td><td class=\"n\">{}</td><td class=\"nowrap\">{}</td><td>{}</td>",
            pct(measured_share(&net.traction)),
            svg::tz_label(net.timeline.timezone.as_ref()),
            top_narrative(net).map_or_else(|| "—".to_string(), |n| E(&clip(&n.label, 60)).to_string())
        );
        if any_links {
            let linked: Vec<String> =
                net.links.iter().filter(|l| l.linked).map(|l| E(&clip(&l.operation, 40)).to_string()).collect();
            let _ = write!(out, "<td>{}</td>", if linked.is_empty() { "—".to_string() } else { linked.join(", ") });
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div></section>\n");
}

#[allow(clippy::too_many_arguments)]
fn network_section(
    out: &mut String,
    data: &Dataset,
    (index_of_posts, rows): (&crate::model::PostIndex, &[u32]),
    det: &Detection,
    index: usize,
    net: &Network,
    edges: &[(u32, u32, f64)],
    posts: &[u64],
    max_nodes: usize,
) {
    let tl = &net.timeline;
    let _ = write!(
        out,
        "<section class=\"card net\" id=\"net-{index}\"><div class=\"nethead\"><h2>Network {}</h2>",
        E(&net.id)
    );
    verdict_badge(out, net.screening.verdict);
    let _ = write!(out, "<span class=\"muted\">confidence {:.2}</span></div>", net.confidence);

    network_summary(out, net, &det.operations);

    links(out, net);

    activity_panel(out, tl, &net.narratives, "the network");

    // Picture | hour of week + signals.
    out.push_str("<div class=\"grid\"><div class=\"panel\"><h3>Coordination graph</h3><figure>");
    let max_edges = max_nodes * (MAX_EDGES / MAX_NODES);
    let caption = graph::picture(out, data, det, net, edges, 0x5EED_0000 + index as u64, max_nodes, max_edges);
    let _ = write!(
        out,
        "<div class=\"legend\"><span class=\"dot\" style=\"background:{}\"></span>core<span class=\"dot\" style=\"background:{}\"></span>amplifier</div><figcaption>{}</figcaption></figure></div>",
        svg::CORE,
        svg::AMPLIFIER,
        E(&caption)
    );
    out.push_str("<div class=\"panel\"><h3>When it posts</h3>");
    svg::heatmap(out, &tl.hour_of_week, tl.timezone.as_ref());
    match &tl.timezone {
        Some(tz) => {
            let _ = write!(
                out,
                "<figcaption>Posts by hour of the week in local time at {} (best fit); the dashed box is Mon–Fri 09–18 local, holding {} of posts. Hover a cell for counts and UTC.</figcaption>",
                svg::tz_label(Some(tz)),
                pct(Some(tz.office_hours_share))
            );
        }
        None => out.push_str("<figcaption>Posts by hour of the week (UTC).</figcaption>"),
    }
    let mut sig: Vec<(String, u64)> = net.signals.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    sig.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    sig.retain(|s| s.1 > 0);
    if !sig.is_empty() {
        out.push_str(
            "<h3 style=\"margin-top:18px\">Signals <span class=\"muted small\">internal edges per signal</span></h3>",
        );
        svg::hbars(out, &sig, "#5b6b8c", 140.0);
    }
    let mut langs: Vec<(&String, &u64)> = net.languages.iter().collect();
    langs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    if !langs.is_empty() {
        let rows: Vec<(String, u64)> = langs.iter().take(6).map(|(k, v)| ((*k).clone(), **v)).collect();
        out.push_str("<h3 style=\"margin-top:18px\">Languages <span class=\"muted small\">posts</span></h3>");
        svg::hbars(out, &rows, "#8a9bb8", 140.0);
    }
    out.push_str("</div></div>");

    // Screening | traction + creation waves.
    out.push_str("<div class=\"grid\"><div class=\"panel\"><h3>Authenticity screen</h3><p>Verdict: ");
    verdict_badge(out, net.screening.verdict);
    out.push_str("</p>");
    reasons(out, &net.screening);
    let ev = &net.evidence;
    let _ = write!(
        out,
        "<dl class=\"kv\"><dt>Created in creation waves</dt><dd>{}</dd><dt>Median account age at first post</dt><dd>{}</dd><dt>Default profiles</dt><dd>{}</dd></dl></div>",
        pct(ev.creation_wave_share),
        ev.median_account_age_days.map_or_else(|| "—".to_string(), |d| format!("{d:.0} days")),
        pct(ev.default_profile_share)
    );
    let tr = &net.traction;
    out.push_str("<div class=\"panel\"><h3>Traction</h3>");
    if let Some(s) = tr.internal_engagement_share {
        svg::split_bar(out, s, svg::CORE, "#12b76a");
        let _ = write!(
            out,
            "<div class=\"legend\"><span class=\"sw\" style=\"background:{}\"></span>from members {}<span class=\"sw\" style=\"background:#12b76a\"></span>from outside {}</div>",
            svg::CORE,
            pct(Some(s)),
            pct(Some(1.0 - s))
        );
    }
    let _ = write!(
        out,
        "<dl class=\"kv\"><dt>Engagements in the data</dt><dd>{}</dd><dt>From outside the network</dt><dd>{}</dd><dt>Outside engagers</dt><dd>{}</dd><dt>Posts with no engagement</dt><dd>{}</dd></dl>",
        thousands(tr.engagements),
        thousands(tr.external_engagements),
        thousands(tr.external_engagers),
        pct(tr.zero_engagement_share)
    );
    if let Some(b) = &net.breakout {
        let _ = write!(out, "<h3 style=\"margin-top:14px\">Breakout Scale: category {}</h3><ul>", b.category);
        for e in &b.evidence {
            let _ = write!(out, "<li>{}</li>", html_escape(e));
        }
        out.push_str("</ul>");
    }
    out.push_str("<h3 style=\"margin-top:14px\">Account creation waves</h3>");
    if ev.creation_waves.is_empty() {
        let _ = write!(
            out,
            "<p class=\"muted\">{}</p>",
            if ev.creation_wave_share.is_some() {
                "No creation wave."
            } else {
                "No account creation dates in the data."
            }
        );
    } else {
        let mut waves: Vec<&crate::characterise::screen::CreationWave> = ev.creation_waves.iter().collect();
        if waves.len() > WAVES_MAX {
            waves.sort_by(|a, b| b.accounts.cmp(&a.accounts).then(a.date.cmp(&b.date)));
            waves.truncate(WAVES_MAX);
            waves.sort_by(|a, b| a.date.cmp(&b.date));
        }
        let rows: Vec<(String, u64)> = waves.iter().map(|w| (w.date.clone(), w.accounts)).collect();
        svg::hbars(out, &rows, svg::CORE, 90.0);
        let total: u64 = ev.creation_waves.iter().map(|w| w.accounts).sum();
        let _ = write!(
            out,
            "<figcaption>Accounts created per wave day{}: {} accounts on {} days.</figcaption>",
            if ev.creation_waves.len() > WAVES_MAX {
                format!(" (the {WAVES_MAX} largest shown)")
            } else {
                String::new()
            },
            thousands(total),
            ev.creation_waves.len()
        );
    }
    out.push_str("</div></div>");

    narratives(out, &net.narratives, "networks.json");
    evidence_content(out, data, index_of_posts, rows);
    top_accounts(out, data, det, net, posts);
    // The next step, with this network's strongest account.
    let score = |a: u32| det.coordination_score.get(a as usize).copied().unwrap_or(0.0);
    let top = net.members.iter().copied().max_by(|&a, &b| score(a).total_cmp(&score(b)).then(b.cmp(&a)));
    out.push_str("<p class=\"muted small\">Next: ");
    if let Some(a) = top {
        let _ = write!(
            out,
            "<code>cibscan explain {} --run DIR</code> (why its strongest account is in it), ",
            E(&clip(data.accounts.key.get(a), 80))
        );
    }
    let _ = writeln!(
        out,
        "<code>cibscan export disclosure --run DIR --network {} --out FOLDER</code>, \
         <code>cibscan export takedown --run DIR</code>; DIR is this report's folder.</p></section>",
        E(&net.id)
    );
}

/// A network's one-sentence summary and its key facts (size, posts, engagement, time zone,
/// language): the head of its section in the report and of its page in the web UI.
pub fn network_summary(out: &mut String, net: &Network, operations: &[crate::characterise::Operation]) {
    let tl = &net.timeline;
    // One-sentence summary.
    out.push_str("<p class=\"summary\">");
    let _ = write!(
        out,
        "{} accounts ({} core, {} amplifiers) posted {} times from {} to {}.",
        thousands(net.accounts as u64),
        thousands(net.core_accounts as u64),
        thousands(net.amplifier_accounts as u64),
        thousands(net.posts),
        E(&datetime(net.first_post.as_deref())),
        E(&datetime(net.last_post.as_deref()))
    );
    if net.attributed_accounts > 0 {
        let _ = write!(
            out,
            " {} of the accounts were attributed on account-level evidence (too quiet for the co-action signals).",
            thousands(net.attributed_accounts as u64)
        );
    }
    if let Some(op) = operations.iter().find(|o| o.id == net.operation && o.networks.len() > 1) {
        let others: Vec<&str> = op.networks.iter().filter(|n| **n != net.id).map(String::as_str).collect();
        let _ = write!(out, " A cell of operation {} with {}.", E(&op.id), E(&others.join(", ")));
    }
    let plural = |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
    if !tl.bursts.is_empty() || !tl.dormant_periods.is_empty() {
        let _ = write!(
            out,
            " {} and {}{}.",
            plural(tl.bursts.len(), "burst", "bursts"),
            plural(tl.dormant_periods.len(), "dormant period", "dormant periods"),
            if tl.reemergence.is_empty() { String::new() } else { format!(", re-emerging {}", tl.reemergence.len()) }
                + if tl.reemergence.len() == 1 {
                    " time"
                } else if tl.reemergence.is_empty() {
                    ""
                } else {
                    " times"
                }
        );
    }
    for r in tl.ramps.iter().take(3) {
        let _ = write!(
            out,
            " Activity ramped up from {} ({:.0} to {:.0} posts a day by {}).",
            E(&r.onset),
            r.from_per_day,
            r.to_per_day,
            E(&r.end)
        );
    }
    if let Some(tz) = &tl.timezone {
        let _ = write!(
            out,
            " Posting hours fit office hours in {} ({} of posts Mon–Fri 09–18 local).",
            svg::tz_label(Some(tz)),
            pct(Some(tz.office_hours_share))
        );
    }
    out.push_str("</p><div class=\"facts\">");
    let mut langs: Vec<(&String, &u64)> = net.languages.iter().collect();
    langs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let facts: [(String, &str); 6] = [
        (thousands(net.accounts as u64), "accounts"),
        (thousands(net.posts), "posts"),
        (pct(measured_share(&net.traction)), "internal engagement"),
        (thousands(net.traction.external_engagers), "outside engagers"),
        (svg::tz_label(tl.timezone.as_ref()), "best-fit time zone"),
        (langs.first().map_or_else(|| "—".to_string(), |l| E(&clip(l.0, 20)).to_string()), "main language"),
    ];
    for (v, label) in facts {
        let _ = write!(out, "<div class=\"fact\"><b>{v}</b><span>{label}</span></div>");
    }
    out.push_str("</div>");
}

/// Links to earlier takedowns (`detect --prior`), strongest first as the link stage gives them.
pub fn links(out: &mut String, net: &Network) {
    if net.links.is_empty() {
        return;
    }
    out.push_str(
        "<div class=\"panel\" style=\"margin-top:14px\"><h3>Links to earlier takedowns</h3><div class=\"scroll\"><table>\
         <thead><tr><th>Operation</th><th class=\"n\">Score</th><th>Linked</th><th>Evidence</th></tr></thead><tbody>",
    );
    for l in &net.links {
        let _ = write!(
            out,
            "<tr><td><b>{}</b></td><td class=\"n\">{:.2}</td><td>{}</td><td>{}<ul class=\"reasons\">",
            E(&clip(&l.operation, CLIP)),
            l.score,
            if l.linked {
                "<span class=\"badge v-inauthentic\">same actor</span>"
            } else {
                "<span class=\"muted\">not linked</span>"
            },
            // The evidence against a link is folded away.
            if l.linked { "" } else { "<details><summary>evidence</summary>" }
        );
        for e in l.evidence.iter().take(8) {
            let _ =
                write!(out, "<li><b>{}</b> {:.2}: {}</li>", E(&e.fingerprint), e.similarity, E(&clip(&e.detail, 200)));
        }
        out.push_str(if l.linked { "</ul></td></tr>" } else { "</ul></details></td></tr>" });
    }
    out.push_str("</tbody></table></div></div>");
}

pub fn reasons(out: &mut String, s: &crate::characterise::screen::Screening) {
    if !s.indicators.is_empty() {
        out.push_str("<div class=\"small muted\">Indicators of inauthenticity</div><ul class=\"reasons ind\">");
        for r in &s.indicators {
            let _ = write!(out, "<li>{}</li>", E(r));
        }
        out.push_str("</ul>");
    }
    if !s.authenticity.is_empty() {
        out.push_str("<div class=\"small muted\">Evidence of an authentic crowd</div><ul class=\"reasons auth\">");
        for r in &s.authenticity {
            let _ = write!(out, "<li>{}</li>", E(r));
        }
        out.push_str("</ul>");
    }
    if s.indicators.is_empty() && s.authenticity.is_empty() {
        out.push_str("<p class=\"muted\">The data holds no evidence either way.</p>");
    }
}

fn tags(out: &mut String, items: &[String], class: &str, prefix: &str, max: usize) {
    out.push_str("<div class=\"tags\">");
    for t in items.iter().take(max) {
        let _ = write!(out, "<span class=\"{class}\">{prefix}{}</span>", E(&clip(t, 40)));
    }
    out.push_str("</div>");
}

/// The daily series with bursts, dormancy and re-emergence, and the ramps of the whole
/// (`whole`: "the network", "the operation") and of its narratives.
pub fn activity_panel(
    out: &mut String,
    tl: &Timeline,
    narratives: &[crate::characterise::narratives::Narrative],
    whole: &str,
) {
    let plural = |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
    out.push_str("<div class=\"panel\" style=\"margin-top:14px\"><h3>Activity over time</h3>");
    svg::timeline(out, tl);
    let _ = write!(
        out,
        "<div class=\"legend\"><span class=\"sw\" style=\"background:{}\"></span>posts per day (UTC)\
         <span class=\"sw\" style=\"background:{};opacity:.5\"></span>burst\
         <span class=\"sw\" style=\"background:#d0d5dd\"></span>dormant\
         <span class=\"sw\" style=\"background:{}\"></span>re-emergence</div>",
        svg::BAR,
        svg::BURST,
        svg::REEMERGE
    );
    if !tl.bursts.is_empty() || !tl.dormant_periods.is_empty() {
        let _ = write!(
            out,
            "<details><summary>{} and {}</summary><div class=\"grid\" style=\"margin-top:4px\"><div><table><thead><tr><th>Burst</th><th>Peak</th><th class=\"n\">Posts</th><th class=\"n\">Baseline</th></tr></thead><tbody>",
            plural(tl.bursts.len(), "burst", "bursts"),
            plural(tl.dormant_periods.len(), "dormant period", "dormant periods")
        );
        for b in &tl.bursts {
            let _ = write!(
                out,
                "<tr><td class=\"nowrap\">{} – {}</td><td class=\"nowrap\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:.0}</td></tr>",
                E(&b.start),
                E(&b.end),
                E(&b.peak),
                thousands(b.posts),
                b.expected
            );
        }
        out.push_str("</tbody></table></div><div><table><thead><tr><th>Dormant</th><th class=\"n\">Days</th><th>Re-emerged</th></tr></thead><tbody>");
        for (k, d) in tl.dormant_periods.iter().enumerate() {
            let _ = write!(
                out,
                "<tr><td class=\"nowrap\">{} – {}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                E(&d.start),
                E(&d.end),
                d.days,
                E(tl.reemergence.get(k).map_or("—", |s| s.as_str()))
            );
        }
        out.push_str("</tbody></table></div></div></details>");
    }
    // Sustained rises, of the network and of its narratives.
    let narrative_ramps: Vec<(&str, &crate::characterise::timeline::Ramp)> =
        narratives.iter().flat_map(|n| n.ramps.iter().map(move |r| (n.label.as_str(), r))).collect();
    if !tl.ramps.is_empty() || !narrative_ramps.is_empty() {
        let _ = write!(
            out,
            "<details><summary>{}</summary><table><thead><tr><th>Of</th><th>Onset</th><th>Until</th><th class=\"n\">Posts/day from</th><th class=\"n\">to</th></tr></thead><tbody>",
            plural(tl.ramps.len() + narrative_ramps.len(), "ramp", "ramps")
        );
        let all = tl.ramps.iter().map(|r| (whole, r)).chain(narrative_ramps.iter().copied());
        for (of, r) in all {
            let _ = write!(
                out,
                "<tr><td>{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td class=\"n\">{:.1}</td><td class=\"n\">{:.1}</td></tr>",
                E(&clip(of, 60)),
                E(&r.onset),
                E(&r.end),
                r.from_per_day,
                r.to_per_day
            );
        }
        out.push_str("</tbody></table></details>");
    }
    out.push_str("</div>");
}

pub fn narratives(out: &mut String, list: &[crate::characterise::narratives::Narrative], file: &str) {
    out.push_str("<div class=\"panel\" style=\"margin-top:18px\"><h3>Narratives</h3>");
    if list.is_empty() {
        out.push_str("<p class=\"muted\">No narratives identified.</p></div>");
        return;
    }
    out.push_str(
        "<div class=\"scroll\"><table><thead><tr><th>Narrative</th><th>Terms</th><th>Hashtags</th><th class=\"n\">Posts</th>\
         <th>First</th><th>Last</th><th>Over time</th></tr></thead><tbody>",
    );
    for nar in list.iter().take(NARRATIVES_MAX) {
        let _ = write!(out, "<tr><td><b>{}</b></td><td>", E(&clip(&nar.label, CLIP)));
        tags(out, &nar.terms, "tag", "", 10);
        out.push_str("</td><td>");
        tags(out, &nar.hashtags, "tag h", "#", 8);
        let _ = write!(
            out,
            "</td><td class=\"n\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td>",
            thousands(nar.posts),
            E(&nar.first),
            E(&nar.last)
        );
        svg::sparkline(out, &nar.daily, 160.0, 26.0, "#5b6b8c");
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table></div>");
    if list.len() > NARRATIVES_MAX {
        let _ = write!(
            out,
            "<p class=\"muted small\">{NARRATIVES_MAX} of {} narratives shown; all are in {file}.</p>",
            list.len()
        );
    }
    out.push_str("</div>");
}

fn account_row(out: &mut String, data: &Dataset, det: &Detection, a: u32, posts: &[u64]) {
    let i = a as usize;
    let (role_class, role_name) = match det.role.get(i).copied().flatten() {
        Some(Role::Core) => ("core", "core"),
        Some(Role::Amplifier) => ("amplifier", "amplifier"),
        None => ("", "—"),
    };
    let name = data.strings.opt(data.accounts.screen_name[i]).unwrap_or("");
    let display = data.strings.opt(data.accounts.display_name[i]).unwrap_or("");
    let _ = write!(
        out,
        "<tr><td class=\"small\">{}</td><td>{}{}{}</td><td><span class=\"role {role_class}\">{role_name}</span></td><td class=\"n\">{:.3}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"small\">{}</td></tr>",
        E(&clip(data.accounts.key.get(a), 48)),
        if name.is_empty() { String::new() } else { format!("@{}", E(&clip(name, CLIP))) },
        if display.is_empty() { "" } else { " <span class=\"muted small\">" },
        if display.is_empty() { String::new() } else { format!("{}</span>", E(&clip(display, CLIP))) },
        det.coordination_score.get(i).copied().unwrap_or(0.0),
        det.indicators.get(i).and_then(|ind| ind.score()).map_or_else(|| "—".to_string(), |s| format!("{s:.2}")),
        thousands(posts.get(i).copied().unwrap_or(0)),
        E(&det.signal_names(a).replace(';', ", "))
    );
}

/// Items shown per kind of evidence content.
const CONTENT_SHOWN: usize = 5;

/// What a network pushed: the posts its accounts retweeted most, the URLs, domains and
/// hashtags most of its accounts shared — each with how many accounts, when, and who.
fn evidence_content(out: &mut String, data: &Dataset, index: &crate::model::PostIndex, rows: &[u32]) {
    use std::collections::{BTreeSet, HashMap};
    #[derive(Default)]
    struct Item {
        accounts: BTreeSet<u32>,
        posts: u64,
        first: i64,
        last: i64,
    }
    let p = &data.posts;
    let mut kinds: [HashMap<String, Item>; 4] = Default::default();
    let mut note = |k: usize, key: String, a: u32, t: i64| {
        let it = kinds[k].entry(key).or_insert_with(|| Item { first: i64::MAX, last: i64::MIN, ..Default::default() });
        it.accounts.insert(a);
        it.posts += 1;
        it.first = it.first.min(t);
        it.last = it.last.max(t);
    };
    for &i in rows {
        let i = i as usize;
        let a = p.account[i];
        let t = p.time_ms[i];
        if p.kind[i] == crate::model::PostKind::Retweet && p.ref_post[i] != crate::model::NO_POST {
            let what = match index.row(p.ref_post[i]) {
                Some(r) => format!("{} (post {})", clip(p.text.get(r), 90), p.ref_post[i]),
                None => format!("post {}", p.ref_post[i]),
            };
            note(0, what, a, t);
        }
        let mut seen = BTreeSet::new();
        for &u in p.urls.row(i) {
            if let Some((url, domain)) = data.strings.opt(u).and_then(crate::signals::traces::normalise_url) {
                if seen.insert(url.clone()) {
                    note(1, url, a, t);
                    note(2, domain, a, t);
                }
            }
        }
        for &h in p.hashtags.row(i) {
            if let Some(tag) = data.strings.opt(h) {
                note(3, format!("#{tag}"), a, t);
            }
        }
    }
    let day = |t: i64| crate::ingest::parse::format_day(t);
    let handle = |a: u32| data.strings.opt(data.accounts.screen_name[a as usize]).unwrap_or(data.accounts.key.get(a));
    out.push_str(
        "<div class=\"panel\" style=\"margin-top:18px\"><h3>Evidence content <span class=\"muted small\">\
         what its accounts pushed, by how many of them</span></h3>",
    );
    for (k, title) in ["Most retweeted posts", "URLs", "Domains", "Hashtags"].iter().enumerate() {
        let mut items: Vec<(&String, &Item)> = kinds[k].iter().collect();
        items.sort_by(|a, b| {
            b.1.accounts.len().cmp(&a.1.accounts.len()).then(b.1.posts.cmp(&a.1.posts)).then(a.0.cmp(b.0))
        });
        let _ = write!(
            out,
            "<div class=\"scroll\" style=\"margin-top:8px\"><table><thead><tr><th>{title}</th><th class=\"n\">Accounts</th><th class=\"n\">Posts</th><th>When</th><th>For example</th></tr></thead><tbody>"
        );
        if items.is_empty() {
            out.push_str("<tr><td colspan=\"5\" class=\"muted\">none</td></tr>");
        }
        for (what, it) in items.into_iter().take(CONTENT_SHOWN) {
            let who: Vec<String> = it.accounts.iter().take(3).map(|&a| format!("@{}", handle(a))).collect();
            let _ = write!(
                out,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"nowrap\">{} – {}</td><td>{}</td></tr>",
                E(&clip(what, 120)),
                thousands(it.accounts.len() as u64),
                thousands(it.posts),
                E(&day(it.first)),
                E(&day(it.last)),
                E(&clip(&who.join(", "), 80))
            );
        }
        out.push_str("</tbody></table></div>");
    }
    out.push_str("</div>");
}

fn top_accounts(out: &mut String, data: &Dataset, det: &Detection, net: &Network, posts: &[u64]) {
    let score = |a: u32| det.coordination_score.get(a as usize).copied().unwrap_or(0.0);
    let mut top: Vec<u32> = net.members.clone();
    top.sort_by(|&a, &b| score(b).total_cmp(&score(a)).then(a.cmp(&b)));
    top.truncate(TOP_ACCOUNTS_MAX);
    let _ = write!(
        out,
        "<div class=\"panel\" style=\"margin-top:18px\"><h3>Top accounts <span class=\"muted small\">by coordination score, {} of {}</span></h3>",
        top.len().min(TOP_ACCOUNTS_SHOWN),
        thousands(net.accounts as u64)
    );
    const HEAD: &str = "<div class=\"scroll\"><table><thead><tr><th>Account id</th><th>Screen name</th><th>Role</th>\
         <th class=\"n\">Coordination</th><th class=\"n\">Inauthenticity</th><th class=\"n\">Posts</th><th>Signals</th></tr></thead><tbody>";
    out.push_str(HEAD);
    for &a in top.iter().take(TOP_ACCOUNTS_SHOWN) {
        account_row(out, data, det, a, posts);
    }
    out.push_str("</tbody></table></div>");
    if top.len() > TOP_ACCOUNTS_SHOWN {
        let _ = write!(
            out,
            "<details><summary>Show {} more (the top {} in all)</summary>{HEAD}",
            top.len() - TOP_ACCOUNTS_SHOWN,
            top.len()
        );
        for &a in &top[TOP_ACCOUNTS_SHOWN..] {
            account_row(out, data, det, a, posts);
        }
        out.push_str("</tbody></table></div></details>");
    }
    if net.accounts > top.len() {
        out.push_str("<p class=\"muted small\">Every member is listed in accounts.csv.</p>");
    }
    out.push_str("</div>");
}

fn set_aside_section(out: &mut String, data: &Dataset, det: &Detection) {
    out.push_str("<section class=\"card\" id=\"set-aside\"><h2>Set aside: authentic crowds</h2>");
    if det.dismissed.is_empty() {
        out.push_str("<p class=\"muted\">No coordinated group was set aside.</p></section>\n");
        return;
    }
    out.push_str(
        "<p class=\"muted small\">These groups act in coordination, but the authenticity screen found positive evidence \
         of an authentic crowd on every count (e.g. a newsroom or a fandom) and no indicator of inauthenticity. Their \
         members are listed in dismissed.json so an analyst can overrule the screen.</p>\
         <div class=\"scroll\"><table><thead><tr><th>Group</th><th class=\"n\">Accounts</th><th class=\"n\">Posts</th>\
         <th>First</th><th>Last</th><th>Verdict</th><th>Reasons</th><th>Signals</th><th>Accounts, e.g.</th></tr></thead><tbody>",
    );
    for g in &det.dismissed {
        let _ = write!(
            out,
            "<tr><td class=\"nowrap\"><b>{}</b></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td>",
            E(&g.id),
            thousands(g.accounts as u64),
            thousands(g.posts),
            E(date(g.first_post.as_deref())),
            E(date(g.last_post.as_deref()))
        );
        verdict_badge(out, g.screening.verdict);
        out.push_str("</td><td><ul class=\"reasons auth\">");
        for r in &g.screening.authenticity {
            let _ = write!(out, "<li>{}</li>", E(r));
        }
        out.push_str("</ul></td><td class=\"small\">");
        let mut sig: Vec<(&str, u64)> = g.signals.iter().filter(|s| *s.1 > 0).map(|(k, v)| (k.as_str(), *v)).collect();
        sig.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let names: Vec<String> = sig.iter().take(4).map(|(k, _)| E(k).to_string()).collect();
        out.push_str(&names.join(", "));
        out.push_str("</td><td class=\"small\">");
        let score = |a: u32| det.coordination_score.get(a as usize).copied().unwrap_or(0.0);
        let mut top = g.members.clone();
        top.sort_by(|&a, &b| score(b).total_cmp(&score(a)).then(a.cmp(&b)));
        let names: Vec<String> = top
            .iter()
            .take(4)
            .map(|&a| match data.strings.opt(data.accounts.screen_name[a as usize]) {
                Some(n) => format!("@{}", E(&clip(n, 40))),
                None => E(&clip(data.accounts.key.get(a), 40)).to_string(),
            })
            .collect();
        out.push_str(&names.join(", "));
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table></div></section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: [&str; 4] = [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "'><svg onload=alert(1)>",
        "</style><script>alert(2)</script>",
    ];

    #[test]
    fn escaping_covers_text_and_attributes() {
        assert_eq!(html_escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assert_eq!(html_escape("a\u{0}b\u{1b}c\td\ne"), "abc\td\ne");
        assert_eq!(html_escape("香港 Россия عربي"), "香港 Россия عربي");
        assert_eq!(clip("abcdef", 3), "abc…");
        assert_eq!(clip("香港香港", 2), "香港…");
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(100), "100");
    }

    #[test]
    fn dates_round_trip() {
        for s in ["1970-01-01", "2000-02-29", "2020-01-06", "1969-12-31", "2038-01-19"] {
            let d = parse_day(s).unwrap();
            assert_eq!(crate::characterise::timeline::day_string(d), s);
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(format!("{y:04}-{m:02}-{dd:02}"), s);
        }
        assert_eq!(parse_day("2020-01-06"), Some(18_267));
        assert_eq!(parse_day("garbage"), None);
    }

    #[test]
    fn hostile_profiles_and_narratives_are_escaped() {
        let (data, det) = synthetic::synthetic(60, 4, 3, &HOSTILE);
        let html = render_report(&data, &det);
        for h in HOSTILE {
            assert!(!html.contains(h), "unescaped {h}");
        }
        assert!(!html.contains("<script"), "a script element");
        assert!(!html.contains("<img"), "an img element");
        // Escaped text holds no `<`, so every `<` opens real markup: no tag may carry an
        // event handler or load anything.
        for tag in html.split('<').skip(1).map(|t| &t[..t.find('>').unwrap_or(t.len())]) {
            let lower = tag.to_ascii_lowercase();
            let name = lower.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
            assert!(!["script", "img", "iframe", "object", "embed", "link"].contains(&name), "<{tag}>");
            for attr in lower.split_whitespace().skip(1) {
                assert!(!(attr.starts_with("on") && attr.contains('=')), "event handler in <{tag}>");
                assert!(!attr.starts_with("src=") && !attr.starts_with("href=\"http"), "<{tag}>");
            }
        }
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
        assert!(html.contains(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
        ));
        // Every network and set-aside group is there.
        for n in det.networks.iter().chain(&det.dismissed) {
            assert!(html.contains(&format!("<b>{}</b>", E(&n.id))), "{}", n.id);
        }
        assert!(html.contains("Network N1"));
        assert!(html.contains("2 networks of coordinated accounts (85 accounts in all) stand out from 305 accounts"));
        // The report leads with operations: the two networks as cells of O1, and what ties them.
        let (ops, nets) = (html.find("id=\"operations\"").unwrap(), html.find("id=\"overview\"").unwrap());
        assert!(ops < nets);
        let section = &html[html.find("id=\"op-0\"").unwrap()..];
        assert!(section.contains("Operation O1") && section.contains("What ties the cells"));
        assert!(section.contains("N1 – N2"));
        assert!(html.contains("A cell of operation O1 with N2."));
        assert!(html.contains("cibscan explain O1 --run DIR"));
    }

    #[test]
    fn the_report_is_deterministic_and_self_contained() {
        let (data, det) = synthetic::synthetic(300, 6, 11, &[]);
        let a = render_report(&data, &det);
        let b = render_report(&data, &det);
        assert_eq!(a, b);
        for bad in ["<script", "<link", "src=\"http", "href=\"http", "url(http", "@import"] {
            assert!(!a.contains(bad), "{bad}");
        }
        assert!(a.starts_with("<!DOCTYPE html>"));
        assert!(a.ends_with("</html>\n"));
        // A table of contents whose links all land, and the page says how to read it.
        assert!(a.contains("id=\"contents\"") && a.contains("id=\"how-to-read\""));
        for (i, net) in det.networks.iter().enumerate() {
            assert!(a.contains(&format!("<a href=\"#net-{i}\">Network {}</a>", net.id)), "{}", net.id);
            assert!(a.contains(&format!("id=\"net-{i}\"")));
        }
        for s in &det.signals {
            assert!(a.contains(&format!("<td><code>{}</code></td>", s.name)), "{}", s.name);
        }
        assert_eq!(a.matches("<h3>Evidence content").count(), det.networks.len().min(SECTIONS_MAX));
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("report.html");
        write_report(&p, &data, &det).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), a);
    }

    #[test]
    fn a_large_network_is_drawn_in_part() {
        let (data, det) = synthetic::synthetic(10_000, 20, 5, &[]);
        assert_eq!(det.networks[0].accounts, 10_000);
        let html = render_report(&data, &det);
        let section = &html[html.find("id=\"net-0\"").unwrap()..html.find("id=\"net-1\"").unwrap()];
        let circles = section.matches("<circle ").count();
        assert_eq!(circles, MAX_NODES);
        let graph = &section[section.find("<svg class=\"graph\"").unwrap()..];
        let graph = &graph[..graph.find("</svg>").unwrap()];
        let lines = graph.matches('L').count();
        assert_eq!(lines, MAX_EDGES, "edges drawn");
        assert!(section.contains("Showing the 2,000 accounts with the highest fused degree (of 10,000)"));
        // Long tables are cut too.
        let rows = section.matches("<tr><td class=\"small\">").count();
        assert_eq!(rows, TOP_ACCOUNTS_MAX);
    }
}
