//! Commands that act on a finished detection run: explain, link, assess and export. They
//! read the run back (`rundir`) and, when they need posts, the run's input again.

use crate::{read_inputs, rundir, ExportCommand, FormatArg, InputArgs};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// `cibscan assess`.
pub fn assess(list: &Path, run: &Path, out: &Path, min_posts: u64) -> Result<()> {
    use cibscan_core::act::assess;
    let entries = assess::read_list(list)?;
    let loaded = assess::Run::load(&rundir::open(run)?)?;
    let opts = assess::AssessOptions { min_posts, ..Default::default() };
    let rows = assess::assess(&entries, &loaded, &opts);
    let summary = assess::summary(&rows);
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let path = out.join("assessment.csv");
    assess::write_assessment(&path, &rows).with_context(|| format!("writing {}", path.display()))?;
    let path = out.join("assessment.json");
    cibscan_core::run::output::write_json(&path, &summary).with_context(|| format!("writing {}", path.display()))?;
    let networks: Vec<String> = summary.networks.iter().map(|(n, c)| format!("{n} {c}")).collect();
    let why: Vec<String> = summary.why.iter().map(|(w, c)| format!("{w} {c}")).collect();
    outln!(
        "{} listed: {} coordinated ({}), {} not coordinated ({} look ordinary or institutional), {} insufficient \
         data; wrote {}",
        summary.listed,
        summary.coordinated,
        if networks.is_empty() { "none".to_string() } else { networks.join(", ") },
        summary.not_coordinated,
        summary.looks_authentic,
        summary.insufficient_data,
        out.join("assessment.csv").display()
    )?;
    outln!("why: {}", why.join(", "))?;
    Ok(())
}

/// `cibscan link`: rewrites the `links` of the run's networks.json and operations.json and
/// records the priors in run.json.
pub fn link(run: &Path, priors: &[(String, PathBuf)], quiet: bool) -> Result<()> {
    let mut run = rundir::open(run)?;
    let data = rundir::dataset(&run, quiet)?;
    let membership = run.membership(&data)?;
    let members = membership.members();
    let read = read_priors(priors, quiet)?;
    let links = cibscan_core::characterise::link::links(&data, &members, &read);
    let mut networks = run.networks()?;
    for net in &mut networks {
        let i = membership.networks.iter().position(|n| *n == net.id);
        net.links = i.map(|i| links[i].clone()).unwrap_or_default();
    }
    // report.html shows the links too: the run is detected again from its input and
    // options (deterministic) to draw it, and must come out the same.
    let bar = crate::progress::Bar::steps(quiet, "redrawing the report");
    let det = cibscan_core::pipeline::detect(&data, &run.options(), &bar);
    bar.done();
    let mut det = det?;
    let reproduced = det.networks.len() == members.len()
        && det
            .networks
            .iter()
            .all(|n| membership.networks.iter().position(|id| *id == n.id).is_some_and(|i| members[i] == n.members));
    if !reproduced {
        bail!(
            "{}: detecting again from the run's input and options gives other networks; run `cibscan detect` again",
            run.dir().display()
        );
    }
    for net in &mut det.networks {
        net.links = networks.iter().find(|n| n.id == net.id).map(|n| n.links.clone()).unwrap_or_default();
    }
    det.refresh_operation_links();
    // operations.json as written, with each operation's links from its networks.
    let mut operations = run.operations()?;
    for op in &mut operations {
        let nets: Vec<&cibscan_core::pipeline::Network> =
            networks.iter().filter(|n| op.networks.contains(&n.id)).collect();
        op.links = cibscan_core::characterise::operation_links(&nets);
    }
    use cibscan_core::run::file;
    run.replace_output(file::NETWORKS, |p| cibscan_core::run::output::write_json(p, &networks))?;
    run.replace_output(file::OPERATIONS, |p| cibscan_core::run::output::write_json(p, &operations))?;
    run.replace_output(file::REPORT, |p| cibscan_core::report::write_report(p, &data, &det))?;
    run.save_manifest(|m| m.priors = prior_records(priors))?;
    for (id, l) in membership.networks.iter().zip(&links) {
        let said: Vec<String> = l
            .iter()
            .map(|x| format!("{} {:.2}{}", x.operation, x.score, if x.linked { " (linked)" } else { "" }))
            .collect();
        outln!("{id}: {}", said.join(", "))?;
    }
    Ok(())
}

