//! Post texts and their entities (hashtags, links, mentions), assembled from the banks.

use rand::Rng;

use super::banks::{self, Bank, Lang, NarrativeText, Topic, EMOJI};
use super::util::{alnum, capitalise, pick, Rng8};

/// A post being written: its text and the entity lists as archive fields (`[a, b]`).
#[derive(Default)]
pub struct Draft {
    pub text: String,
    pub tags: String,
    pub urls: String,
    pub mentions: String,
    n_tags: u32,
    n_urls: u32,
    n_mentions: u32,
}

impl Draft {
    pub fn clear(&mut self) {
        self.text.clear();
        self.tags.clear();
        self.urls.clear();
        self.mentions.clear();
        self.n_tags = 0;
        self.n_urls = 0;
        self.n_mentions = 0;
    }

    fn list_push(list: &mut String, n: &mut u32, item: &str) {
        if *n > 0 {
            list.push_str(", ");
        }
        list.push_str(item);
        *n += 1;
    }

    /// Adds a hashtag to the entities and ` #tag` to the text.
    pub fn tag(&mut self, t: &str) {
        if !self.text.is_empty() && !self.text.ends_with(' ') && !self.text.ends_with('\n') {
            self.text.push(' ');
        }
        self.text.push('#');
        self.text.push_str(t);
        Self::list_push(&mut self.tags, &mut self.n_tags, t);
    }

    /// Adds a hashtag to the entities only (the text already has it).
    pub fn tag_entity(&mut self, t: &str) {
        Self::list_push(&mut self.tags, &mut self.n_tags, t);
    }

    /// Adds an expanded link to the entities and a t.co link to the text.
    pub fn url(&mut self, rng: &mut Rng8, url: &str) {
        if !self.text.is_empty() && !self.text.ends_with(' ') {
            self.text.push(' ');
        }
        self.text.push_str("https://t.co/");
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        for _ in 0..10 {
            self.text.push(A[rng.random_range(0..A.len())] as char);
        }
        Self::list_push(&mut self.urls, &mut self.n_urls, url);
    }

    pub fn mention(&mut self, uid: &str) {
        Self::list_push(&mut self.mentions, &mut self.n_mentions, uid);
    }
}

fn push_word(out: &mut String, sep: &str, w: &str) {
    if w.is_empty() {
        return;
    }
    if !out.is_empty() && !out.ends_with(' ') && !out.ends_with('\n') {
        out.push_str(sep);
    }
    out.push_str(w);
}

/// One sentence: [opener] subject predicate [tail] end.
fn clause(rng: &mut Rng8, b: &Bank, out: &mut String) {
    if rng.random_bool(0.35) {
        push_word(out, b.sep, pick(rng, b.openers));
    }
    push_word(out, b.sep, pick(rng, b.subjects));
    push_word(out, b.sep, pick(rng, b.predicates));
    if rng.random_bool(0.45) {
        push_word(out, b.sep, pick(rng, b.tails));
    }
    out.push_str(pick(rng, b.ends));
}

fn topic_clause(rng: &mut Rng8, b: &Bank, topic: Topic, out: &mut String) {
    let t = &b.topics[topic as usize];
    if rng.random_bool(0.3) {
        push_word(out, b.sep, pick(rng, b.openers));
    }
    push_word(out, b.sep, pick(rng, t.subjects));
    push_word(out, b.sep, pick(rng, t.predicates));
    if rng.random_bool(0.3) {
        push_word(out, b.sep, pick(rng, b.tails));
    }
    out.push_str(pick(rng, b.ends));
}

/// Ordinary chatter, optionally about a news topic.
pub fn organic(rng: &mut Rng8, lang: Lang, topic: Option<Topic>, d: &mut Draft) {
    let b = lang.bank();
    let out = &mut d.text;
    match topic {
        Some(t) => {
            topic_clause(rng, b, t, out);
            if rng.random_bool(0.35) {
                out.push(' ');
                clause(rng, b, out);
            }
        }
        None => match rng.random_range(0..100) {
            0..=49 => clause(rng, b, out),
            50..=64 => {
                out.push_str(pick(rng, b.reactions));
                out.push_str(pick(rng, b.ends));
            }
            65..=94 => {
                clause(rng, b, out);
                out.push(' ');
                clause(rng, b, out);
            }
            _ => {
                clause(rng, b, out);
                out.push_str("\n\n");
                clause(rng, b, out);
            }
        },
    }
    if rng.random_bool(0.3) {
        out.push(' ');
        out.push_str(pick(rng, EMOJI));
        if rng.random_bool(0.3) {
            out.push_str(pick(rng, EMOJI));
        }
    }
    if rng.random_bool(0.004) {
        // Someone quoting a phrase: exercises CSV quote escaping.
        out.push_str(" \"");
        out.push_str(pick(rng, b.reactions));
        out.push('"');
    }
}

