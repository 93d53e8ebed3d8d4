//! Shared state: a pool of store connections used on the blocking pool, the sign-in rate
//! limiter and a cache of graph layouts.

use crate::{Fail, ServeOptions};
use cibscan_store::{Store, StoreError};
use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Failed sign-ins allowed per user name, and per client address, within [`WINDOW`].
pub const FAILS_PER_NAME: usize = 5;
pub const FAILS_PER_ADDRESS: usize = 20;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Idle connections kept (more are opened under load and closed after).
const POOL_IDLE: usize = 8;
/// Graph layouts kept in memory.
const LAYOUTS_KEPT: usize = 64;

#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    db: PathBuf,
    options: ServeOptions,
    idle: Mutex<Vec<Store>>,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
    layouts: Mutex<HashMap<(String, i64), Arc<String>>>,
}

impl AppState {
    /// Opens the store once (creating or migrating it) to fail early on a bad path.
    pub fn open(db: &Path, options: ServeOptions) -> Result<AppState, StoreError> {
        let first = Store::open(db)?;
        Ok(AppState {
            inner: Arc::new(Inner {
                db: db.to_path_buf(),
                options,
                idle: Mutex::new(vec![first]),
                failures: Mutex::new(HashMap::new()),
                layouts: Mutex::new(HashMap::new()),
            }),
        })
    }

    pub fn options(&self) -> &ServeOptions {
        &self.inner.options
    }

    /// Runs `f` with a store connection on the blocking pool.
    pub async fn with_store<T, F>(&self, f: F) -> Result<T, Fail>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, Fail> + Send + 'static,
    {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let popped = inner.idle.lock().map_err(Fail::internal)?.pop();
            let mut store = match popped {
                Some(s) => s,
                None => Store::open(&inner.db)?,
            };
            let out = f(&mut store);
            let mut idle = inner.idle.lock().map_err(Fail::internal)?;
            if idle.len() < POOL_IDLE {
                idle.push(store);
            }
            out
        })
        .await
        .map_err(Fail::internal)?
    }

    /// Whether sign-in for `name` from `address` is currently refused (too many recent
    /// failures), and for how many seconds more.
    pub fn locked_out(&self, name: &str, address: &str) -> Option<u64> {
        let mut failures = self.inner.failures.lock().ok()?;
        let now = Instant::now();
        let mut wait = None;
        for (key, limit) in [(format!("name:{name}"), FAILS_PER_NAME), (format!("addr:{address}"), FAILS_PER_ADDRESS)] {
            if let Some(q) = failures.get_mut(&key) {
                while q.front().is_some_and(|t| now.duration_since(*t) > WINDOW) {
                    q.pop_front();
                }
                if q.len() >= limit {
                    let oldest = *q.front()?;
                    let left = WINDOW.saturating_sub(now.duration_since(oldest)).as_secs().max(1);
                    wait = Some(wait.map_or(left, |w: u64| w.max(left)));
                }
            }
        }
        wait
    }

    pub fn record_failure(&self, name: &str, address: &str) {
        if let Ok(mut failures) = self.inner.failures.lock() {
            let now = Instant::now();
            for key in [format!("name:{name}"), format!("addr:{address}")] {
                failures.entry(key).or_default().push_back(now);
            }
            // Bound the table: forget keys whose failures have all aged out.
            if failures.len() > 100_000 {
                failures.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) <= WINDOW));
            }
        }
    }

    pub fn cached_layout(&self, key: &(String, i64)) -> Option<Arc<String>> {
        self.inner.layouts.lock().ok()?.get(key).cloned()
    }

    pub fn cache_layout(&self, key: (String, i64), json: Arc<String>) {
        if let Ok(mut layouts) = self.inner.layouts.lock() {
            if layouts.len() >= LAYOUTS_KEPT {
                layouts.clear();
            }
            layouts.insert(key, json);
        }
    }
}
