//! The scenario generator behind `cibscan simulate`: a realistic platform slice in the
//! Twitter Information Operations archive format, deterministic per seed, with ground truth.
//!
//! Output layout under the chosen directory:
//! - `platform/sim_users_csv_unhashed.csv`, `platform/sim_tweets_csv_unhashed.csv`: the slice;
//! - `truth.csv`: `userid,kind,operation,role`, one row per account of the users file;
//! - `priors/<name>/<name>_{users,tweets}_csv_hashed.csv`: earlier takedown archives;
//! - `third_party_list.csv`: `userid,screen_name`, a third party's "inauthentic accounts" list;
//! - `scenario.toml`: the effective scenario (seed and scale as comments at the top).
//!
//! The slice is produced by a discrete-event loop (see `engine`): each day's originals are
//! scheduled, events are popped in time order, and when a post is written its engagement
//! (retweets, replies, quotes, amplification) is decided and scheduled, so that every
//! referenced tweet exists and precedes its references, counts are known when a row is
//! written, and memory stays bounded while rows stream to disk. See `docs/SCENARIO.md`.

mod banks;
mod engine;
mod scenario;
mod text;
mod time;
mod util;
mod world;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use rand::{Rng, SeedableRng};

pub use scenario::{
    AmplifierMix, BurstConfig, FanConfig, FriendClusterConfig, JournalistConfig, NarrativeConfig, NewsbotConfig,
    NgoConfig, OperationConfig, OrganicConfig, PeriodConfig, PriorConfig, Scenario, ThirdPartyConfig,
};

use util::{mix64, Rng8};
use world::{Kind, Registry, Role, World};

/// The largest accepted `--scale` (about 100 million posts with the default scenario).
pub const MAX_SCALE: f64 = 1000.0;

/// Options of one `cibscan simulate` run.
#[derive(Debug, Clone)]
pub struct SimulateOptions {
    pub seed: u64,
    /// Size multiplier: 1.0 is about `scenario.posts` posts (100,000 by default).
    pub scale: f64,
    pub out: PathBuf,
    pub scenario: Scenario,
}

/// Accounts and posts of one earlier takedown archive.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PriorSummary {
    pub name: String,
    pub same_actor_as: String,
    pub accounts: u64,
    pub posts: u64,
    pub reused_accounts: u64,
}

/// What a run wrote.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SimulateSummary {
    /// Accounts in the main users file (= rows of truth.csv).
    pub accounts: u64,
    /// Posts in the main tweets file.
    pub posts: u64,
    /// Names of the planted operations.
    pub operations: Vec<String>,
    /// Files written, relative to the output directory.
    pub files: Vec<String>,
    pub seed: u64,
    pub scale: f64,
    pub start: String,
    pub end: String,
    pub accounts_by_kind: BTreeMap<String, u64>,
    pub posts_by_kind: BTreeMap<String, u64>,
    /// Accounts per operation (core + amplifiers that posted).
    pub operation_accounts: BTreeMap<String, u64>,
    pub priors: Vec<PriorSummary>,
    pub third_party_entries: u64,
}

impl fmt::Display for SimulateSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "simulated {} posts by {} accounts, {} .. {} (seed {}, scale {})",
            self.posts, self.accounts, self.start, self.end, self.seed, self.scale
        )?;
        let kinds: Vec<String> = self.accounts_by_kind.iter().map(|(k, v)| format!("{k} {v}")).collect();
        writeln!(f, "  accounts: {}", kinds.join(", "))?;
        let ops: Vec<String> = self.operation_accounts.iter().map(|(k, v)| format!("{k} ({v} accounts)")).collect();
        writeln!(f, "  operations: {}", ops.join(", "))?;
        for p in &self.priors {
            writeln!(
                f,
                "  prior {}: {} accounts, {} posts{}",
                p.name,
                p.accounts,
                p.posts,
                if p.same_actor_as.is_empty() {
                    " (unrelated actor)".to_string()
                } else {
                    format!(" (same actor as {}, {} reused accounts)", p.same_actor_as, p.reused_accounts)
                }
            )?;
        }
        writeln!(f, "  third-party list: {} entries", self.third_party_entries)?;
        write!(f, "  files: {}", self.files.join(", "))
    }
}

/// Errors of `simulate`. Bad input is an error, never a panic.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    #[error("cannot write {path}: {error}")]
    Io { path: PathBuf, error: std::io::Error },
    #[error("invalid scenario: {0}")]
    Scenario(String),
    #[error("invalid scale {0}: it must be a finite number above 0 and at most {MAX_SCALE}")]
    Scale(f64),
    #[error(
        "the scenario at scale {scale} would need about {amount} {what}, more than the {limit} this generator allows"
    )]
    TooLarge { scale: f64, what: &'static str, amount: u64, limit: u64 },
}

const ACCOUNT_LIMIT: u64 = 60_000_000;
const POST_LIMIT: u64 = 2_000_000_000;