pub fn reply(rng: &mut Rng8, lang: Lang, screen: &str, d: &mut Draft) {
    let b = lang.bank();
    d.text.push('@');
    d.text.push_str(screen);
    d.text.push(' ');
    d.text.push_str(pick(rng, b.replies));
    if rng.random_bool(0.5) {
        d.text.push(' ');
        clause(rng, b, &mut d.text);
    }
    if rng.random_bool(0.3) {
        d.text.push(' ');
        d.text.push_str(pick(rng, EMOJI));
    }
}

pub fn quote(rng: &mut Rng8, lang: Lang, d: &mut Draft) {
    let b = lang.bank();
    d.text.push_str(pick(rng, b.quotes));
    if rng.random_bool(0.7) {
        d.text.push_str(if b.sep.is_empty() { "，" } else { ". " });
        clause(rng, b, &mut d.text);
    }
}

/// A journalist's or NGO's own words about a story.
pub fn news_share(rng: &mut Rng8, lang: Lang, topic: Topic, ngo: bool, d: &mut Draft) {
    let b = lang.bank();
    let t = &b.topics[topic as usize];
    let openers = if ngo { b.ngo_openers } else { b.news_openers };
    push_word(&mut d.text, b.sep, pick(rng, openers));
    push_word(&mut d.text, b.sep, &capitalise(pick(rng, t.subjects)));
    push_word(&mut d.text, b.sep, pick(rng, t.predicates));
    d.text.push_str(if lang == Lang::Zh { "。" } else { "." });
    if rng.random_bool(0.4) {
        d.text.push(' ');
        push_word(&mut d.text, b.sep, &capitalise(pick(rng, t.subjects)));
        push_word(&mut d.text, b.sep, pick(rng, t.predicates));
        d.text.push_str(if lang == Lang::Zh { "。" } else { "." });
    }
}

pub fn headline(rng: &mut Rng8, lang: Lang, topic: Topic) -> String {
    let b = lang.bank();
    let t = &b.topics[topic as usize];
    let mut s = capitalise(pick(rng, t.subjects));
    push_word(&mut s, b.sep, pick(rng, t.predicates));
    if rng.random_bool(0.5) {
        s.push_str(match lang {
            Lang::Zh => "，",
            Lang::Ar => "، ",
            _ => ", ",
        });
        let more = pick(rng, t.subjects);
        s.push_str(more);
        push_word(&mut s, b.sep, pick(rng, t.predicates));
    }
    s
}

/// Fills `{idol}`, `{tag}`, `{award}`, `{fandom}` and `{emoji}` in a fan template; hashtags
/// written as `#{...}` are recorded as entities.
pub fn fan_template(rng: &mut Rng8, tpl: &str, idol: &str, tag: &str, award: &str, fandom: &str, d: &mut Draft) {
    let mut rest = tpl;
    while let Some(i) = rest.find('{') {
        let (before, after) = rest.split_at(i);
        let Some(j) = after.find('}') else { break };
        let key = &after[1..j];
        let hashtag = before.ends_with('#');
        d.text.push_str(before);
        let value: &str = match key {
            "idol" => idol,
            "tag" => tag,
            "award" => award,
            "fandom" => fandom,
            _ => pick(rng, banks::FAN_EMOJI),
        };
        d.text.push_str(value);
        if hashtag {
            d.tag_entity(value);
        }
        rest = &after[j + 1..];
    }
    d.text.push_str(rest);
}

/// Slot choices of an operation post, so that copies can paraphrase the same message.
#[derive(Clone, Copy, Debug, Default)]
pub struct OpMessage {
    pub narrative: u16,
    pub text: u8,
    pub template: u8,
    pub a: u8,
    pub b: u8,
    pub c: u8,
}

impl OpMessage {
    pub fn new(rng: &mut Rng8, narrative: u16, text_idx: usize, t: &NarrativeText) -> OpMessage {
        let r = |rng: &mut Rng8, s: &[&str]| if s.is_empty() { 0 } else { rng.random_range(0..s.len()) as u8 };
        OpMessage {
            narrative,
            text: text_idx as u8,
            template: rng.random_range(0..t.templates.len()) as u8,
            a: r(rng, t.a),
            b: r(rng, t.b),
            c: r(rng, t.c),
        }
    }
}