/// An operation: its cells and what ties them, its links to earlier takedowns.
fn print_operation(op: &cibscan_core::act::explain::OperationEvidence) -> Result<()> {
    use cibscan_core::run::output::printable;
    outln!(
        "operation {}: {} accounts ({} attributed) in {} network(s): {}",
        printable(&op.id),
        op.accounts,
        op.attributed_accounts,
        op.networks.len(),
        printable(&op.networks.join(", "))
    )?;
    for t in &op.ties {
        outln!(
            "  {} and {} are cells of one actor (link score {:.2} both ways):",
            printable(&t.networks[0]),
            printable(&t.networks[1]),
            t.score
        )?;
        for ev in &t.evidence {
            outln!("    {} {:.2}: {}", ev.fingerprint, ev.similarity, printable(&ev.detail.replace('\n', " ")))?;
        }
    }
    for l in &op.links {
        outln!("  linked to earlier takedown {} (score {:.2})", printable(&l.operation), l.score)?;
    }
    Ok(())
}

/// The priors as the run manifest records them (absolute paths where they resolve).
pub fn prior_records(priors: &[(String, PathBuf)]) -> Vec<cibscan_core::run::Prior> {
    priors
        .iter()
        .map(|(name, path)| cibscan_core::run::Prior {
            name: name.clone(),
            path: std::fs::canonicalize(path).unwrap_or_else(|_| path.clone()),
        })
        .collect()
}

/// `NAME=PATH` of `--prior`.
pub fn parse_prior(s: &str) -> std::result::Result<(String, PathBuf), String> {
    match s.split_once('=') {
        Some((name, path)) if !name.trim().is_empty() && !path.is_empty() => {
            Ok((name.trim().to_string(), PathBuf::from(path)))
        }
        _ => Err(format!("expected NAME=PATH, got {s:?}")),
    }
}

/// Reads each prior takedown archive.
pub fn read_priors(priors: &[(String, PathBuf)], quiet: bool) -> Result<Vec<(String, cibscan_core::Dataset)>> {
    let mut out = Vec::new();
    for (name, path) in priors {
        let args = InputArgs { inputs: vec![path.clone()], format: FormatArg::Auto, max_errors: 100 };
        let (data, _) = read_inputs(&args, quiet).with_context(|| format!("prior {name}"))?;
        out.push((name.clone(), data));
    }
    Ok(out)
}

pub fn export(what: ExportCommand, quiet: bool) -> Result<()> {
    match what {
        ExportCommand::Takedown { run, out } => {
            let run = rundir::open(&run)?;
            let rows: Vec<_> = run.accounts()?.into_iter().filter(|r| !r.network_id.is_empty()).collect();
            let out = out.unwrap_or_else(|| run.path("takedown.csv"));
            cibscan_core::run::replace_file(&out, |p| cibscan_core::run::output::write_accounts(p, &rows))?;
            outln!("{} accounts in networks; wrote {}", rows.len(), out.display())?;
        }
        ExportCommand::Indicators { run, out } => {
            let run = rundir::open(&run)?;
            let data = rundir::dataset(&run, quiet)?;
            let m = run.membership(&data)?;
            let rows = cibscan_core::act::export::indicators(&data, &m.network_of, &m.networks, &Default::default());
            let out = out.unwrap_or_else(|| run.path("published_indicators.csv"));
            cibscan_core::run::replace_file(&out, |p| cibscan_core::act::export::write_indicators(p, &rows))?;
            use cibscan_core::act::export::IndicatorType;
            let count = |t: IndicatorType| rows.iter().filter(|r| r.indicator_type == t).count();
            outln!(
                "{} accounts, {} domains, {} URLs; wrote {}",
                count(IndicatorType::Account),
                count(IndicatorType::Domain),
                count(IndicatorType::Url),
                out.display()
            )?;
        }
        ExportCommand::Disclosure { run, network, out, key_file, threshold } => {
            use cibscan_core::act::disclosure;
            let opened = rundir::open(&run)?;
            let data = rundir::dataset(&opened, quiet)?;
            // A network, or a whole operation (all its cells).
            let rows = opened.accounts()?;
            let members: Vec<u32> = rows
                .iter()
                .filter(|r| !r.network_id.is_empty() && (r.network_id == network || r.operation_id == network))
                .filter_map(|r| data.accounts.lookup(&r.account_id))
                .collect();
            if members.is_empty() {
                let mut ids: Vec<&str> = rows.iter().map(|r| r.network_id.as_str()).filter(|n| !n.is_empty()).collect();
                ids.extend(rows.iter().map(|r| r.operation_id.as_str()).filter(|n| !n.is_empty()));
                ids.sort_unstable();
                ids.dedup();
                bail!("no network or operation {network:?} in {} (there are: {})", run.display(), ids.join(", "))
            }
            let mut members = members;
            members.sort_unstable();
            // A new key is saved beside the folder (never in it: the folder is for publication)
            // and only once the disclosure is written, so a failure leaves no key behind.
            let (key, new_key_path) = match &key_file {
                Some(path) => (disclosure::key_from_file(path)?, None),
                None => {
                    let path = disclosure::key_path_for(&out)?;
                    if path.exists() {
                        bail!(
                            "{}: a key is already there; give it with --key-file (same hashes as before) or move it",
                            path.display()
                        );
                    }
                    (disclosure::generate_key()?, Some(path))
                }
            };
            if let Some(key_file) = &key_file {
                let (k, o) = (std::path::absolute(key_file)?, std::path::absolute(&out)?);
                if k.starts_with(&o) {
                    bail!("{}: the key is inside the folder to publish; keep it elsewhere", key_file.display());
                }
            }
            let opts =
                disclosure::DisclosureOptions { threshold, ..disclosure::DisclosureOptions::new(key, network.clone()) };
            let existed = out.exists();
            std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
            let m = match disclosure::write_disclosure(&data, &members, &out, &opts) {
                Ok(m) => m,
                Err(e) => {
                    if !existed {
                        let _ = std::fs::remove_dir_all(&out);
                    }
                    return Err(e.into());
                }
            };
            if let Some(path) = new_key_path {
                disclosure::write_key_file(&path, &opts.key)?;
                eprintln!("new HMAC key saved to {} (keep it secret; reuse it for consistent hashes)", path.display());
            }
            outln!(
                "{network}: {} accounts ({} hashed), {} tweets; wrote {}",
                m.counts.accounts,
                m.counts.hashed_accounts,
                m.counts.tweets,
                out.display()
            )?;
        }
    }
    Ok(())
}