/// Generates the slice, the takedown archives, the truth and the third-party list into
/// `opts.out`. `progress(written, planned)` is called every 65,536 posts and at the end
/// (`planned` is an estimate; the final call has `written == planned`).
pub fn simulate(opts: &SimulateOptions, progress: &mut dyn FnMut(u64, u64)) -> Result<SimulateSummary, SimError> {
    let scale = opts.scale;
    if !scale.is_finite() || scale <= 0.0 || scale > MAX_SCALE {
        return Err(SimError::Scale(scale));
    }
    let sc = &opts.scenario;
    sc.validate()?;
    let per_unit = sc.organic.accounts
        + sc.journalists.accounts
        + sc.ngos.accounts
        + sc.fans.accounts
        + sc.newsbots.accounts
        + sc.operations.iter().map(|o| o.core + o.amplifiers).sum::<u64>()
        + sc.priors.iter().map(|p| p.core + p.amplifiers).sum::<u64>();
    let accounts = (per_unit as f64 * scale) as u64;
    if accounts > ACCOUNT_LIMIT {
        return Err(SimError::TooLarge { scale, what: "accounts", amount: accounts, limit: ACCOUNT_LIMIT });
    }
    let posts = (sc.posts as f64 * scale) as u64;
    if posts > POST_LIMIT {
        return Err(SimError::TooLarge { scale, what: "posts", amount: posts, limit: POST_LIMIT });
    }
    let out = &opts.out;
    let mkdir = |p: &Path| fs::create_dir_all(p).map_err(|e| SimError::Io { path: p.to_path_buf(), error: e });
    mkdir(&out.join("platform"))?;
    for p in &sc.priors {
        mkdir(&out.join("priors").join(&p.name))?;
    }
    let mut files = Vec::new();
    let mut reg = Registry::with_capacity(accounts as usize + 1024);
    let main = world::build_main(sc, scale, opts.seed, &mut reg);
    let prior_worlds: Vec<World> =
        sc.priors.iter().map(|p| world::build_prior(sc, p, &main, scale, opts.seed, &mut reg)).collect();
    let planned =
        main.plan.planned_posts as u64 + prior_worlds.iter().map(|w| w.plan.planned_posts as u64).sum::<u64>();

    // The main slice.
    let tweets = out.join("platform/sim_tweets_csv_unhashed.csv");
    let stats = engine::run(
        &main,
        opts.seed,
        &tweets,
        engine::Format { legacy: false, geo_absent: true },
        engine::Progress { f: progress, base: 0, planned },
    )?;
    files.push("platform/sim_tweets_csv_unhashed.csv".to_string());
    let users = out.join("platform/sim_users_csv_unhashed.csv");
    let order = engine::write_users(&main, &stats.posted, opts.seed, &users)?;
    files.push("platform/sim_users_csv_unhashed.csv".to_string());
    write_truth(&main, &order, &out.join("truth.csv"))?;
    files.push("truth.csv".to_string());

    // Earlier takedown archives.
    let mut written = stats.posts;
    let mut priors = Vec::new();
    for (p, w) in sc.priors.iter().zip(&prior_worlds) {
        let dir = format!("priors/{}", p.name);
        let tw = format!("{dir}/{}_tweets_csv_hashed.csv", p.name);
        let us = format!("{dir}/{}_users_csv_hashed.csv", p.name);
        let seed = opts.seed ^ mix64(p.name.bytes().fold(7u64, |h, c| mix64(h ^ c as u64)));
        let st = engine::run(
            w,
            seed,
            &out.join(&tw),
            engine::Format { legacy: p.legacy_format, geo_absent: false },
            engine::Progress { f: progress, base: written, planned },
        )?;
        written += st.posts;
        let order = engine::write_users(w, &st.posted, seed, &out.join(&us))?;
        let reused = order.iter().filter(|&&i| w.accounts[i as usize].flags & world::F_VETERAN != 0).count() as u64;
        files.push(tw);
        files.push(us);
        priors.push(PriorSummary {
            name: p.name.clone(),
            same_actor_as: p.same_actor_as.clone(),
            accounts: order.len() as u64,
            posts: st.posts,
            reused_accounts: reused,
        });
    }

    let third = write_third_party(sc, &main, &stats.posted, opts.seed, &mut reg, &out.join("third_party_list.csv"))?;
    files.push("third_party_list.csv".to_string());
    let toml_path = out.join("scenario.toml");
    let doc = format!(
        "# Effective scenario of `cibscan simulate --seed {} --scale {}`.\n# seed = {}\n# scale = {}\n{}",
        opts.seed,
        scale,
        opts.seed,
        scale,
        sc.to_commented_toml()
    );
    fs::write(&toml_path, doc).map_err(|e| SimError::Io { path: toml_path.clone(), error: e })?;
    files.push("scenario.toml".to_string());
    progress(written, written);

    let mut accounts_by_kind = BTreeMap::new();
    let mut operation_accounts = BTreeMap::new();
    for &i in &order {
        let a = &main.accounts[i as usize];
        *accounts_by_kind.entry(a.kind.as_str().to_string()).or_insert(0) += 1;
        if a.kind == Kind::Operation {
            *operation_accounts.entry(main.ops[a.op as usize].name.clone()).or_insert(0) += 1;
        }
    }
    let kinds = [Kind::Organic, Kind::Journalist, Kind::Ngo, Kind::Fan, Kind::Newsbot, Kind::Operation];
    let posts_by_kind = kinds.iter().map(|k| (k.as_str().to_string(), stats.posts_by_kind[*k as usize])).collect();
    Ok(SimulateSummary {
        accounts: order.len() as u64,
        posts: stats.posts,
        operations: sc.operations.iter().map(|o| o.name.clone()).collect(),
        files,
        seed: opts.seed,
        scale,
        start: sc.start.clone(),
        end: sc.end.clone(),
        accounts_by_kind,
        posts_by_kind,
        operation_accounts,
        priors,
        third_party_entries: third,
    })
}

