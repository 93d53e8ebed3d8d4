//! Roles inside a network: `core` accounts originate content that the network amplifies;
//! `amplifier` accounts mostly boost it.
//!
//! For each member the stage counts boosts (retweets, quotes, replies) it *received* from
//! other members on its own posts and boosts it *gave* to other members' posts. With enough
//! of that evidence ([`MIN_BOOSTS`]), a member is core when the network boosts its posts at
//! least twice and at least a quarter as often as it boosts others: core accounts also
//! amplify one another (a low-volume core account may give more boosts than it receives),
//! while amplifiers' own posts are rarely boosted at all.
//! An archive often holds only part of a network (the amplifiers of a core that is not in
//! the data, or a core whose amplifiers were not taken down): with too few in-network
//! boosts, the member's own behaviour decides — core when most of its posts are its own
//! (originals, quotes, replies) rather than retweets.

use crate::model::{Dataset, PostIndex, PostKind, NO_ACCOUNT, NO_POST};
use serde::Serialize;

/// A member's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Core,
    Amplifier,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Core => "core",
            Role::Amplifier => "amplifier",
        }
    }
}

/// Fewest in-network boosts (received + given) for the boost balance to decide a role.
pub const MIN_BOOSTS: u64 = 3;

/// The role of every account in a network (`network_of[account]`), `None` elsewhere.
pub fn roles(data: &Dataset, index: &PostIndex, network_of: &[Option<u32>]) -> Vec<Option<Role>> {
    let p = &data.posts;
    let n = data.accounts.len();
    let net = |a: u32| if a == NO_ACCOUNT { None } else { network_of.get(a as usize).copied().flatten() };
    let mut received = vec![0u64; n];
    let mut given = vec![0u64; n];
    let mut own = vec![0u64; n];
    let mut all = vec![0u64; n];
    for i in 0..p.len() {
        let a = p.account[i];
        let Some(na) = net(a) else { continue };
        all[a as usize] += 1;
        if p.kind[i] != PostKind::Retweet {
            own[a as usize] += 1;
        }
        let resolve = |acc: u32, post: u64| {
            if acc != NO_ACCOUNT {
                acc
            } else {
                index.author(p, post)
            }
        };
        let mut targets = [NO_ACCOUNT; 2];
        if matches!(p.kind[i], PostKind::Retweet | PostKind::Quote) {
            targets[0] = resolve(p.ref_account[i], p.ref_post[i]);
        }
        if p.reply_post[i] != NO_POST || p.reply_account[i] != NO_ACCOUNT {
            targets[1] = resolve(p.reply_account[i], p.reply_post[i]);
        }
        for b in targets {
            if b != a && net(b) == Some(na) {
                given[a as usize] += 1;
                received[b as usize] += 1;
            }
        }
    }
    (0..n)
        .map(|a| {
            network_of[a]?;
            let role = if received[a] + given[a] >= MIN_BOOSTS {
                if received[a] >= 2 && 4 * received[a] >= given[a] {
                    Role::Core
                } else {
                    Role::Amplifier
                }
            } else if own[a] * 2 >= all[a] && all[a] > 0 {
                Role::Core
            } else {
                Role::Amplifier
            };
            Some(role)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PostRecord;

    fn post(d: &mut Dataset, id: u64, by: &str, kind: PostKind, target: u64) {
        let r = PostRecord { id, time_ms: id as i64, kind, ref_post: target, ..PostRecord::default() };
        let a = d.accounts.intern(by);
        d.push_post(a, &r);
    }

    #[test]
    fn originators_are_core_and_boosters_amplifiers_even_in_a_partial_archive() {
        let mut d = Dataset::default();
        // c posts, a1 and a2 retweet it; c2 is a quieter core account that boosts c more
        // than it is boosted; lone is a core account whose amplifiers are not in the data
        // (only its own posts); ghost only retweets accounts not in the data.
        for k in 0..3 {
            post(&mut d, 10 + k, "c", PostKind::Original, 0);
            post(&mut d, 20 + k, "a1", PostKind::Retweet, 10 + k);
            post(&mut d, 30 + k, "a2", PostKind::Retweet, 10 + k);
            post(&mut d, 60 + k, "c2", PostKind::Retweet, 10 + k);
        }
        post(&mut d, 70, "c2", PostKind::Original, 0);
        post(&mut d, 71, "a1", PostKind::Retweet, 70);
        post(&mut d, 72, "a2", PostKind::Retweet, 70);
        post(&mut d, 40, "lone", PostKind::Original, 0);
        post(&mut d, 41, "lone", PostKind::Original, 0);
        post(&mut d, 50, "ghost", PostKind::Retweet, 999);
        post(&mut d, 51, "ghost", PostKind::Retweet, 998);
        let idx = |k: &str| d.accounts.lookup(k).unwrap() as usize;
        let mut network_of = vec![None; d.accounts.len()];
        for k in ["c", "c2", "a1", "a2", "lone", "ghost"] {
            network_of[idx(k)] = Some(0);
        }
        let r = roles(&d, &PostIndex::new(&d.posts), &network_of);
        assert_eq!(r[idx("c")], Some(Role::Core));
        assert_eq!(r[idx("c2")], Some(Role::Core));
        assert_eq!(r[idx("a1")], Some(Role::Amplifier));
        assert_eq!(r[idx("a2")], Some(Role::Amplifier));
        assert_eq!(r[idx("lone")], Some(Role::Core));
        assert_eq!(r[idx("ghost")], Some(Role::Amplifier));
    }
}
