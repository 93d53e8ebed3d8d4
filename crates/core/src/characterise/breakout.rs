//! A Breakout Scale estimate (Nimmo, Brookings 2020) for each network, from what the data
//! can show: how many platforms the network works on, and how many communities outside it
//! engage with it.
//!
//! - **Platforms**: the data's own platform, plus every hosting platform
//!   ([`crate::units::PLATFORM_DOMAINS`] and a few more) the network links to in at least
//!   [`MIN_PLATFORM_POSTS`] posts.
//! - **Communities reached**: outside accounts that retweet, quote or reply to the network's
//!   posts, grouped by community — another detected group (a network, or a crowd the screen
//!   set aside) when they belong to one, else the language they mostly post in. A community
//!   counts when at least [`MIN_COMMUNITY_ENGAGERS`] of its accounts, and a twentieth as many
//!   as the network has, engaged, bringing a twentieth of all engagement with its posts.
//! - **Category**: 1 = one platform, no outside community; 2 = several platforms or outside
//!   communities; 3 = both. Categories 4-6 (mainstream media, celebrities, policy response)
//!   need evidence that is not in platform data: reported as "evidence needed".

use crate::model::{Dataset, PostIndex, PostKind, NO_ACCOUNT, NO_STR};
use crate::signals::traces::normalise_url;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Fewest posts linking to a platform for the network to count as working on it.
pub const MIN_PLATFORM_POSTS: u64 = 5;
/// Fewest engaged accounts for an outside community to count as reached.
pub const MIN_COMMUNITY_ENGAGERS: usize = 5;

/// Hosting platforms beyond the data's own, by domain.
const PLATFORMS: [(&str, &str); 16] = [
    ("youtube.com", "YouTube"),
    ("youtu.be", "YouTube"),
    ("facebook.com", "Facebook"),
    ("instagram.com", "Instagram"),
    ("t.me", "Telegram"),
    ("telegra.ph", "Telegraph"),
    ("medium.com", "Medium"),
    ("vk.com", "VKontakte"),
    ("weibo.com", "Weibo"),
    ("tiktok.com", "TikTok"),
    ("reddit.com", "Reddit"),
    ("pinterest.com", "Pinterest"),
    ("soundcloud.com", "SoundCloud"),
    ("blogspot.com", "Blogger"),
    ("wordpress.com", "WordPress"),
    ("linkedin.com", "LinkedIn"),
];

/// PRODUCT.md §4 `breakout`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakout {
    pub category: u8,
    pub evidence: Vec<String>,
}

fn platform_of(domain: &str) -> Option<&'static str> {
    PLATFORMS.iter().find(|(d, _)| domain == *d || domain.ends_with(&format!(".{d}"))).map(|(_, name)| *name)
}

