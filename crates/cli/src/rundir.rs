//! Reading a `cibscan detect` output directory back: the inputs and signals it ran on
//! (`run.json`) and which account is in which network (`accounts.csv`).

use crate::{read_inputs, FormatArg, InputArgs};
use anyhow::{bail, Context, Result};
use cibscan_core::detect::{Signal, SIGNALS};
use cibscan_core::Dataset;
use std::path::{Path, PathBuf};

/// What `run.json` records.
pub struct Manifest {
    pub inputs: Vec<PathBuf>,
    pub format: FormatArg,
    pub signals: Vec<Signal>,
}

pub fn manifest(run: &Path) -> Result<Manifest> {
    let path = run.join("run.json");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?)
            .with_context(|| format!("parsing {}", path.display()))?;
    let inputs: Vec<PathBuf> =
        manifest["inputs"].as_array().into_iter().flatten().filter_map(|v| v.as_str()).map(PathBuf::from).collect();
    if inputs.is_empty() {
        bail!("{} names no inputs", path.display());
    }
    let format = match manifest["format"].as_str().unwrap_or("auto") {
        "archive" => FormatArg::Archive,
        "ira" => FormatArg::Ira,
        "jsonl" => FormatArg::Jsonl,
        "parquet" => FormatArg::Parquet,
        _ => FormatArg::Auto,
    };
    let mut signals = Vec::new();
    for s in manifest["signals"].as_array().into_iter().flatten() {
        let name = s["name"].as_str().unwrap_or("");
        let Some(mut sig) = SIGNALS.iter().copied().find(|x| x.name == name) else {
            bail!("{} names unknown signal {name:?}", path.display())
        };
        sig.window_ms = s["window_ms"].as_i64().unwrap_or(sig.window_ms);
        signals.push(sig);
    }
    Ok(Manifest { inputs, format, signals })
}

/// The run's input, read again (every record that was read then is read now).
pub fn dataset(m: &Manifest, quiet: bool) -> Result<Dataset> {
    let (data, _) =
        read_inputs(&InputArgs { inputs: m.inputs.clone(), format: m.format, max_errors: u64::MAX }, quiet)?;
    Ok(data)
}

/// Network index per account of `data` (from the run's `accounts.csv`) and the network ids.
pub fn membership(run: &Path, data: &Dataset) -> Result<(Vec<Option<u32>>, Vec<String>)> {
    let path = run.join("accounts.csv");
    let mut rdr = csv::Reader::from_path(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut names: Vec<String> = Vec::new();
    let mut network_of = vec![None; data.accounts.len()];
    for (line, rec) in rdr.records().enumerate() {
        let rec = rec.with_context(|| format!("{}: record {}", path.display(), line + 1))?;
        let (id, network) = (rec.get(0).unwrap_or(""), rec.get(2).unwrap_or(""));
        if network.is_empty() {
            continue;
        }
        let Some(a) = data.accounts.lookup(id) else {
            bail!("{}: account {id} is not in the run's input (was the input changed?)", path.display())
        };
        let n = match names.iter().position(|x| x == network) {
            Some(n) => n,
            None => {
                names.push(network.to_string());
                names.len() - 1
            }
        };
        network_of[a as usize] = Some(n as u32);
    }
    Ok((network_of, names))
}