pub fn explain(account: &str, run: &std::path::Path, top: usize, items: usize, json: bool, quiet: bool) -> Result<()> {
    use cibscan_core::run::output::printable;
    let run = rundir::open(run)?;
    let data = rundir::dataset(&run, quiet)?;
    use cibscan_core::act::explain::{explain_operation, ExplainError};
    let e = match cibscan_core::act::explain::explain(&run, &data, account, top, items) {
        Ok(e) => e,
        // Not an account: an operation id explains what ties its cells.
        Err(ExplainError::NotFound(q)) => match explain_operation(&run, account.trim())? {
            Some(op) if json => return Ok(outln!("{}", serde_json::to_string_pretty(&op)?)?),
            Some(op) => return print_operation(&op),
            None => return Err(ExplainError::NotFound(q).into()),
        },
        Err(e) => return Err(e.into()),
    };
    if json {
        outln!("{}", serde_json::to_string_pretty(&e)?)?;
        return Ok(());
    }
    let place = if !e.network_id.is_empty() {
        format!("network {}", printable(&e.network_id))
    } else if let Some(g) = &e.dismissed_group {
        format!(
            "in no network; coordinated group {} was set aside as authentic ({})",
            printable(&g.id),
            printable(&g.authenticity.join("; "))
        )
    } else {
        "in no network".to_string()
    };
    outln!("account {} (@{}): {place}", printable(&e.account_id), printable(&e.screen_name))?;
    if let Some(at) = &e.attribution {
        outln!(
            "\nattributed to the network on account-level evidence (too quiet for the co-action signals); \
             {} candidates expected to match this by chance:",
            if at.expected_false < 0.001 {
                format!("{:.1e}", at.expected_false)
            } else {
                format!("{:.3}", at.expected_false)
            }
        )?;
        for ev in &at.evidence {
            outln!(
                "  {}: {} (background rate {:.4})",
                ev.kind,
                printable(&ev.detail.replace('\n', " ")),
                ev.background_rate
            )?;
        }
    }
    if let Some(op) = e.operation.as_ref().filter(|o| o.networks.len() > 1) {
        // The ties of this account's network to its sister cells.
        let mut op = op.clone();
        op.ties.retain(|t| t.networks.contains(&e.network_id));
        outln!()?;
        print_operation(&op)?;
    }
    for s in &e.signals {
        outln!("\n{} (window {} s)", s.signal, s.window_seconds)?;
        for c in &s.co_actors {
            outln!(
                "  with {} (@{}), surprise {:.1} (-log10 p)",
                printable(&c.account_id),
                printable(&c.screen_name),
                c.surprise
            )?;
            for it in &c.items {
                outln!(
                    "    {} post {}  |  {} post {}  |  {}",
                    it.time,
                    it.post_id,
                    it.other_time,
                    it.other_post_id,
                    printable(&it.text.replace('\n', " "))
                )?;
            }
        }
    }
    Ok(())
}

