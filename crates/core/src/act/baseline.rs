//! A deliberately naive detector: flag every account that retweets, as one network.
//!
//! It exists to calibrate `cibscan eval` (a trivial baseline must score clearly below a
//! real detector) and to exercise the output contract end to end before detection exists.

use crate::model::{Dataset, PostKind};
use crate::run::output::AccountRow;

/// The network id the baseline gives every flagged account.
pub const BASELINE_NETWORK: &str = "baseline-retweeters";

/// One row per profiled account: flagged if it retweets at least `min_retweets` times;
/// role `amplifier` when retweets are most of its posts, else `core`.
pub fn flag_retweeters(data: &Dataset, min_retweets: u64) -> Vec<AccountRow> {
    let n = data.accounts.len();
    let mut posts = vec![0u64; n];
    let mut retweets = vec![0u64; n];
    for (i, &a) in data.posts.account.iter().enumerate() {
        posts[a as usize] += 1;
        if data.posts.kind[i] == PostKind::Retweet {
            retweets[a as usize] += 1;
        }
    }
    data.profiled_accounts()
        .map(|a| {
            let i = a as usize;
            let flagged = retweets[i] >= min_retweets.max(1);
            let share = if posts[i] == 0 { 0.0 } else { retweets[i] as f64 / posts[i] as f64 };
            AccountRow {
                account_id: data.accounts.key.get(a).to_string(),
                screen_name: data.strings.opt(data.accounts.screen_name[i]).unwrap_or("").to_string(),
                network_id: if flagged { BASELINE_NETWORK.to_string() } else { String::new() },
                operation_id: String::new(),
                role: match (flagged, share > 0.5) {
                    (false, _) => String::new(),
                    (true, true) => "amplifier".into(),
                    (true, false) => "core".into(),
                },
                coordination_score: if flagged { share } else { 0.0 },
                inauthenticity_score: None,
                posts: posts[i],
                signals: if flagged { "retweets".into() } else { String::new() },
            }
        })
        .collect()
}
