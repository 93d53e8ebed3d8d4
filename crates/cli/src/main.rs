//! `cibscan`: flags and glue over the library core. Each subcommand reads its arguments,
//! calls the core, and prints; nothing else lives here.

mod progress;
mod rundir;

use anyhow::{bail, Context, Result};
use cibscan_core::ingest::{self, IngestOptions, InputFormat, Summary};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "cibscan", version, about = "Find and explain coordinated inauthentic behaviour in social-media data")]
struct Cli {
    /// No progress bars or per-record messages (results and errors are still printed).
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Auto,
    Archive,
    Ira,
    Jsonl,
    Parquet,
}

impl From<FormatArg> for InputFormat {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Auto => InputFormat::Auto,
            FormatArg::Archive => InputFormat::Archive,
            FormatArg::Ira => InputFormat::Ira,
            FormatArg::Jsonl => InputFormat::Jsonl,
            FormatArg::Parquet => InputFormat::Parquet,
        }
    }
}

/// Input options shared by every command that reads data.
#[derive(clap::Args)]
struct InputArgs {
    /// Files or folders: archive CSVs, FiveThirtyEight IRA CSVs, JSON lines, Parquet;
    /// plain, .gz or .zst.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Force a format family instead of detecting it per file.
    #[arg(long, value_enum, default_value = "auto")]
    format: FormatArg,
    /// Bad records allowed before the run stops with an error.
    #[arg(long, default_value_t = 100)]
    max_errors: u64,
}

