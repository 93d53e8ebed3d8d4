use super::*;
use crate::model::{PostRecord, ProfileRecord};
use crate::signals::traces::{extract, TraceKind};
use proptest::prelude::*;
use std::collections::HashSet;

/// A template and its small edits (a word swapped, a number changed, an emoji and hashtag
/// appended, punctuation and spelling changed), then unrelated posts on the same topic.
struct Case {
    lang: &'static str,
    template: &'static str,
    edits: [&'static str; 4],
    unrelated: [&'static str; 3],
}

const CASES: [Case; 4] = [
    Case {
        lang: "en",
        template: "Day 100 of the riots in Hong Kong. Rioters are destroying our city, support the police and restore order now! #StandWithHKPolice",
        edits: [
            "Day 100 of the riots in Hong Kong. Thugs are destroying our city, support the police and restore order now! #StandWithHKPolice",
            "Day 101 of the riots in Hong Kong. Rioters are destroying our city, support the police and restore order now! #StandWithHKPolice",
            "Day 100 of the riots in Hong Kong. Rioters are destroying our city, support the police and restore order now! #StandWithHKPolice 🇨🇳 #HongKong",
            "Day 100 of the riots in Hong Kong - rioters are destroying our city!!! Support the police and restore order now. #StandWithHKPolice",
        ],
        unrelated: [
            "Thousands marched peacefully through Hong Kong today, demanding an independent inquiry into police conduct during the protests.",
            "Police in Hong Kong fired tear gas at protesters near the Legislative Council on Sunday, witnesses said.",
            "Hong Kong's economy shrank for a second quarter as the protests and the riots kept tourists away from the city.",
        ],
    },
    Case {
        lang: "zh",
        template: "香港暴乱已经持续100天，暴徒严重破坏社会秩序，我们坚决支持香港警察依法执法，止暴制乱！#香港",
        edits: [
            "香港暴乱已经持续100天，暴徒严重破坏社会秩序，我们坚定支持香港警察依法执法，止暴制乱！#香港",
            "香港暴乱已经持续101天，暴徒严重破坏社会秩序，我们坚决支持香港警察依法执法，止暴制乱！#香港",
            "香港暴乱已经持续100天，暴徒严重破坏社会秩序，我们坚决支持香港警察依法执法，止暴制乱！#香港 👍👍 #守护香港",
            "香港暴乱已经持续100天。暴徒严重破坏社会秩序!我们坚决支持香港警察依法执法 止暴制乱 #香港",
        ],
        unrelated: [
            "香港市民今天在维多利亚公园举行集会，要求政府回应五大诉求，警察在现场维持秩序。",
            "香港警察昨晚在旺角清场，多名示威者被捕，社会各界呼吁各方保持克制，尽快恢复秩序。",
            "受持续示威影响，香港零售业和旅游业大幅下滑，经济面临严峻挑战，社会秩序受到冲击。",
        ],
    },
    Case {
        lang: "ru",
        template: "Западные СМИ снова врут о ситуации в Донбассе. Правду скрывают уже 8 лет, но мы всё помним! #Донбасс",
        edits: [
            "Западные СМИ опять врут о ситуации в Донбассе. Правду скрывают уже 8 лет, но мы всё помним! #Донбасс",
            "Западные СМИ снова врут о ситуации в Донбассе. Правду скрывают уже 9 лет, но мы всё помним! #Донбасс",
            "Западные СМИ снова врут о ситуации в Донбассе. Правду скрывают уже 8 лет, но мы всё помним! #Донбасс 🇷🇺 #правда",
            "Западные СМИ снова врут о ситуации в Донбассе — правду скрывают уже 8 лет... но мы все помним #Донбасс",
        ],
        unrelated: [
            "В Донбассе сегодня прошли учения, журналисты сообщают о новых разрушениях в Донецке.",
            "Западные журналисты посетили Донецк и рассказали о жизни мирных жителей в условиях конфликта.",
            "Ситуация в Донбассе обсуждалась сегодня на заседании Совета Безопасности ООН в Нью-Йорке.",
        ],
    },
    Case {
        lang: "ar",
        template: "الإعلام الغربي يكذب مرة أخرى بشأن ما يحدث في اليمن منذ 5 سنوات، الحقيقة واضحة للجميع #اليمن",
        edits: [
            "الإعلام الغربي يكذب مرة أخرى بشأن ما يجري في اليمن منذ 5 سنوات، الحقيقة واضحة للجميع #اليمن",
            "الإعلام الغربي يكذب مرة أخرى بشأن ما يحدث في اليمن منذ 6 سنوات، الحقيقة واضحة للجميع #اليمن",
            "الإعلام الغربي يكذب مرة أخرى بشأن ما يحدث في اليمن منذ 5 سنوات، الحقيقة واضحة للجميع #اليمن 🇾🇪 #الحقيقة",
            "الاعلام الغربي يكذب مرة اخرى بشأن ما يحدث في اليمن منذ ٥ سنوات!! الحقيقة واضحة للجميع. #اليمن",
        ],
        unrelated: [
            "وصلت اليوم قافلة مساعدات إنسانية إلى اليمن تحمل أدوية وغذاء للأسر المتضررة من الحرب",
            "الإعلام الغربي يغطي الانتخابات الأمريكية بشكل مكثف هذا الأسبوع وسط انقسام حاد",
            "قالت الأمم المتحدة إن الوضع الإنساني في اليمن هو الأسوأ في العالم منذ سنوات",
        ],
    },
];

/// The exact Jaccard similarity of two texts' shingle sets.
fn exact_jaccard(a: &str, b: &str, o: &NearDupOptions) -> f64 {
    let set = |t: &str| {
        let mut s = HashSet::new();
        assert!(Scratch::default().shingles(t, o, |h| {
            s.insert(h);
        }));
        s
    };
    let (x, y) = (set(a), set(b));
    x.intersection(&y).count() as f64 / x.union(&y).count() as f64
}

/// One post per text, each by its own account, one minute apart.
fn dataset(texts: &[&str]) -> Dataset {
    let mut d = Dataset::new();
    for (i, t) in texts.iter().enumerate() {
        let a = d.set_profile(&format!("u{i}"), &ProfileRecord::default(), false);
        d.push_post(a, &PostRecord { id: i as u64 + 1, time_ms: i as i64 * 60_000, text: t, ..Default::default() });
    }
    d
}

fn cluster_of(t: &Traces) -> std::collections::HashMap<u32, u64> {
    (0..t.len()).map(|j| (t.post[j], t.item[j])).collect()
}

#[test]
fn templated_edits_match_and_topics_do_not_in_en_zh_ru_ar() {
    let texts: Vec<&str> =
        CASES.iter().flat_map(|c| std::iter::once(c.template).chain(c.edits).chain(c.unrelated)).collect();
    let d = dataset(&texts);
    let t = near_duplicate_traces(&d, &NearDupOptions::default(), 2);
    let cluster = cluster_of(&t);
    for (ci, c) in CASES.iter().enumerate() {
        let base = (ci * 8) as u32;
        assert_eq!(cluster.get(&base), Some(&(base as u64)), "{}: the template names its cluster", c.lang);
        for e in 1..=4 {
            assert_eq!(
                cluster.get(&(base + e)),
                Some(&(base as u64)),
                "{}: edit {e} {:?}",
                c.lang,
                c.edits[e as usize - 1]
            );
        }
        for u in 5..8 {
            assert_eq!(cluster.get(&(base + u)), None, "{}: unrelated {:?}", c.lang, c.unrelated[u as usize - 5]);
        }
    }
    assert_eq!(t.len(), CASES.len() * 5);
    assert_eq!(extract(&d, TraceKind::NearDuplicateText, 8), t);
}

#[test]
fn estimates_track_the_exact_jaccard() {
    let o = NearDupOptions::default();
    for c in &CASES {
        let s = signature(c.template, &o).unwrap();
        assert_eq!(s.len(), o.hashes);
        for t in c.edits.iter().chain(&c.unrelated) {
            let (exact, est) = (exact_jaccard(c.template, t, &o), estimated_jaccard(&s, &signature(t, &o).unwrap()));
            assert!((exact - est).abs() < 0.12, "{}: exact {exact:.2} est {est:.2} for {t:?}", c.lang);
        }
        // Edits stay well above the threshold; the topic stays well below it.
        for t in c.edits {
            assert!(exact_jaccard(c.template, t, &o) >= 0.8, "{}: {t:?}", c.lang);
        }
        for t in c.unrelated {
            assert!(exact_jaccard(c.template, t, &o) <= 0.1, "{}: {t:?}", c.lang);
        }
    }
}

#[test]
fn spelling_variants_and_punctuation_fold_away() {
    let o = NearDupOptions::default();
    let same = |a: &str, b: &str| assert_eq!(signature(a, &o), signature(b, &o), "{a:?} vs {b:?}");
    same("الإعلامُ الغربيّ يكذبُ مرةً أخرى في اليمن منذ ٥ سنوات", "الاعلام الغربي يكذب مرة اخرى في اليمن منذ 5 سنوات");
    same("Всё ещё врут о Донбассе, ничего нового!", "все еще врут о донбассе ничего нового");
    same("香港暴徒破坏社会秩序，支持警察依法执法！", "香港暴徒破坏社会秩序 支持警察 依法执法");
    assert_eq!(signature("too short 👍", &o), None);
}

#[test]
fn retweets_short_texts_and_singletons_give_no_traces() {
    let c = &CASES[0];
    let mut d = dataset(&[c.template, c.unrelated[0], "ok then", c.edits[0]]);
    let a = d.set_profile("rt", &ProfileRecord::default(), false);
    let rt = format!("RT @x: {}", c.template);
    d.push_post(a, &PostRecord { id: 99, kind: PostKind::Retweet, ref_post: 1, text: &rt, ..Default::default() });
    let t = near_duplicate_traces(&d, &NearDupOptions::default(), 1);
    assert_eq!(t.post, vec![0, 3]);
    assert_eq!(t.item, vec![0, 0]);
    let ids = cluster_ids(&d, &NearDupOptions::default(), 1);
    assert_eq!(ids, vec![0, NO_CLUSTER, NO_CLUSTER, 0, NO_CLUSTER]);
    // Within a subset of rows, clusters form among those rows only.
    assert!(near_duplicate_traces_in(&d, [0, 1, 2, 4], &NearDupOptions::default()).is_empty());
    assert_eq!(crate::signals::traces::extract_rows(&d, TraceKind::NearDuplicateText, [3, 0]), t);
}

#[test]
fn radix_sort_orders_by_key_and_keeps_indices_ascending() {
    let mut v: Vec<u64> = (0..5000u64).map(|i| (mix(i) % 97) << 32 | (mix(i) & 0xffff_0000) << 32 | i).collect();
    let mut want = v.clone();
    want.sort_unstable();
    radix_sort_high(&mut v, &mut Vec::new());
    assert_eq!(v, want);
}

#[test]
fn options_out_of_range_are_clamped() {
    let o = NearDupOptions {
        shingle_chars: 0,
        hashes: 16,
        bands: 64,
        threshold: f64::NAN,
        leaders: 0,
        ..Default::default()
    };
    let c = o.checked();
    assert_eq!((c.shingle_chars, c.bands, c.threshold, c.leaders), (1, 16, 1.0, 1));
    assert_eq!(c.min_agree(), 16);
    assert_eq!(NearDupOptions::default().min_agree(), 77);
    let d = dataset(&[CASES[0].template, CASES[0].edits[1], CASES[2].template, CASES[2].edits[1]]);
    let loose = NearDupOptions { hashes: 40, bands: 7, ..Default::default() }; // r = 5, hashed keys
    assert_eq!(near_duplicate_traces(&d, &loose, 3).post, vec![0, 1, 2, 3]);
}

/// Random texts for the properties: words of one script (Chinese: two-character words
/// written without spaces) and one number, at least 80 characters.
const EN: &str = "the of and to in is that for it as was with be by on not he this are or his from at which but have an they you were her she there one all we their has been if more when will would who so no about police city people government protest support order news media truth world country today again years freedom";
const RU: &str = "и в не на я быть он с что а по это она этот к но они мы как из у который то за свой весь год от так о для ты же все тот мочь вы человек такой его сказать только или ещё бы себя один как уже до время если сам когда другой правда страна";
const AR: &str = "في من على إلى عن مع هذا هذه التي الذي كان قال بين كل بعد عند أن لا ما هو هي نحن الحكومة الشعب الحقيقة اليوم العالم الإعلام الحرب السلام الناس المدينة البلاد الشرطة الأخبار سنوات";
const ZH: &str = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持音送坚香港警察暴徒秩序支持依执止乱";

fn vocab(script: usize) -> Vec<String> {
    match script {
        0 => EN.split(' ').map(String::from).collect(),
        1 => RU.split(' ').map(String::from).collect(),
        2 => AR.split(' ').map(String::from).collect(),
        _ => {
            let c: Vec<char> = ZH.chars().collect();
            (0..c.len() * c.len()).map(|i| [c[i % c.len()], c[(i / c.len()) % c.len()]].iter().collect()).collect()
        }
    }
}

/// A random text as tokens (one of them a number) and its copy with one small edit.
fn text_and_edit(script: usize, picks: &[u16], num: u32, edit: u8, at: u16, other: u16) -> (String, String) {
    let v = vocab(script);
    let mut tokens: Vec<String> = Vec::new();
    let (mut chars, mut p) = (0usize, picks.iter().cycle());
    while chars < 80 {
        let w = v[*p.next().unwrap() as usize % v.len()].clone();
        chars += w.chars().count() + 1;
        tokens.push(w);
    }
    let n_at = at as usize % tokens.len();
    tokens.insert(n_at, num.to_string());
    let mut edited = tokens.clone();
    let i = (at as usize * 7 + 3) % tokens.len();
    let word = v[other as usize % v.len()].clone();
    let mut suffix = "";
    match edit {
        0 => edited[i] = word,
        1 => edited[n_at] = (num + 1 + other as u32 % 50).to_string(),
        2 => suffix = if script == 3 { " 🔥🔥 #香港" } else { " 🔥🔥 #truth" },
        3 => edited[i].push_str(if script == 3 { "，" } else { "!!!" }),
        4 => {
            edited.remove(i);
        }
        _ => edited.insert(i, word),
    }
    let sep = if script == 3 { "" } else { " " };
    (tokens.join(sep), edited.join(sep) + suffix)
}

fn arb_pairs(n: usize) -> impl Strategy<Value = Vec<(String, String)>> {
    proptest::collection::vec(
        (0usize..4, proptest::collection::vec(any::<u16>(), 40), 0u32..3000, 0u8..6, any::<u16>(), any::<u16>()),
        n,
    )
    .prop_map(|v| {
        v.into_iter().map(|(s, picks, num, edit, at, other)| text_and_edit(s, &picks, num, edit, at, other)).collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// A text and its copy with one small edit share a cluster (at least 95% of pairs), and
    /// independent random texts never do.
    #[test]
    fn one_small_edit_stays_in_the_cluster(pairs in arb_pairs(40)) {
        let texts: Vec<&str> = pairs.iter().flat_map(|(a, b)| [a.as_str(), b.as_str()]).collect();
        let d = dataset(&texts);
        let ids = cluster_ids(&d, &NearDupOptions::default(), 2);
        let together = (0..pairs.len()).filter(|&i| ids[2 * i] != NO_CLUSTER && ids[2 * i] == ids[2 * i + 1]).count();
        prop_assert!(together * 100 >= pairs.len() * 95, "{together} of {} pairs matched", pairs.len());
        for (r, &c) in ids.iter().enumerate() {
            prop_assert!(c == NO_CLUSTER || c as usize / 2 == r / 2, "post {r} joined an unrelated text {c}");
        }
    }

    #[test]
    fn shard_count_never_changes_near_duplicate_traces(pairs in arb_pairs(12), shards in 1usize..9) {
        let mut texts: Vec<&str> = pairs.iter().flat_map(|(a, b)| [a.as_str(), b.as_str()]).collect();
        texts.extend(pairs.iter().map(|(_, b)| b.as_str())); // exact copies too
        let d = dataset(&texts);
        let one = extract(&d, TraceKind::NearDuplicateText, 1);
        prop_assert_eq!(&extract(&d, TraceKind::NearDuplicateText, shards), &one);
        prop_assert!(!one.is_empty());
    }
}

#[test]
fn near_duplicate_traces_do_not_depend_on_shards() {
    let texts: Vec<String> = (0..600u32)
        .map(|i| {
            let c = &CASES[(i % 4) as usize];
            let base = if i % 3 == 0 { c.edits[(i / 4 % 4) as usize] } else { c.template };
            if i % 5 == 0 {
                c.unrelated[(i % 3) as usize].to_string()
            } else {
                format!("{base} {}", i % 7)
            }
        })
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let d = dataset(&refs);
    let one = extract(&d, TraceKind::NearDuplicateText, 1);
    assert_eq!(extract(&d, TraceKind::NearDuplicateText, 2), one);
    assert_eq!(extract(&d, TraceKind::NearDuplicateText, 8), one);
    // Huge buckets (over `max_bucket`) fall back to one representative and still join.
    let small = NearDupOptions { max_bucket: 3, ..Default::default() };
    assert_eq!(near_duplicate_traces(&d, &small, 8), one);
    assert_eq!(one.runs().count(), 4 + 12, "four templates and twelve repeated unrelated posts");
}

#[test]
fn clusters_do_not_chain_from_one_text_to_an_unrelated_one() {
    // Each text is the previous one shifted by a word: neighbours are near duplicates, the
    // ends share nothing. Single linkage would make one cluster of all 30.
    let words: Vec<String> = vocab(0).into_iter().take(60).collect();
    let texts: Vec<String> = (0..30).map(|i| words[i..i + 14].join(" ")).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let o = NearDupOptions::default();
    let ids = cluster_ids(&dataset(&refs), &o, 2);
    assert!(ids.iter().filter(|&&c| c != NO_CLUSTER).count() >= 20, "{ids:?}");
    for (r, &c) in ids.iter().enumerate() {
        if c != NO_CLUSTER {
            let j = exact_jaccard(refs[r], refs[c as usize], &o);
            assert!(j >= 0.4, "post {r} is in the cluster of post {c} at Jaccard {j:.2}: {ids:?}");
        }
    }
}
