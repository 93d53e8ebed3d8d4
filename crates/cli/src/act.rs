//! Commands that act on a finished detection run: explain, link, assess and export. They
//! read the run back (`rundir`) and, when they need posts, the run's input again.

use crate::{read_inputs, rundir, ExportCommand, FormatArg, InputArgs};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// `cibscan assess`.
pub fn assess(list: &Path, run: &Path, out: &Path, min_posts: u64) -> Result<()> {
    use cibscan_core::assess;
    let entries = assess::read_list(list)?;
    let loaded = assess::Run::load(run)?;
    let opts = assess::AssessOptions { min_posts, ..Default::default() };
    let rows = assess::assess(&entries, &loaded, &opts);
    let summary = assess::summary(&rows);
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let path = out.join("assessment.csv");
    assess::write_assessment(&path, &rows).with_context(|| format!("writing {}", path.display()))?;
    let path = out.join("assessment.json");
    cibscan_core::output::write_json(&path, &summary).with_context(|| format!("writing {}", path.display()))?;
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

/// `cibscan link`: rewrites the `links` of the run's networks.json.
pub fn link(run: &Path, priors: &[(String, PathBuf)], quiet: bool) -> Result<()> {
    let manifest = rundir::manifest(run)?;
    let data = rundir::dataset(&manifest, quiet)?;
    let (network_of, names) = rundir::membership(run, &data)?;
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); names.len()];
    for (a, n) in network_of.iter().enumerate() {
        if let Some(n) = n {
            members[*n as usize].push(a as u32);
        }
    }
    let priors = read_priors(priors, quiet)?;
    let links = cibscan_core::link::links(&data, &members, &priors);
    let path = run.join("networks.json");
    let mut networks: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?)
            .with_context(|| format!("parsing {}", path.display()))?;
    for net in networks.as_array_mut().into_iter().flatten() {
        let id = net["id"].as_str().unwrap_or("").to_string();
        let l = names.iter().position(|n| *n == id).map(|i| links[i].clone()).unwrap_or_default();
        net["links"] = serde_json::to_value(l)?;
    }
    cibscan_core::output::write_json(&path, &networks).with_context(|| format!("writing {}", path.display()))?;
    for (id, l) in names.iter().zip(&links) {
        let said: Vec<String> = l
            .iter()
            .map(|x| format!("{} {:.2}{}", x.operation, x.score, if x.linked { " (linked)" } else { "" }))
            .collect();
        outln!("{id}: {}", said.join(", "))?;
    }
    Ok(())
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
            let path = run.join("accounts.csv");
            let mut rdr = csv::Reader::from_path(&path).with_context(|| format!("reading {}", path.display()))?;
            let header = rdr.headers()?.clone();
            if header.get(2) != Some("network_id") {
                bail!("{}: not a cibscan accounts.csv (third column is not network_id)", path.display());
            }
            let out = out.unwrap_or_else(|| run.join("takedown.csv"));
            let mut w = csv::Writer::from_path(&out).with_context(|| format!("writing {}", out.display()))?;
            w.write_record(&header)?;
            let mut n = 0;
            for rec in rdr.records() {
                let rec = rec.with_context(|| format!("reading {}", path.display()))?;
                // Rows were neutralised when accounts.csv was written: copied as they are.
                if !rec.get(2).unwrap_or("").is_empty() {
                    w.write_record(&rec)?;
                    n += 1;
                }
            }
            w.flush()?;
            outln!("{n} accounts in networks; wrote {}", out.display())?;
        }
        ExportCommand::Indicators { run, out } => {
            let manifest = rundir::manifest(&run)?;
            let data = rundir::dataset(&manifest, quiet)?;
            let (network_of, names) = rundir::membership(&run, &data)?;
            let rows = cibscan_core::export::indicators(&data, &network_of, &names, &Default::default());
            let out = out.unwrap_or_else(|| run.join("published_indicators.csv"));
            cibscan_core::export::write_indicators(&out, &rows)
                .with_context(|| format!("writing {}", out.display()))?;
            let count = |t: &str| rows.iter().filter(|r| r.indicator_type == t).count();
            outln!(
                "{} accounts, {} domains, {} URLs; wrote {}",
                count("account"),
                count("domain"),
                count("url"),
                out.display()
            )?;
        }
        ExportCommand::Disclosure { run, network, out, key_file, threshold } => {
            use cibscan_core::disclosure;
            let manifest = rundir::manifest(&run)?;
            let data = rundir::dataset(&manifest, quiet)?;
            let (network_of, names) = rundir::membership(&run, &data)?;
            let Some(n) = names.iter().position(|x| *x == network) else {
                bail!("no network {network:?} in {} (networks: {})", run.display(), names.join(", "))
            };
            let members: Vec<u32> =
                (0..network_of.len() as u32).filter(|&a| network_of[a as usize] == Some(n as u32)).collect();
            // The key last: a mistake above must not leave a new key file behind.
            let key = match &key_file {
                Some(path) => disclosure::key_from_file(path)?,
                None => {
                    let key = disclosure::generate_key();
                    let mut path = out.clone().into_os_string();
                    path.push(".key");
                    let path = PathBuf::from(path);
                    disclosure::write_key_file(&path, &key)?;
                    eprintln!(
                        "new HMAC key saved to {} (keep it secret; reuse it for consistent hashes)",
                        path.display()
                    );
                    key
                }
            };
            let opts =
                disclosure::DisclosureOptions { threshold, ..disclosure::DisclosureOptions::new(key, network.clone()) };
            std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
            let m = disclosure::write_disclosure(&data, &members, &out, &opts)?;
            outln!(
                "network {network}: {} accounts ({} hashed), {} tweets; wrote {}",
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
    use cibscan_core::explain::{find_account, shared_items, CoActor, SignalEvidence};
    let manifest = rundir::manifest(run)?;
    let signals = manifest.signals.clone();
    let data = rundir::dataset(&manifest, quiet)?;
    let Some(a) = find_account(&data, account) else { bail!("account {account:?} is not in the run's input") };
    let key = data.accounts.key.get(a).to_string();

    let mut network = String::new();
    let mut rdr = csv::Reader::from_path(run.join("accounts.csv")).context("reading accounts.csv")?;
    for rec in rdr.records() {
        let rec = rec?;
        if rec.get(0) == Some(key.as_str()) {
            network = rec.get(2).unwrap_or("").to_string();
        }
    }
    // A coordinated group the screen set aside: say so, with the screen's reasons.
    let mut set_aside = serde_json::Value::Null;
    if network.is_empty() {
        let path = run.join("dismissed.json");
        if let Ok(text) = std::fs::read_to_string(&path) {
            let groups: serde_json::Value =
                serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
            set_aside = groups
                .as_array()
                .into_iter()
                .flatten()
                .find(|g| g["account_ids"].as_array().is_some_and(|ids| ids.iter().any(|i| i == key.as_str())))
                .map(|g| serde_json::json!({"id": g["id"], "screening": g["screening"]}))
                .unwrap_or_default();
        }
    }
    let mut rdr = csv::Reader::from_path(run.join("edges.csv")).context("reading edges.csv")?;
    let header = rdr.headers()?.clone();
    let mut per_signal: Vec<Vec<(f64, String)>> = vec![Vec::new(); signals.len()];
    for rec in rdr.records() {
        let rec = rec?;
        let (src, dst) = (rec.get(0).unwrap_or(""), rec.get(1).unwrap_or(""));
        let other = if src == key {
            dst
        } else if dst == key {
            src
        } else {
            continue;
        };
        for (si, sig) in signals.iter().enumerate() {
            let col = header.iter().position(|h| h == sig.name);
            if let Some(v) = col.and_then(|c| rec.get(c)).and_then(|v| v.parse::<f64>().ok()) {
                per_signal[si].push((v, other.to_string()));
            }
        }
    }
    let mut evidence = Vec::new();
    for (si, sig) in signals.iter().enumerate() {
        let mut list = std::mem::take(&mut per_signal[si]);
        list.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        let co_actors: Vec<CoActor> = list
            .into_iter()
            .take(top)
            .filter_map(|(surprise, other)| {
                let b = data.accounts.lookup(&other)?;
                Some(CoActor {
                    screen_name: data.strings.opt(data.accounts.screen_name[b as usize]).unwrap_or("").to_string(),
                    account_id: other,
                    surprise,
                    items: shared_items(&data, sig, a, b, items),
                })
            })
            .collect();
        if !co_actors.is_empty() {
            evidence.push(SignalEvidence { signal: sig.name, window_seconds: sig.window_ms / 1000, co_actors });
        }
    }
    let screen = data.strings.opt(data.accounts.screen_name[a as usize]).unwrap_or("");
    if json {
        let v = serde_json::json!({"account_id": key, "screen_name": screen, "network_id": network,
            "dismissed_group": set_aside, "signals": evidence});
        outln!("{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(());
    }
    let place = if !network.is_empty() {
        format!("network {network}")
    } else if let Some(id) = set_aside["id"].as_str() {
        let reasons: Vec<&str> = set_aside["screening"]["authenticity"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r.as_str())
            .collect();
        format!("in no network; coordinated group {id} was set aside as authentic ({})", reasons.join("; "))
    } else {
        "in no network".to_string()
    };
    outln!("account {key} (@{screen}): {place}")?;
    for e in &evidence {
        outln!("\n{} (window {} s)", e.signal, e.window_seconds)?;
        for c in &e.co_actors {
            outln!("  with {} (@{}), surprise {:.1} (-log10 p)", c.account_id, c.screen_name, c.surprise)?;
            for it in &c.items {
                outln!(
                    "    {} post {}  |  {} post {}  |  {}",
                    it.time,
                    it.post_id,
                    it.other_time,
                    it.other_post_id,
                    it.text.replace('\n', " ")
                )?;
            }
        }
    }
    Ok(())
}