/// Writes an operation message; with `edit`, applies small edits (filler, punctuation, a
/// different slot, an emoji) so that copies are near duplicates rather than exact ones.
pub fn op_message(rng: &mut Rng8, t: &NarrativeText, m: OpMessage, edit: bool, out: &mut String) {
    let mut m = m;
    let mut filler = None;
    let mut punct_swap = false;
    let mut emoji = None;
    if edit {
        match rng.random_range(0..5) {
            0 => filler = Some(pick(rng, banks::op_fillers(t.lang))),
            1 if !t.b.is_empty() => m.b = rng.random_range(0..t.b.len()) as u8,
            2 => punct_swap = true,
            3 => {
                emoji = Some(match t.lang {
                    Lang::Zh => pick(rng, &["👍", "😡", "🙏", "‼️", "❗", "🇨🇳", "💪", "👇"]),
                    Lang::Ru => pick(rng, &["👍", "❗", "‼️", "👇", "🇷🇺", "🤔"]),
                    Lang::Ar => pick(rng, &["👍", "❗", "👇", "🤲", "😡"]),
                    _ => pick(rng, &["👍", "😡", "‼️", "❗", "👇", "💯"]),
                })
            }
            _ => {
                if !t.a.is_empty() {
                    m.a = rng.random_range(0..t.a.len()) as u8;
                }
            }
        }
    }
    let start = out.len();
    if let Some(f) = filler {
        out.push_str(f);
        if t.lang != Lang::Zh {
            out.push(' ');
        }
    }
    let tpl = t.templates[m.template as usize % t.templates.len()];
    let mut rest = tpl;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let key = rest.as_bytes().get(i + 1).copied().unwrap_or(b'A');
        let slot: &[&str] = match key {
            b'A' => t.a,
            b'B' => t.b,
            _ => t.c,
        };
        let idx = match key {
            b'A' => m.a,
            b'B' => m.b,
            _ => m.c,
        } as usize;
        if !slot.is_empty() {
            out.push_str(slot[idx % slot.len()]);
        }
        rest = &rest[(i + 3).min(rest.len())..];
    }
    out.push_str(rest);
    if punct_swap {
        let swapped: String = out[start..]
            .chars()
            .map(|c| match c {
                '！' => '!',
                '!' => '！',
                '。' => '.',
                '，' => ',',
                ',' => '，',
                c => c,
            })
            .collect();
        out.truncate(start);
        out.push_str(&swapped);
    }
    if let Some(e) = emoji {
        out.push_str(e);
    }
}

pub fn op_reply(rng: &mut Rng8, lang: Lang, screen: &str, d: &mut Draft) {
    d.text.push('@');
    d.text.push_str(screen);
    d.text.push(' ');
    d.text.push_str(pick(rng, banks::op_replies(lang)));
}

pub fn op_quote(rng: &mut Rng8, lang: Lang, d: &mut Draft) {
    d.text.push_str(pick(rng, banks::op_quotes(lang)));
}

/// A general-interest link.
pub fn general_url(rng: &mut Rng8, day: i64) -> String {
    let (y, m, d) = super::time::civil_from_days(day - rng.random_range(0..30));
    let (domain, style) = pick(rng, banks::GENERAL_DOMAINS);
    let words = |rng: &mut Rng8, n: usize| -> String {
        (0..n).map(|_| pick(rng, banks::LATIN_WORDS)).collect::<Vec<_>>().join("-")
    };
    let mut u = match style {
        1 => format!("https://www.youtube.com/watch?v={}", alnum(rng, 11)),
        2 => format!("https://www.{domain}/p/{}/", alnum(rng, 11)),
        3 => format!("https://{domain}/track/{}", alnum(rng, 22)),
        4 => format!(
            "https://{domain}/@{}/{}-{}",
            pick(rng, banks::LATIN_WORDS),
            words(rng, 4),
            super::util::lower_alnum(rng, 12)
        ),
        5 => format!("https://{domain}/wiki/{}", capitalise(&words(rng, 2).replace('-', "_"))),
        6 => format!(
            "https://www.{domain}/r/{}/comments/{}/{}/",
            pick(rng, banks::LATIN_WORDS),
            super::util::lower_alnum(rng, 6),
            words(rng, 3).replace('-', "_")
        ),
        7 => format!("https://www.{domain}/{}{}", pick(rng, banks::LATIN_WORDS), rng.random_range(1..9999)),
        8 => format!("https://www.{domain}/title/tt{}/", rng.random_range(1_000_000..9_999_999)),
        9 => {
            format!("https://www.{domain}/listing/{}/{}", rng.random_range(100_000_000..999_999_999u64), words(rng, 3))
        }
        10 => format!("https://{domain}/{}/{}", pick(rng, banks::LATIN_WORDS), words(rng, 2)),
        _ => format!("https://www.{domain}/{y}/{m:02}/{d:02}/{}.html", words(rng, 5)),
    };
    if rng.random_bool(0.15) {
        u.push_str(pick(rng, banks::TRACKING));
    }
    u
}

/// A variant of a story link as people paste it (tracking parameters, no `www.`, http).
pub fn url_variant(rng: &mut Rng8, url: &str) -> String {
    match rng.random_range(0..10) {
        0 => format!("{url}{}", pick(rng, banks::TRACKING)),
        1 => url.replacen("https://www.", "https://", 1),
        2 => url.replacen("https://", "http://", 1),
        _ => url.to_string(),
    }
}

pub fn story_url(rng: &mut Rng8, outlet: &str, day: (i64, u32, u32), lang: Lang, topic: Topic) -> String {
    let section = match topic {
        Topic::HongKong | Topic::Taiwan => "world/asia",
        Topic::Covid => "health",
        Topic::UsPolitics => "politics",
        Topic::Economy => "business",
    };
    let b = Lang::En.bank();
    let t = &b.topics[topic as usize];
    let slug: String = format!("{} {}", pick(rng, t.subjects), pick(rng, t.predicates))
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let _ = lang;
    format!(
        "https://www.{outlet}/{}/{:02}/{:02}/{section}/{slug}-{}.html",
        day.0,
        day.1,
        day.2,
        rng.random_range(10_000..99_999)
    )
}