fn write_truth(w: &World, order: &[u32], path: &Path) -> Result<(), SimError> {
    let io = |e: std::io::Error| SimError::Io { path: path.to_path_buf(), error: e };
    let mut out = Vec::with_capacity(order.len() * 40 + 32);
    out.extend_from_slice(b"userid,kind,operation,role\n");
    for &i in order {
        let a = &w.accounts[i as usize];
        out.extend_from_slice(w.uid(a));
        out.push(b',');
        out.extend_from_slice(a.kind.as_str().as_bytes());
        out.push(b',');
        if a.kind == Kind::Operation {
            out.extend_from_slice(w.ops[a.op as usize].name.as_bytes());
        }
        out.push(b',');
        out.extend_from_slice(a.role.as_str().as_bytes());
        out.push(b'\n');
    }
    let mut f = File::create(path).map_err(io)?;
    f.write_all(&out).map_err(io)?;
    Ok(())
}

/// A third party's list: real operation accounts mixed with journalists, NGOs, ordinary
/// accounts and a few accounts that are not in the data.
fn write_third_party(
    sc: &Scenario,
    w: &World,
    posted: &[bool],
    seed: u64,
    reg: &mut Registry,
    path: &Path,
) -> Result<u64, SimError> {
    let mut rng = Rng8::seed_from_u64(mix64(seed ^ 0x3a2d_9a27));
    let tp = &sc.third_party;
    let mut rows: Vec<(String, String)> = Vec::new();
    let take = |rng: &mut Rng8, pred: &dyn Fn(&world::Account) -> bool, n: u64, rows: &mut Vec<(String, String)>| {
        let mut cands: Vec<u32> = (0..w.accounts.len() as u32)
            .filter(|&i| {
                let a = &w.accounts[i as usize];
                (posted[i as usize] || a.flags & world::F_SILENT != 0) && pred(a)
            })
            .collect();
        for k in 0..(n as usize).min(cands.len()) {
            let j = rng.random_range(k..cands.len());
            cands.swap(k, j);
            let a = &w.accounts[cands[k] as usize];
            rows.push((String::from_utf8_lossy(w.uid(a)).into_owned(), w.screen(a).to_string()));
        }
    };
    take(&mut rng, &|a| a.kind == Kind::Operation && a.op == 0, tp.operation_accounts, &mut rows);
    take(&mut rng, &|a| a.kind == Kind::Operation && a.op != 0, tp.other_operation_accounts, &mut rows);
    take(&mut rng, &|a| a.kind == Kind::Journalist, tp.journalists, &mut rows);
    take(&mut rng, &|a| a.kind == Kind::Ngo, tp.ngos, &mut rows);
    let on_wave_days = tp.organic_created_on_operation_days.min(tp.organic);
    let ordinary = |a: &world::Account| a.kind == Kind::Organic && a.flags & world::F_IDOL == 0 && a.role == Role::None;
    take(&mut rng, &|a| ordinary(a) && a.flags & world::F_WAVE_DAY != 0, on_wave_days, &mut rows);
    take(&mut rng, &|a| ordinary(a) && a.flags & world::F_WAVE_DAY == 0, tp.organic - on_wave_days, &mut rows);
    for _ in 0..tp.missing {
        let t = time::days_from_civil(2019, 1, 1) * time::MS_PER_DAY + rng.random_range(0..300 * time::MS_PER_DAY);
        let id = time::snowflake(t, rng.random_range(0..1u64 << 22));
        let first = util::pick(&mut rng, &["Lily", "Chen", "Grace", "Wang", "Kevin", "Amy", "Zhou"]);
        let handle = format!("{first}{}", rng.random_range(10_000_000u32..100_000_000));
        let handle = reg.fresh_handle(&mut rng, handle);
        rows.push((id.to_string(), handle));
    }
    for i in (1..rows.len()).rev() {
        let j = rng.random_range(0..=i);
        rows.swap(i, j);
    }
    let mut s = String::from("userid,screen_name\n");
    for (id, h) in &rows {
        s.push_str(id);
        s.push(',');
        s.push_str(h);
        s.push('\n');
    }
    fs::write(path, s).map_err(|e| SimError::Io { path: path.to_path_buf(), error: e })?;
    Ok(rows.len() as u64)
}