/// The estimate for each network. `network_of` / `dismissed_of`: the account's network or
/// set-aside group; `labels`: a name for each network and then each set-aside group.
pub fn breakout(
    data: &Dataset,
    index: &PostIndex,
    network_of: &[Option<u32>],
    dismissed_of: &[Option<u32>],
    networks: usize,
    labels: &[String],
) -> Vec<Breakout> {
    let p = &data.posts;
    // Main language of every account (most posts), for outside engagers with no group.
    let mut langs: HashMap<u32, HashMap<u32, u32>> = HashMap::new();
    let mut platform_posts: Vec<BTreeMap<&'static str, u64>> = vec![BTreeMap::new(); networks];
    let mut engagers: Vec<BTreeMap<u32, u64>> = vec![BTreeMap::new(); networks];
    let mut internal = vec![0u64; networks];
    for i in 0..p.len() {
        let a = p.account[i];
        let own = network_of.get(a as usize).copied().flatten();
        if let Some(n) = own {
            let mut seen = BTreeSet::new();
            for &u in p.urls.row(i) {
                if u == NO_STR {
                    continue;
                }
                if let Some(name) = normalise_url(data.strings.get(u)).and_then(|(_, d)| platform_of(&d)) {
                    if seen.insert(name) {
                        *platform_posts[n as usize].entry(name).or_default() += 1;
                    }
                }
            }
        }
        let target = match p.kind[i] {
            PostKind::Retweet | PostKind::Quote => {
                if p.ref_account[i] != NO_ACCOUNT {
                    p.ref_account[i]
                } else {
                    index.author(p, p.ref_post[i])
                }
            }
            _ if p.reply_account[i] != NO_ACCOUNT => p.reply_account[i],
            _ => index.author(p, p.reply_post[i]),
        };
        if target == NO_ACCOUNT || target == a {
            continue;
        }
        if let Some(n) = network_of.get(target as usize).copied().flatten() {
            if own == Some(n) {
                internal[n as usize] += 1;
            } else {
                *engagers[n as usize].entry(a).or_default() += 1;
                langs.entry(a).or_default();
            }
        }
    }
    // Languages of the engagers, from all their posts.
    for i in 0..p.len() {
        if let Some(m) = langs.get_mut(&p.account[i]) {
            *m.entry(p.lang[i]).or_default() += 1;
        }
    }
    (0..networks)
        .map(|n| {
            let mut communities: BTreeMap<String, (usize, u64)> = BTreeMap::new();
            for (&a, &events) in &engagers[n] {
                let c = if let Some(g) = network_of.get(a as usize).copied().flatten() {
                    format!("network {}", labels[g as usize])
                } else if let Some(g) = dismissed_of.get(a as usize).copied().flatten() {
                    format!("group {}", labels[networks + g as usize])
                } else {
                    let lang = langs[&a].iter().max_by_key(|(l, c)| (**c, std::cmp::Reverse(**l))).map(|(l, _)| *l);
                    match lang {
                        Some(l) if l != NO_STR => format!("{}-language accounts", data.strings.get(l)),
                        _ => "accounts of unknown language".to_string(),
                    }
                };
                let e = communities.entry(c).or_default();
                e.0 += 1;
                e.1 += events;
            }
            // A community reached is a real audience, not a few strays: its engaged accounts
            // must also number a twentieth of the network's own, and bring a twentieth of all
            // the engagement with the network's posts (an echo chamber reaches nobody).
            let members = network_of.iter().filter(|&&x| x == Some(n as u32)).count();
            let needed = MIN_COMMUNITY_ENGAGERS.max(members / 20);
            let total = internal[n] + engagers[n].values().sum::<u64>();
            let reached: Vec<(String, usize)> = communities
                .into_iter()
                .filter(|(_, (k, events))| *k >= needed && *events as f64 >= 0.05 * total as f64)
                .map(|(c, (k, _))| (c, k))
                .collect();
            let platforms: Vec<(&str, u64)> =
                platform_posts[n].iter().filter(|(_, &k)| k >= MIN_PLATFORM_POSTS).map(|(&p, &k)| (p, k)).collect();
            let many_platforms = !platforms.is_empty();
            let many_communities = !reached.is_empty();
            let category = 1 + many_platforms as u8 + many_communities as u8;
            let mut evidence = Vec::new();
            if platforms.is_empty() {
                evidence.push("one platform: no hosting platform linked in 5 or more posts".to_string());
            } else {
                let list: Vec<String> = platforms.iter().map(|(p, k)| format!("{p} ({k} posts)")).collect();
                evidence.push(format!(
                    "works on {} platforms: the data's own, {}",
                    1 + platforms.len(),
                    list.join(", ")
                ));
            }
            if engagers[n].is_empty() {
                evidence.push(
                    "no outside engagement with the network's posts in the data (the source may not record \
                     retweet and reply targets)"
                        .to_string(),
                );
            } else if reached.is_empty() {
                let outside: u64 = engagers[n].values().sum();
                evidence.push(format!(
                    "no outside community reached: {} outside engagers bring {outside} of {total} engagements; no \
                     community of them has {needed} or more accounts and a twentieth of the engagement",
                    engagers[n].len(),
                ));
            } else {
                let list: Vec<String> = reached.iter().map(|(c, k)| format!("{c} ({k} engagers)")).collect();
                evidence.push(format!("outside communities reached: {}", list.join(", ")));
            }
            evidence.push(
                "categories 4-6 (mainstream media, celebrity amplification, policy response): evidence needed \
                 from outside the data"
                    .to_string(),
            );
            Breakout { category, evidence }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PostRecord;

    fn post(d: &mut Dataset, id: u64, by: &str, kind: PostKind, target: u64, url: Option<&'static str>) {
        let r = PostRecord {
            id,
            time_ms: id as i64,
            kind,
            ref_post: target,
            lang: "en",
            urls: url.into_iter().collect(),
            ..Default::default()
        };
        let a = d.accounts.intern(by);
        d.push_post(a, &r);
    }

    #[test]
    fn an_echo_chamber_is_category_one_and_a_breakout_is_higher() {
        let mut d = Dataset::default();
        // Network 0: posts engaged only by its own member. Network 1: links to YouTube and
        // is retweeted by six outsiders.
        post(&mut d, 1, "op", PostKind::Original, 0, None);
        post(&mut d, 2, "amp", PostKind::Retweet, 1, None);
        for k in 0..6 {
            post(&mut d, 10 + k, "loud", PostKind::Original, 0, Some("https://www.youtube.com/watch?v=x"));
            post(&mut d, 100 + k, &format!("fan{k}"), PostKind::Retweet, 10 + k, None);
        }
        let mut network_of = vec![None; d.accounts.len()];
        let idx = |k: &str| d.accounts.lookup(k).unwrap() as usize;
        network_of[idx("op")] = Some(0);
        network_of[idx("amp")] = Some(0);
        network_of[idx("loud")] = Some(1);
        let b = breakout(
            &d,
            &PostIndex::new(&d.posts),
            &network_of,
            &vec![None; d.accounts.len()],
            2,
            &["N1".into(), "N2".into()],
        );
        assert_eq!(b[0].category, 1, "{:?}", b[0]);
        assert_eq!(b[1].category, 3, "{:?}", b[1]);
        assert!(b[1].evidence.iter().any(|e| e.contains("YouTube (6 posts)")), "{:?}", b[1]);
        assert!(b[1].evidence.iter().any(|e| e.contains("en-language accounts (6 engagers)")), "{:?}", b[1]);
        assert!(b.iter().all(|x| x.evidence.iter().any(|e| e.contains("evidence needed"))));
    }
}