/// `cibscan case …`: the case store.
pub fn case(what: crate::CaseCommand) -> Result<()> {
    use cibscan_core::run::output::printable;
    use cibscan_store::Store;
    let actor = std::env::var("USER").unwrap_or_else(|_| "cli".into());
    match what {
        crate::CaseCommand::Import { run, db } => {
            let opened = rundir::open(&run)?;
            let mut store = Store::open(&db)?; // an import may start a store
            let s = store.import_run(&opened, &actor)?;
            outln!(
                "imported {} into {} as run {}: {} networks, {} accounts; new cases {}; continued {}; changed (back to review) {}",
                run.display(),
                db.display(),
                s.run,
                s.networks,
                s.accounts,
                list(&s.new_cases),
                list(&s.same_cases),
                list(&s.changed_cases)
            )?;
        }
        crate::CaseCommand::List { db } => {
            let store = existing_store(&db)?;
            outln!("case\tstate\trun\tnetwork\taccounts\tconfidence\tchanges")?;
            for c in store.cases()? {
                outln!(
                    "{}\t{}\t{}\t{}\t{}\t{:.2}\t{}",
                    c.label,
                    c.state,
                    c.run,
                    printable(&c.network),
                    c.accounts,
                    c.confidence,
                    printable(&c.changes)
                )?;
            }
        }
        crate::CaseCommand::Audit { db } => {
            let store = existing_store(&db)?;
            for a in store.audit()? {
                outln!("{}\t{}\t{}\t{}\t{}", a.id, a.at, printable(&a.actor), a.action, printable(&a.detail))?;
            }
        }
        crate::CaseCommand::Decide { case, decision, reason, user, db } => {
            let Some(d) = cibscan_store::workflow::Decision::parse(&decision) else {
                bail!("--decision {decision:?}: one of propose, confirm, clear, needs_evidence")
            };
            let mut store = existing_store(&db)?;
            let state = store.decide(&case, &user, d, &reason)?;
            outln!("case {case}: {} by {user}; now {state}", d.name())?;
        }
        crate::CaseCommand::Exclude { case, account, reason, user, db } => {
            let mut store = existing_store(&db)?;
            store.exclude(&case, &account, &user, &reason)?;
            outln!("case {case}: account {} excluded by {user}", printable(&account))?;
        }
        crate::CaseCommand::Takedown { db, out } => {
            let mut store = existing_store(&db)?;
            let n = store.export_takedown(&out, &actor)?;
            outln!("{n} accounts of confirmed cases (exclusions left out); wrote {}", out.display())?;
        }
        crate::CaseCommand::Backup { db, out } => {
            if out.exists() {
                bail!("{}: exists; give a new file for the backup", out.display());
            }
            let store = existing_store(&db)?;
            store.backup(&out, &actor)?;
            outln!("backed up {} to {}", db.display(), out.display())?;
        }
    }
    Ok(())
}

/// A store that must already exist: reading or deciding never creates an empty one.
pub fn existing_store(db: &Path) -> Result<cibscan_store::Store> {
    if !db.exists() {
        bail!("{}: no case store here (`cibscan case import RUN --db FILE` starts one)", db.display());
    }
    Ok(cibscan_store::Store::open(db)?)
}

fn list(v: &[String]) -> String {
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

/// `cibscan user …`.
pub fn user(what: crate::UserCommand) -> Result<()> {
    use cibscan_store::workflow::Role;
    let actor = std::env::var("USER").unwrap_or_else(|_| "cli".into());
    match what {
        crate::UserCommand::Add { name, role, password_stdin, db } => {
            let Some(r) = Role::parse(&role) else { bail!("--role {role:?}: one of viewer, analyst, reviewer, admin") };
            let password = if password_stdin {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                let p = line.trim_end_matches(['\n', '\r']).to_string();
                if p.is_empty() {
                    bail!("--password-stdin: an empty password");
                }
                Some(p)
            } else {
                None
            };
            let mut store = cibscan_store::Store::open(&db)?;
            store.add_user(&name, r, password.as_deref(), &actor)?;
            outln!("user {name} added as {}", r.name())?;
        }
    }
    Ok(())
}