#[derive(Subcommand)]
enum Command {
    /// Read inputs, print a summary, optionally write the normalised dataset.
    Ingest {
        #[command(flatten)]
        input: InputArgs,
        /// Write the normalised dataset (Parquet) for fast reloads.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print the summary as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Generate a platform slice with planted operations and ground truth: in --out,
    /// platform/ (archive-format users and tweets files), truth.csv, priors/ (earlier
    /// takedowns), third_party_list.csv and scenario.toml.
    Simulate {
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// 1.0 is about 100,000 posts; 100 is about 10 million.
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        #[arg(long)]
        out: Option<PathBuf>,
        /// Scenario parameters (TOML); defaults for every key not given.
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// Print the default scenario TOML (documented) and exit.
        #[arg(long)]
        print_default_scenario: bool,
    },
    /// Score a result directory against the truth of a simulated scenario.
    Eval {
        /// Directory with truth.csv (or the truth CSV itself).
        #[arg(long)]
        truth: PathBuf,
        /// A run folder (or any folder with accounts.csv, or the CSV itself). `--result` is
        /// the older name.
        #[arg(long = "run", alias = "result")]
        result: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Find coordinated networks: in --out, accounts.csv, networks.json, dismissed.json,
    /// indicators.csv, edges.csv, network.gexf, network.graphml, report.html and run.json
    /// (the manifest that the commands acting on a run read it back with).
    Detect {
        #[command(flatten)]
        input: InputArgs,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
        /// Detection parameters (TOML; see `cibscan config --default`).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Seed of the clustering (output is deterministic per seed); overrides the config.
        #[arg(long)]
        seed: Option<u64>,
        /// Print the wall time of each stage to stderr (always recorded in run.json).
        #[arg(long)]
        timings: bool,
        /// Replace the run already in --out (the new run is written beside it and moved into
        /// place only when complete).
        #[arg(long)]
        force: bool,
        /// An earlier takedown to link networks to: NAME=PATH (an archive in any supported
        /// format; repeatable).
        #[arg(long = "prior", value_parser = act::parse_prior)]
        priors: Vec<(String, PathBuf)>,
        /// Also import the run into this case store (SQLite; created if needed).
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// Link a run's networks to earlier takedowns: rewrites the `links` of networks.json
    /// and the priors of run.json.
    Link {
        /// A `cibscan detect` output directory.
        #[arg(long)]
        run: PathBuf,
        /// An earlier takedown: NAME=PATH (repeatable, at least one).
        #[arg(long = "prior", value_parser = act::parse_prior, required = true)]
        priors: Vec<(String, PathBuf)>,
    },
    /// Why an account is in its network: strongest co-actors per signal and the shared posts
    /// (printed; nothing is written).
    Explain {
        /// Account id, or @handle (a handle several accounts bear is an error naming them).
        account: String,
        /// A directory written by `cibscan detect`.
        #[arg(long)]
        run: PathBuf,
        /// Co-actors shown per signal.
        #[arg(long, default_value_t = 3)]
        top: usize,
        /// Shared items shown per co-actor.
        #[arg(long, default_value_t = 5)]
        items: usize,
        #[arg(long)]
        json: bool,
    },
    /// Print the detection configuration with every default, documented.
    Config {
        /// Print the defaults (the only mode for now).
        #[arg(long, required = true)]
        default: bool,
    },
    /// Assess a third party's account list against a detection run: assessment.csv with a
    /// verdict (coordinated, not_coordinated, insufficient_data) and reasons per account.
    Assess {
        /// The list: one account id or handle per line, or a CSV with a `userid` column.
        #[arg(long)]
        list: PathBuf,
        /// A `cibscan detect` output directory.
        #[arg(long)]
        run: PathBuf,
        /// Output directory (assessment.csv, assessment.json).
        #[arg(long)]
        out: PathBuf,
        /// Fewer posts in the run's input than this: insufficient_data.
        #[arg(long, default_value_t = 5)]
        min_posts: u64,
    },
    /// Export for action: takedown lists and published indicators.
    Export {
        #[command(subcommand)]
        what: ExportCommand,
    },
    /// The case store (one SQLite file): import runs, list cases, review, export, read the
    /// audit log, back up.
    Case {
        #[command(subcommand)]
        what: CaseCommand,
    },
    /// Users of a case store.
    User {
        #[command(subcommand)]
        what: UserCommand,
    },
    /// API tokens of a case store.
    Token {
        #[command(subcommand)]
        what: TokenCommand,
    },
    /// The investigation workspace: web UI and JSON API over a case store (sign in with a
    /// user made by `cibscan user add NAME --role R --password-stdin --db FILE`).
    Serve {
        /// The case store.
        #[arg(long)]
        db: PathBuf,
        /// Address to listen on; loopback unless told otherwise. Serve other hosts only
        /// behind a TLS reverse proxy (docs/DEPLOY.md), with --secure-cookies.
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: std::net::SocketAddr,
        /// Mark cookies Secure (the site is served over HTTPS by a reverse proxy).
        #[arg(long)]
        secure_cookies: bool,
    },
    /// A trivial detector for calibration: flag every account that retweets.
    Baseline {
        #[command(flatten)]
        input: InputArgs,
        /// Output directory (accounts.csv).
        #[arg(long)]
        out: PathBuf,
        /// Retweets an account needs to be flagged.
        #[arg(long, default_value_t = 1)]
        min_retweets: u64,
    },
}

#[derive(Subcommand)]
enum CaseCommand {
    /// Import a run folder (one transaction): its networks become cases, or continue the
    /// cases of earlier runs they overlap.
    Import {
        /// A `cibscan detect` output directory.
        run: PathBuf,
        /// The case store (created if needed).
        #[arg(long)]
        db: PathBuf,
    },
    /// The cases: state, latest network, size, confidence, what changed.
    List {
        #[arg(long)]
        db: PathBuf,
    },
    /// The audit log, oldest first (append-only).
    Audit {
        #[arg(long)]
        db: PathBuf,
    },
    /// Record a decision on a case: propose (analyst), confirm or clear (reviewer),
    /// needs_evidence (analyst). A case is confirmed when two different reviewers confirm it.
    Decide {
        /// The case label (`C1`, …; see `case list`).
        case: String,
        /// propose | confirm | clear | needs_evidence
        #[arg(long)]
        decision: String,
        #[arg(long)]
        reason: String,
        /// The user deciding (see `user add`; on the command line the store file is the
        /// trust boundary: `serve` signs users in).
        #[arg(long)]
        user: String,
        #[arg(long)]
        db: PathBuf,
    },
    /// Exclude one account from a case as a false positive.
    Exclude {
        case: String,
        account: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        user: String,
        #[arg(long)]
        db: PathBuf,
    },
    /// takedown.csv from the confirmed cases, minus excluded accounts (audited with its hash).
    Takedown {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// Copy the store with SQLite's online backup (the store stays in use).
    Backup {
        #[arg(long)]
        db: PathBuf,
        /// The copy to write (must not exist).
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token for a user and print it (once: only its digest is stored).
    Create {
        name: String,
        #[arg(long)]
        db: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user with a role (viewer, analyst, reviewer, admin).
    Add {
        name: String,
        #[arg(long)]
        role: String,
        /// Read the password (to sign in to `serve`) from the first line of stdin; stored as
        /// an argon2id hash.
        #[arg(long)]
        password_stdin: bool,
        #[arg(long)]
        db: PathBuf,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// takedown.csv: the accounts of the run's networks with network, role and scores.
    Takedown {
        /// A `cibscan detect` output directory.
        #[arg(long)]
        run: PathBuf,
        /// Output file (default: RUN/takedown.csv).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// indicators.csv in the platforms' shape (indicator_type,indicator_value,comment,ds):
    /// the networks' accounts, and the URLs and domains they push that others do not.
    Indicators {
        /// A `cibscan detect` output directory.
        #[arg(long)]
        run: PathBuf,
        /// Output file (default: RUN/published_indicators.csv).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// A network's (or an operation's) users and tweets files in the archive format, with the identities of
    /// accounts under the follower threshold replaced by a keyed hash, and a manifest.
    Disclosure {
        /// A `cibscan detect` output directory.
        #[arg(long)]
        run: PathBuf,
        /// The network to disclose (an id of networks.json), or a whole operation (an id of
        /// operations.json: all its networks).
        #[arg(long)]
        network: String,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
        /// The HMAC key (raw bytes, at least 16). Default: a new random key saved to
        /// OUT.key (keep it secret: it links the hashes to the ids).
        #[arg(long)]
        key_file: Option<PathBuf>,
        /// Accounts with fewer followers than this are hashed.
        #[arg(long, default_value_t = 5000)]
        threshold: u32,
    },
}

fn main() {
    let cli = Cli::parse();
    if let Err(e) = run(cli) {
        // `cibscan … | head` closing the pipe early is not an error.
        if e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) {
            return;
        }
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

/// Writes to standard output, returning (not panicking on) a closed pipe.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*)
    }};
}
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

// After the macros, so that the commands can use them.
mod act;

fn read_inputs(input: &InputArgs, quiet: bool) -> Result<(cibscan_core::Dataset, ingest::IngestStats)> {
    let opts = IngestOptions { format: input.format.into(), max_errors: input.max_errors };
    let progress = progress::Bar::new(quiet, "reading");
    let result = ingest::ingest(&input.inputs, &opts, &progress);
    progress.done();
    Ok(result?)
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Ingest { input, out, json } => {
            if let Some(out) = &out {
                refuse_input_as_output(&input.inputs, out)?;
            }
            let (data, stats) = read_inputs(&input, cli.quiet)?;
            let summary = Summary::new(&data, &stats);
            if let Some(out) = &out {
                // Written beside and renamed over: an existing file is never half-replaced.
                cibscan_core::run::replace_file(out, |p| {
                    cibscan_core::ingest::columnar::write_parquet(&data, p).map_err(std::io::Error::other)
                })
                .with_context(|| format!("writing {}", out.display()))?;
            }
            if json {
                outln!("{}", serde_json::to_string(&summary)?)?;
            } else {
                out!("{summary}")?;
                if let Some(out) = &out {
                    outln!("dataset written  {}", out.display())?;
                }
            }
        }
        Command::Simulate { seed, scale, out, scenario, print_default_scenario } => {
            use cibscan_sim::simulate::{simulate, Scenario, SimulateOptions};
            if print_default_scenario {
                out!("{}", Scenario::default_toml())?;
                return Ok(());
            }
            let Some(out) = out else { bail!("--out DIR is required") };
            let scenario = match scenario {
                Some(p) => {
                    let text = std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
                    Scenario::from_toml_str(&text).with_context(|| format!("scenario {}", p.display()))?
                }
                None => Scenario::default(),
            };
            let bar = progress::Bar::new(cli.quiet, "simulating");
            let opts = SimulateOptions { seed, scale, out, scenario };
            let summary = simulate(&opts, &mut |done, total| bar.set(done, total));
            bar.done();
            outln!("{}", summary?)?;
        }
        Command::Eval { truth, result, json } => {
            let report = cibscan_sim::eval::evaluate(&truth, &result)?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&report)?)?;
            } else {
                out!("{report}")?;
            }
        }
        Command::Config { default: _ } => {
            out!("{}", cibscan_core::run::config::DetectConfig::default_toml())?;
        }
        Command::Detect { input, out, config, seed, timings, force, priors, db } => {
            use cibscan_core::run::{self, RunInfo, StageTiming};
            let config = match &config {
                Some(p) => {
                    let text = std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
                    cibscan_core::run::config::DetectConfig::from_toml_str(&text)
                        .with_context(|| format!("config {}", p.display()))?
                }
                None => Default::default(),
            };
            let mut opts = config.options()?;
            if let Some(seed) = seed {
                opts.seed = seed;
            }
            // Refused before any work if --out holds something else.
            let staging = run::Staging::new(&out, force)?;
            let started_at = run::now_utc();
            let started = std::time::Instant::now();
            let (data, stats) = read_inputs(&input, cli.quiet)?;
            if stats.duplicate_posts > 0 {
                eprintln!(
                    "note: {} posts were read more than once (same post id) and are counted once",
                    stats.duplicate_posts
                );
            }
            if !stats.warnings.is_empty() {
                let parts: Vec<String> = stats.warnings.iter().map(|(k, v)| format!("{k} {v}")).collect();
                eprintln!("note: records read with a doubt: {} (see `cibscan ingest`)", parts.join(", "));
            }
            let read_seconds = started.elapsed().as_secs_f64();
            let bar = progress::Bar::steps(cli.quiet, "detecting");
            let det = cibscan_core::pipeline::detect(&data, &opts, &bar);
            bar.done();
            let mut det = det?;
            if !priors.is_empty() {
                let link_started = std::time::Instant::now();
                let read = act::read_priors(&priors, cli.quiet)?;
                let members: Vec<Vec<u32>> = det.networks.iter().map(|n| n.members.clone()).collect();
                for (net, links) in
                    det.networks.iter_mut().zip(cibscan_core::characterise::link::links(&data, &members, &read))
                {
                    net.links = links;
                }
                det.refresh_operation_links();
                det.timings.push(("link to priors".into(), link_started.elapsed().as_secs_f64()));
            }
            let info = RunInfo {
                format: input.format.into(),
                max_errors: input.max_errors,
                priors: act::prior_records(&priors),
                started: started_at,
                stages: vec![StageTiming { stage: "read input".into(), seconds: read_seconds }],
            };
            let manifest = run::write_run(staging, &data, &stats, &det, &opts, info)
                .with_context(|| format!("writing results to {}", out.display()))?;
            if timings {
                for t in &manifest.stages {
                    eprintln!("{:<28} {:>8.3} s", t.stage, t.seconds);
                }
                eprintln!("{:<28} {:>8.3} s", "total", started.elapsed().as_secs_f64());
            }
            let c = &manifest.counts;
            outln!(
                "{} networks, {} accounts flagged; {} coordinated groups ({} accounts) judged authentic \
                 (dismissed.json); wrote {}",
                c.networks,
                c.flagged_accounts,
                c.dismissed_groups,
                c.dismissed_accounts,
                out.display()
            )?;
            if let Some(db) = db {
                act::case(CaseCommand::Import { run: out, db })?;
            }
        }
        Command::Explain { account, run, top, items, json } => {
            act::explain(&account, &run, top, items, json, cli.quiet)?
        }
        Command::Assess { list, run, out, min_posts } => act::assess(&list, &run, &out, min_posts)?,
        Command::Export { what } => act::export(what, cli.quiet)?,
        Command::Link { run, priors } => act::link(&run, &priors, cli.quiet)?,
        Command::Case { what } => act::case(what)?,
        Command::User { what } => act::user(what)?,
        Command::Token { what: TokenCommand::Create { name, db } } => {
            let actor = std::env::var("USER").unwrap_or_else(|_| "cli".into());
            let mut store = act::existing_store(&db)?;
            outln!("{}", store.create_token(&name, &actor)?)?;
        }
        Command::Serve { db, bind, secure_cookies } => {
            act::existing_store(&db)?;
            if !bind.ip().is_loopback() && !secure_cookies {
                eprintln!(
                    "warning: serving on {bind}, beyond this machine, without --secure-cookies: put cibscan behind a \
                     TLS reverse proxy (docs/DEPLOY.md)"
                );
            }
            let quiet = cli.quiet;
            cibscan_server::run(&db, bind, cibscan_server::ServeOptions { secure_cookies }, |addr| {
                if !quiet {
                    eprintln!("cibscan serve: http://{addr}/ (Ctrl-C stops)");
                }
            })
            .with_context(|| format!("serving {}", db.display()))?;
        }
        Command::Baseline { input, out, min_retweets } => {
            let (data, _) = read_inputs(&input, cli.quiet)?;
            let rows = cibscan_core::act::baseline::flag_retweeters(&data, min_retweets);
            std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
            let path = out.join("accounts.csv");
            cibscan_core::run::output::write_accounts(&path, &rows)
                .with_context(|| format!("writing {}", path.display()))?;
            let flagged = rows.iter().filter(|r| !r.network_id.is_empty()).count();
            outln!("{flagged} of {} accounts flagged; wrote {}", rows.len(), path.display())?;
        }
    }
    Ok(())
}

/// `ingest X --out X` would replace an input with its own Parquet copy.
fn refuse_input_as_output(inputs: &[PathBuf], out: &std::path::Path) -> Result<()> {
    if out.is_dir() {
        bail!("{}: is a folder; --out names the Parquet file to write", out.display());
    }
    let Ok(out_canon) = std::fs::canonicalize(out) else { return Ok(()) };
    for file in ingest::expand_inputs(inputs)? {
        if std::fs::canonicalize(&file).is_ok_and(|f| f == out_canon) {
            bail!("{}: is one of the inputs; give --out a new file", out.display());
        }
    }
    Ok(())
}
