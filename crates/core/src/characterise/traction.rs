//! Traction: does anyone outside a group engage with what the group posts?
//!
//! An influence operation whose posts are boosted only by its own amplifiers is an echo
//! chamber; a newsroom or a fandom is engaged by people outside it. For each group this
//! counts the retweets, quotes and replies in the data aimed at its members' posts (the
//! target account is the retweeted or quoted author, resolved through the post id when the
//! source only names the post, or the replied-to account), split by whether the engager is
//! a member, and the share of the group's own posts that nobody engaged with at all —
//! counting the archive's like/retweet/reply/quote counts, which include engagers that are
//! not in the data.

use crate::model::{Dataset, PostIndex, PostKind, NO_ACCOUNT, NO_POST, UNKNOWN_COUNT};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The traction of one group (PRODUCT.md §4 `traction`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Traction {
    /// Share of the engagement in the data with the group's posts that comes from members;
    /// `None` when nobody in the data engaged with them.
    pub internal_engagement_share: Option<f64>,
    /// Distinct accounts outside the group that engaged with its posts.
    pub external_engagers: u64,
    /// Share of the group's originals, replies and quotes with no engagement at all (in the
    /// data or in the archive's counts); `None` when the group posted none.
    pub zero_engagement_share: Option<f64>,
    /// Engagement events in the data with the group's posts (retweets, quotes, replies).
    pub engagements: u64,
    /// Of those, by accounts outside the group.
    pub external_engagements: u64,
}

/// Traction of every group; `group_of[account]` is the account's group, if any, and there
/// are `groups` groups.
pub fn traction(data: &Dataset, index: &PostIndex, group_of: &[Option<u32>], groups: usize) -> Vec<Traction> {
    let p = &data.posts;
    let mut internal = vec![0u64; groups];
    let mut external = vec![0u64; groups];
    let mut engagers: Vec<HashSet<u32>> = vec![HashSet::new(); groups];
    let mut engaged_posts: HashSet<u64> = HashSet::new();
    let group = |a: u32| if a == NO_ACCOUNT { None } else { group_of.get(a as usize).copied().flatten() };
    for i in 0..p.len() {
        let engager = p.account[i];
        // A reply that quotes engages with both the quoted and the replied-to post.
        let mut targets: [(u64, u32); 2] = [(NO_POST, NO_ACCOUNT); 2];
        if matches!(p.kind[i], PostKind::Retweet | PostKind::Quote) {
            let a = if p.ref_account[i] != NO_ACCOUNT { p.ref_account[i] } else { index.author(p, p.ref_post[i]) };
            targets[0] = (p.ref_post[i], a);
        }
        if p.reply_post[i] != NO_POST || p.reply_account[i] != NO_ACCOUNT {
            let a =
                if p.reply_account[i] != NO_ACCOUNT { p.reply_account[i] } else { index.author(p, p.reply_post[i]) };
            targets[1] = (p.reply_post[i], a);
        }
        for (post, target) in targets {
            if target == engager {
                continue;
            }
            let Some(g) = group(target) else { continue };
            if post != NO_POST {
                engaged_posts.insert(post);
            }
            if group(engager) == Some(g) {
                internal[g as usize] += 1;
            } else {
                external[g as usize] += 1;
                engagers[g as usize].insert(engager);
            }
        }
    }
    let mut own = vec![0u64; groups];
    let mut zero = vec![0u64; groups];
    for i in 0..p.len() {
        if p.kind[i] == PostKind::Retweet {
            continue;
        }
        let Some(g) = group(p.account[i]) else { continue };
        own[g as usize] += 1;
        let counted: u64 = [p.like_count[i], p.retweet_count[i], p.reply_count[i], p.quote_count[i]]
            .iter()
            .filter(|&&c| c != UNKNOWN_COUNT)
            .map(|&c| c as u64)
            .sum();
        if counted == 0 && !(p.id[i] != NO_POST && engaged_posts.contains(&p.id[i])) {
            zero[g as usize] += 1;
        }
    }
    (0..groups)
        .map(|g| {
            let all = internal[g] + external[g];
            Traction {
                internal_engagement_share: (all > 0).then(|| internal[g] as f64 / all as f64),
                external_engagers: engagers[g].len() as u64,
                zero_engagement_share: (own[g] > 0).then(|| zero[g] as f64 / own[g] as f64),
                engagements: all,
                external_engagements: external[g],
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PostRecord;

    fn post(d: &mut Dataset, id: u64, by: &str, kind: PostKind, target: Option<(u64, &str)>, likes: u32) {
        let mut r = PostRecord { id, time_ms: id as i64 * 1000, kind, like_count: likes, ..PostRecord::default() };
        match kind {
            PostKind::Retweet | PostKind::Quote => {
                r.ref_post = target.unwrap().0;
                r.ref_account = None; // resolved through the post id
            }
            PostKind::Reply => {
                r.reply_post = target.unwrap().0;
                r.reply_account = Some(target.unwrap().1);
            }
            PostKind::Original => {}
        }
        let author = d.accounts.intern(by);
        d.push_post(author, &r);
    }

    #[test]
    fn echo_chamber_and_outside_audience_are_told_apart() {
        let mut d = Dataset::default();
        // Group 0 (a, b): a posts, only b retweets. Group 1 (j): engaged by outsiders x, y.
        post(&mut d, 1, "a", PostKind::Original, None, 0);
        post(&mut d, 2, "a", PostKind::Original, None, 0);
        post(&mut d, 3, "b", PostKind::Retweet, Some((1, "a")), 0);
        post(&mut d, 4, "j", PostKind::Original, None, 0);
        post(&mut d, 5, "j", PostKind::Original, None, 7);
        post(&mut d, 6, "x", PostKind::Retweet, Some((4, "j")), 0);
        post(&mut d, 7, "y", PostKind::Reply, Some((4, "j")), 0);
        let idx = |k: &str| d.accounts.lookup(k).unwrap() as usize;
        let mut group_of = vec![None; d.accounts.len()];
        group_of[idx("a")] = Some(0);
        group_of[idx("b")] = Some(0);
        group_of[idx("j")] = Some(1);
        let t = traction(&d, &PostIndex::new(&d.posts), &group_of, 2);
        assert_eq!(t[0].internal_engagement_share, Some(1.0));
        assert_eq!(t[0].external_engagers, 0);
        // Post 2 has no engagement; post 1 was retweeted.
        assert_eq!(t[0].zero_engagement_share, Some(0.5));
        assert_eq!(t[1].internal_engagement_share, Some(0.0));
        assert_eq!(t[1].external_engagers, 2);
        // Post 4 engaged in the data, post 5 only in the archive's like count.
        assert_eq!(t[1].zero_engagement_share, Some(0.0));
        assert_eq!(t[1].engagements, 2);
    }
}
