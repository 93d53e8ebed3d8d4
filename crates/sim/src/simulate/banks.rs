//! Word and phrase banks per language, news topics and the operations' narrative templates.
//!
//! Texts are assembled from these banks with enough slots that unrelated accounts rarely
//! produce identical text. Operation templates are deliberately few, so that near-duplicate
//! detection has something to find.

/// Languages the generator writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lang {
    En,
    Es,
    Zh,
    Ru,
    Ar,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 6] = [Lang::En, Lang::Es, Lang::Zh, Lang::Ru, Lang::Ar, Lang::Fr];

    pub fn from_code(s: &str) -> Option<Lang> {
        Some(match s {
            "en" => Lang::En,
            "es" => Lang::Es,
            "zh" => Lang::Zh,
            "ru" => Lang::Ru,
            "ar" => Lang::Ar,
            "fr" => Lang::Fr,
            _ => return None,
        })
    }

    /// `tweet_language` code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Zh => "zh",
            Lang::Ru => "ru",
            Lang::Ar => "ar",
            Lang::Fr => "fr",
        }
    }

    /// `account_language` code (the interface language).
    pub fn account_code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-cn",
            l => l.code(),
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn bank(self) -> &'static Bank {
        match self {
            Lang::En => &EN,
            Lang::Es => &ES,
            Lang::Zh => &ZH,
            Lang::Ru => &RU,
            Lang::Ar => &AR,
            Lang::Fr => &FR,
        }
    }
}

/// News topics shared by ordinary users, journalists, NGOs, bots and the operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Topic {
    HongKong = 0,
    Covid = 1,
    Taiwan = 2,
    UsPolitics = 3,
    Economy = 4,
}

pub const N_TOPICS: usize = 5;
pub const TOPICS: [Topic; N_TOPICS] = [Topic::HongKong, Topic::Covid, Topic::Taiwan, Topic::UsPolitics, Topic::Economy];

/// Subjects, predicates and hashtags about one news topic in one language.
pub struct TopicBank {
    pub subjects: &'static [&'static str],
    pub predicates: &'static [&'static str],
    pub hashtags: &'static [&'static str],
}

/// Everything needed to write ordinary text and profiles in one language.
pub struct Bank {
    /// Word separator (empty for Chinese).
    pub sep: &'static str,
    pub openers: &'static [&'static str],
    pub subjects: &'static [&'static str],
    pub predicates: &'static [&'static str],
    pub tails: &'static [&'static str],
    pub reactions: &'static [&'static str],
    pub replies: &'static [&'static str],
    pub quotes: &'static [&'static str],
    pub ends: &'static [&'static str],
    pub hashtags: &'static [&'static str],
    /// (native, latin transliteration) first names.
    pub first: &'static [(&'static str, &'static str)],
    /// (native, latin transliteration) last names.
    pub last: &'static [(&'static str, &'static str)],
    /// Last name first (Chinese) and no space between the names.
    pub family_first: bool,
    /// (place, UTC offset in hours, weight).
    pub places: &'static [(&'static str, f64, f64)],
    pub bio: &'static [&'static str],
    pub news_openers: &'static [&'static str],
    pub ngo_openers: &'static [&'static str],
    pub fan_game: &'static [&'static str],
    pub fan_chat: &'static [&'static str],
    pub idol_posts: &'static [&'static str],
    pub topics: [TopicBank; N_TOPICS],
}

#[rustfmt::skip]
pub const EMOJI: &[&str] = &[
    "😂", "😭", "🙏", "❤️", "🔥", "✨", "😍", "🥺", "👀", "💯", "🙌", "😅", "🤔", "😎", "🎉", "💀", "🥰", "😤", "👏", "🌸",
    "☕", "🌧️", "⚽", "🎶", "📚", "🍕", "🐶", "🐱", "🌙", "☀️",
];

#[rustfmt::skip]
pub const FAN_EMOJI: &[&str] = &["💜", "💙", "💖", "✨", "🌟", "🥺", "😭", "🫶", "💫", "👑"];

#[rustfmt::skip]
pub const CLIENTS: &[&str] = &[
    "Twitter for iPhone",
    "Twitter for Android",
    "Twitter Web App",
    "Twitter for iPad",
    "TweetDeck",
    "Tweetbot for iOS",
    "Hootsuite Inc.",
    "Sprout Social",
    "dlvr.it",
    "IFTTT",
    "WordPress.com",
    "Buffer",
    "twitterfeed",
    "Twitter Web Client",
    "Echofon",
];

/// General-interest domains for ordinary links, with a path style.
#[rustfmt::skip]
pub const GENERAL_DOMAINS: &[(&str, u8)] = &[
    ("youtube.com", 1),
    ("instagram.com", 2),
    ("open.spotify.com", 3),
    ("medium.com", 4),
    ("en.wikipedia.org", 5),
    ("nytimes.com", 0),
    ("theguardian.com", 0),
    ("bbc.com", 0),
    ("cnn.com", 0),
    ("espn.com", 0),
    ("buzzfeed.com", 0),
    ("reddit.com", 6),
    ("twitch.tv", 7),
    ("imdb.com", 8),
    ("etsy.com", 9),
    ("github.com", 10),
    ("goodreads.com", 8),
    ("elpais.com", 0),
    ("infobae.com", 0),
    ("lemonde.fr", 0),
    ("rbc.ru", 0),
    ("meduza.io", 0),
    ("aljazeera.net", 0),
    ("alarabiya.net", 0),
    ("udn.com", 0),
    ("ltn.com.tw", 0),
    ("weibo.com", 7),
    ("facebook.com", 2),
    ("tiktok.com", 7),
    ("nasa.gov", 0),
    ("theverge.com", 0),
    ("techcrunch.com", 0),
    ("allrecipes.com", 0),
    ("weather.com", 0),
];

/// News outlets for journalist desks.
#[rustfmt::skip]
pub const OUTLETS: &[&str] = &[
    "nytimes.com",
    "reuters.com",
    "bbc.co.uk",
    "scmp.com",
    "hongkongfp.com",
    "theguardian.com",
    "apnews.com",
    "bloomberg.com",
    "ft.com",
    "wsj.com",
    "washingtonpost.com",
    "cnn.com",
    "aljazeera.com",
    "dw.com",
    "france24.com",
    "rfa.org",
    "taipeitimes.com",
    "focustaiwan.tw",
    "theinitium.com",
    "axios.com",
    "politico.com",
    "economist.com",
    "npr.org",
    "latimes.com",
];

#[rustfmt::skip]
pub const TRACKING: &[&str] = &[
    "?utm_source=twitter&utm_medium=social",
    "?utm_source=Twitter&utm_campaign=share",
    "?s=20",
    "?ref=tw",
    "?utm_medium=Social&utm_source=Twitter#Echobox=1583761234",
    "#comments",
    "?smid=tw-share",
];

#[rustfmt::skip]
pub const LATIN_WORDS: &[&str] = &[
    "truth", "china", "world", "news", "peace", "report", "voice", "daily", "hk", "asia", "global", "review", "people",
    "insight", "fact", "focus", "story", "today", "nation", "future", "unity", "harmony", "real", "view", "star", "sky",
    "river", "lotus", "dragon", "panda", "falcon", "eagle", "cloud", "light", "moon", "sun", "ocean", "stone", "wind",
    "tiger", "jade", "pearl", "golden", "silver", "red", "blue", "green", "happy", "lucky", "smart", "sweet",
];

#[rustfmt::skip]
pub const FANDOMS: &[(&str, &str)] = &[
    ("NOVA9", "Novas"),
    ("LUMINA", "Lumis"),
    ("BLUEHOUR", "Hourglasses"),
    ("STARLIGHT", "Lights"),
    ("ECHO", "Echoes"),
    ("AURORA7", "Auroras"),
];

#[rustfmt::skip]
pub const AWARDS: &[&str] = &["StarAwards2020", "GlobalMusicVote", "TopSocialArtist", "FanChoiceAwards", "BestFandom2020"];

#[rustfmt::skip]
pub const WIRES: &[(&str, &str, Lang)] = &[
    ("World Wire", "worldwire-news.com", Lang::En),
    ("Breaking Desk", "breakingdesk.net", Lang::En),
    ("Noticias al Momento", "noticiasalmomento.com", Lang::Es),
    ("عاجل الآن", "ajel-now.net", Lang::Ar),
    ("Metro Daily", "metrodaily-news.com", Lang::En),
    ("Info Direct", "infodirect24.fr", Lang::Fr),
    ("Лента Дня", "lentadnya.ru", Lang::Ru),
    ("快讯网", "kuaixun-news.com", Lang::Zh),
];

#[rustfmt::skip]
pub const NGO_WORDS: (&[&str], &[&str], &[&str]) = (
    &["Asia", "Global", "International", "Open", "Pacific", "Civic", "Free", "Democracy"],
    &["Rights", "Press Freedom", "Justice", "Liberty", "Human Rights", "Media", "Democracy", "Refugee"],
    &["Watch", "Monitor", "Coalition", "Network", "Alliance", "Initiative", "Forum", "Council"],
);

#[rustfmt::skip]
static EN: Bank = Bank {
    sep: " ",
    openers: &[
        "Honestly", "Ok so", "Just realized", "Can't believe", "Reminder:", "Hot take:", "Not gonna lie,", "Update:",
        "Fun fact:", "Today", "This morning", "Tonight", "Lowkey", "PSA:", "So apparently", "Random thought:", "Finally",
        "Still thinking about how", "Every time", "Wow", "Ugh", "Yesss", "Quick question: why", "Good morning!",
        "Big news:", "Friendly reminder that", "Unpopular opinion:", "Imagine if", "I swear", "Plot twist:",
    ],
    subjects: &[
        "my coffee", "the new album", "this weather", "my cat", "the traffic downtown", "our team", "the season finale",
        "my landlord", "the gym", "this playlist", "my sister's wedding", "the new update", "the train", "my boss",
        "the pizza place on 5th", "this book", "my garden", "the game last night", "online classes", "the new phone",
        "my dog", "that movie", "the concert", "grocery prices", "my sourdough starter", "this podcast", "the city council",
        "my morning run", "our neighborhood", "the office printer", "the new café", "remote work", "my group chat",
        "the local library", "the bus schedule", "this heatwave", "my fantasy team", "the farmers market", "my laptop",
        "the referee", "my little brother", "the wifi", "the new season", "my houseplants", "the bakery",
    ],
    predicates: &[
        "is exactly what I needed", "made my whole day", "is absolutely wild", "needs to be studied",
        "is getting out of hand", "deserves more attention", "is a whole mood", "keeps getting better",
        "broke my heart a little", "is not it", "saved my week", "has me questioning everything", "is giving me life",
        "could not be more chaotic", "is overrated and I said what I said", "is underrated honestly",
        "just keeps surprising me", "took forever", "was worth the wait", "ruined my plans", "is the best thing this year",
        "made me laugh way too hard", "is somehow still a thing", "lives rent free in my head", "needs a sequel",
        "is testing my patience", "finally arrived", "feels like home", "hit different today", "cost way too much",
        "is back and better than ever", "was a total disaster", "turned out great", "made no sense", "is peak comedy",
        "changed my mind", "kept me up all night", "is so relaxing", "deserves an award", "is my new obsession",
    ],
    tails: &[
        "today", "tbh", "lol", "again", "this week", "for real", "no cap", "honestly", "right now", "as usual", "somehow",
        "and I love it", "and I'm not okay", "send help", "smh", "once again", "at 3am", "on a Monday", "this time",
        "for once", "I guess", "fr", "ngl", "istg", "period", "and that's on that", "seriously", "apparently",
    ],
    reactions: &[
        "same", "this is so true", "can't wait", "what a day", "i need a nap", "happy friday everyone", "who else is up",
        "mood", "we move", "not me crying", "big if true", "love this", "good night twitter", "it's giving",
        "let's go!!!", "this is everything", "I'm so tired", "best day ever", "no thoughts just vibes",
        "can we talk about this", "monday again", "coffee first", "home sweet home", "so proud of us",
    ],
    replies: &[
        "haha exactly", "I totally agree", "no way", "this!!", "congrats!!", "so true", "couldn't have said it better",
        "wait really?", "love this", "lol same", "thank you for sharing", "100%", "this is the way", "omg yes",
        "hard disagree tbh", "source?", "hope you feel better", "that's wild", "good point", "happy birthday!!",
        "miss you!", "we should do this again", "ahh so cute", "you're right", "I needed this today",
    ],
    quotes: &[
        "Worth reading", "This is important", "lol", "Exactly what I was saying", "Can't stop thinking about this",
        "Read this thread", "Well said", "Wild", "Everyone should see this", "This made me smile", "Yep",
    ],
    ends: &["", "", ".", "!", "!!", "...", " lol", "?"],
    hashtags: &[
        "MondayMotivation", "ThrowbackThursday", "FridayFeeling", "TBT", "NowPlaying", "weekend", "coffee", "foodie",
        "fitness", "travel", "photography", "books", "NBA", "PremierLeague", "gaming", "art", "music", "love", "nature",
        "WorkFromHome", "dogsoftwitter", "catsoftwitter",
    ],
    first: &[
        ("James", "james"), ("Mary", "mary"), ("John", "john"), ("Patricia", "patricia"), ("Robert", "robert"),
        ("Jennifer", "jennifer"), ("Michael", "michael"), ("Linda", "linda"), ("David", "david"), ("Emily", "emily"),
        ("Chris", "chris"), ("Sarah", "sarah"), ("Daniel", "daniel"), ("Jessica", "jessica"), ("Matt", "matt"),
        ("Ashley", "ashley"), ("Kevin", "kevin"), ("Megan", "megan"), ("Brian", "brian"), ("Rachel", "rachel"),
        ("Tyler", "tyler"), ("Lauren", "lauren"), ("Jake", "jake"), ("Olivia", "olivia"), ("Ryan", "ryan"),
        ("Hannah", "hannah"), ("Priya", "priya"), ("Arjun", "arjun"), ("Chloe", "chloe"), ("Liam", "liam"),
        ("Noah", "noah"), ("Emma", "emma"), ("Ava", "ava"), ("Ethan", "ethan"), ("Grace", "grace"), ("Zoe", "zoe"),
        ("Kelly", "kelly"), ("Taylor", "taylor"), ("Jordan", "jordan"), ("Sam", "sam"),
    ],
    last: &[
        ("Smith", "smith"), ("Johnson", "johnson"), ("Williams", "williams"), ("Brown", "brown"), ("Jones", "jones"),
        ("Miller", "miller"), ("Davis", "davis"), ("Wilson", "wilson"), ("Anderson", "anderson"), ("Taylor", "taylor"),
        ("Thomas", "thomas"), ("Moore", "moore"), ("Martin", "martin"), ("Jackson", "jackson"), ("Thompson", "thompson"),
        ("White", "white"), ("Harris", "harris"), ("Clark", "clark"), ("Lewis", "lewis"), ("Walker", "walker"),
        ("Hall", "hall"), ("Young", "young"), ("King", "king"), ("Wright", "wright"), ("Scott", "scott"),
        ("Green", "green"), ("Baker", "baker"), ("Adams", "adams"), ("Nelson", "nelson"), ("Hill", "hill"),
        ("Patel", "patel"), ("Shah", "shah"), ("Kelly", "kelly"), ("Murphy", "murphy"), ("O'Brien", "obrien"),
        ("Reed", "reed"), ("Cooper", "cooper"), ("Price", "price"), ("Ward", "ward"), ("Hughes", "hughes"),
        ("Chan", "chan"), ("Wong", "wong"), ("Nguyen", "nguyen"), ("Kim", "kim"),
    ],
    family_first: false,
    places: &[
        ("New York, NY", -5.0, 10.0), ("Brooklyn, NY", -5.0, 4.0), ("Boston, MA", -5.0, 3.0), ("Atlanta, GA", -5.0, 3.0),
        ("Washington, DC", -5.0, 3.0), ("Toronto, Ontario", -5.0, 3.0), ("Chicago, IL", -6.0, 5.0), ("Austin, TX", -6.0, 3.0),
        ("Houston, TX", -6.0, 3.0), ("Los Angeles, CA", -8.0, 7.0), ("Seattle, WA", -8.0, 3.0),
        ("San Francisco, CA", -8.0, 4.0), ("London, England", 0.0, 8.0), ("Manchester, England", 0.0, 3.0),
        ("Dublin, Ireland", 0.0, 2.0), ("Mumbai, India", 5.5, 4.0), ("Bengaluru, India", 5.5, 3.0),
        ("Sydney, New South Wales", 10.0, 3.0), ("Melbourne, Victoria", 10.0, 2.0), ("Lagos, Nigeria", 1.0, 3.0),
        ("Manila, Philippines", 8.0, 3.0), ("United States", -5.0, 6.0), ("Hong Kong", 8.0, 2.0),
    ],
    bio: &[
        "coffee addict", "dog mom", "writer", "Arsenal fan", "she/her", "he/him", "software engineer", "nurse", "student",
        "photographer", "views are my own", "teacher 🍎", "music lover", "just here for the memes", "proud dad",
        "runner 🏃", "gamer", "foodie", "bookworm 📚", "living my best life", "UX designer", "Lakers fan", "plant parent 🌱",
        "cat person", "travel junkie ✈️", "amateur chef", "math nerd", "aspiring novelist", "retired and loving it",
        "grad student", "marketing @ startup", "history buff", "sneakerhead", "mom of 3", "hiker", "jazz enthusiast",
    ],
    news_openers: &[
        "BREAKING:", "NEW:", "JUST IN:", "Scoop:", "Update:", "Developing:", "Important story from my colleagues:",
        "My latest:", "Worth your time:", "Must read:", "Here's what we know:", "Exclusive:", "Read our report:",
        "From our team on the ground:", "Big story today:",
    ],
    ngo_openers: &[
        "We condemn this:", "Deeply concerned:", "Statement:", "Urgent action:", "Our new report:",
        "Joint statement with partners:", "We call on the authorities to respect human rights.", "Read our analysis:",
        "This must stop.", "Press freedom alert:",
    ],
    fan_game: &[
        "I vote #{idol} for #{award} {emoji}", "#{award} I'm voting for #{idol} {emoji}", "streaming {idol} all day #{tag}",
        "{idol} you deserve the world #{tag} {emoji}", "happy {idol} day!! #{tag} {emoji}", "we love you {idol} #{tag} {emoji}",
        "{idol} comeback era is here #{tag}", "#{tag} #{idol} {emoji}{emoji}", "vote vote vote!! #{idol} #{award}",
    ],
    fan_chat: &[
        "{idol} looked so good in the new teaser", "can't stop listening to {idol}", "{idol} live was insane",
        "the way {idol} smiled at the end", "{idol} fancams are my cardio", "new {idol} photos just dropped",
        "{idol} deserves so much better", "rewatching the {idol} vlive again",
    ],
    idol_posts: &[
        "Thank you so much for all the love #{tag}", "New music out now! #{tag}", "See you tonight #{tag}",
        "Love you all, {fandom} #{tag}", "We did it!! Thank you {fandom} #{tag}", "Behind the scenes #{tag}",
    ],
    topics: [
        TopicBank {
            subjects: &[
                "Hong Kong protesters", "the Hong Kong government", "police in Hong Kong", "pro-democracy lawmakers",
                "students at PolyU", "the district council election", "Carrie Lam", "Hong Kong's national security law",
            ],
            predicates: &[
                "marched again despite the ban", "faced tear gas in Mong Kok", "announced new restrictions",
                "called for an independent inquiry", "won a landslide", "drew international criticism",
                "sparked a fresh wave of arrests", "defended the crackdown",
            ],
            hashtags: &["HongKong", "HongKongProtests", "StandWithHongKong", "HKPolice"],
        },
        TopicBank {
            subjects: &[
                "the coronavirus outbreak", "COVID-19 cases", "the WHO", "hospitals in New York", "the lockdown",
                "the vaccine trial", "mask shortages", "the CDC",
            ],
            predicates: &[
                "keep rising across Europe", "declared a pandemic", "are running out of beds", "was extended to May",
                "showed early promise", "worry health workers", "issued new guidance", "reached a grim milestone",
            ],
            hashtags: &["coronavirus", "COVID19", "StayHome", "Covid_19"],
        },
        TopicBank {
            subjects: &[
                "Taiwan's election", "Tsai Ing-wen", "Taipei", "the Taiwan Strait", "Taiwan's mask diplomacy",
                "Taiwan's WHO bid", "Chinese warplanes", "Taiwanese voters",
            ],
            predicates: &[
                "delivered a second term", "won re-election by a wide margin", "pushed back on Beijing",
                "saw new military drills", "won praise abroad", "was blocked again", "crossed the median line",
                "turned out in record numbers",
            ],
            hashtags: &["Taiwan", "TaiwanElection", "TaiwanCanHelp"],
        },
        TopicBank {
            subjects: &[
                "the impeachment trial", "the Senate", "the Iowa caucuses", "the White House", "Super Tuesday",
                "the stimulus bill", "the Democratic debate", "the Supreme Court",
            ],
            predicates: &[
                "ended in acquittal", "passed the relief package", "descended into chaos", "pushed back on reports",
                "reshaped the race", "is stuck in Congress", "got heated tonight", "heard arguments today",
            ],
            hashtags: &["Impeachment", "Election2020", "DemDebate", "SuperTuesday"],
        },
        TopicBank {
            subjects: &[
                "oil prices", "the stock market", "unemployment claims", "the Fed", "small businesses", "airlines",
                "the trade deal", "supply chains",
            ],
            predicates: &[
                "crashed below zero", "had its worst day since 1987", "hit a record high", "cut rates to zero",
                "are struggling to survive", "asked for a bailout", "was signed at last", "are under strain",
            ],
            hashtags: &["economy", "stocks", "oil", "recession"],
        },
    ],
};

#[rustfmt::skip]
static ES: Bank = Bank {
    sep: " ",
    openers: &[
        "Hoy", "La verdad", "Ojo:", "No puedo creer que", "Confieso que", "Por fin", "Ya saben que", "Dato curioso:",
        "Buenos días,", "Qué locura,", "Atención:", "Otra vez", "Esta mañana", "Esta noche", "Sinceramente",
        "Me acabo de dar cuenta de que", "Nada como", "Ay", "Recordatorio:", "Opinión impopular:",
    ],
    subjects: &[
        "mi café", "el nuevo disco", "este calor", "mi gato", "el tráfico en el centro", "nuestro equipo", "el final de la serie",
        "mi jefe", "el gimnasio", "esta lista de reproducción", "la boda de mi prima", "el metro", "este libro",
        "mi perro", "esa película", "el concierto", "los precios del súper", "este pódcast", "mi barrio",
        "las clases en línea", "el partido de anoche", "la panadería de la esquina", "mi abuela", "el clásico",
        "la nueva actualización", "mi celular", "el wifi", "la lluvia", "mis plantas", "el asado del domingo",
    ],
    predicates: &[
        "es justo lo que necesitaba", "me alegró el día", "está de locos", "merece más atención", "no tiene sentido",
        "me tiene harto", "sigue mejorando", "me rompió el corazón", "me salvó la semana", "es lo mejor del año",
        "me hizo reír demasiado", "tardó una eternidad", "valió la pena", "arruinó mis planes", "es una joya",
        "me quitó el sueño", "está carísimo", "volvió mejor que nunca", "fue un desastre", "salió genial",
        "me tiene enamorado", "es puro arte", "no para de sorprenderme", "me dejó sin palabras",
    ],
    tails: &[
        "hoy", "jaja", "otra vez", "esta semana", "de verdad", "como siempre", "en serio", "ahora mismo", "y lo amo",
        "ayuda", "para variar", "a las 3am", "un lunes", "sin más", "qué le vamos a hacer", "literal", "jajaja",
    ],
    reactions: &[
        "igual yo", "qué día", "necesito una siesta", "feliz viernes", "quién sigue despierto", "me encanta",
        "no puedo más", "buenas noches", "vamos!!!", "qué belleza", "estoy cansadísimo", "el mejor día",
        "mood", "ya es lunes otra vez", "primero el café",
    ],
    replies: &[
        "jaja exacto", "totalmente de acuerdo", "no puede ser", "esto!!", "felicidades!!", "muy cierto", "en serio?",
        "me encanta", "jaja igual", "gracias por compartir", "100%", "qué fuerte", "buen punto", "feliz cumple!!",
        "te extraño", "tienes razón", "qué lindo",
    ],
    quotes: &["Vale la pena leer", "Esto es importante", "jajaja", "Exacto", "Lean este hilo", "Bien dicho", "Qué locura"],
    ends: &["", "", ".", "!", "!!", "...", " jaja"],
    hashtags: &["FelizLunes", "Viernes", "Música", "Fútbol", "LaLiga", "Comida", "Viajes", "QuédateEnCasa", "Libros"],
    first: &[
        ("María", "maria"), ("José", "jose"), ("Juan", "juan"), ("Carlos", "carlos"), ("Luis", "luis"), ("Ana", "ana"),
        ("Sofía", "sofia"), ("Valentina", "valentina"), ("Diego", "diego"), ("Javier", "javier"), ("Lucía", "lucia"),
        ("Camila", "camila"), ("Andrés", "andres"), ("Alejandro", "alejandro"), ("Pablo", "pablo"),
        ("Daniela", "daniela"), ("Fernando", "fernando"), ("Gabriela", "gabriela"), ("Miguel", "miguel"),
        ("Carmen", "carmen"), ("Mateo", "mateo"), ("Paula", "paula"),
    ],
    last: &[
        ("García", "garcia"), ("Rodríguez", "rodriguez"), ("Martínez", "martinez"), ("López", "lopez"),
        ("González", "gonzalez"), ("Pérez", "perez"), ("Sánchez", "sanchez"), ("Ramírez", "ramirez"), ("Torres", "torres"),
        ("Flores", "flores"), ("Díaz", "diaz"), ("Vargas", "vargas"), ("Castillo", "castillo"), ("Romero", "romero"),
        ("Herrera", "herrera"), ("Morales", "morales"), ("Ruiz", "ruiz"), ("Ortiz", "ortiz"),
    ],
    family_first: false,
    places: &[
        ("Madrid, España", 1.0, 5.0), ("Barcelona", 1.0, 3.0), ("Sevilla", 1.0, 1.0), ("Ciudad de México", -6.0, 6.0),
        ("Guadalajara, Jalisco", -6.0, 2.0), ("Buenos Aires, Argentina", -3.0, 5.0), ("Bogotá, Colombia", -5.0, 4.0),
        ("Lima, Perú", -5.0, 2.0), ("Santiago, Chile", -4.0, 2.0), ("Caracas, Venezuela", -4.0, 2.0), ("Miami, FL", -5.0, 1.0),
    ],
    bio: &[
        "amante del café", "estudiante", "periodismo y fútbol", "madre de dos", "ingeniero", "viajera", "lectora empedernida",
        "hincha del Barça", "músico", "diseñadora gráfica", "profe de historia", "fotografía 📷", "soñadora", "médico",
        "amo a mi perro", "opiniones propias", "cocinero aficionado",
    ],
    news_openers: &["ÚLTIMA HORA:", "NUEVO:", "Atención:", "Exclusiva:", "Lo que sabemos:", "Mi crónica:", "Imprescindible:"],
    ngo_openers: &["Condenamos esto:", "Profunda preocupación:", "Comunicado:", "Acción urgente:", "Nuevo informe:"],
    fan_game: &[
        "Voto por #{idol} en #{award} {emoji}", "#{award} mi voto es para #{idol} {emoji}", "te amamos {idol} #{tag} {emoji}",
        "feliz día {idol}!! #{tag}", "escuchando a {idol} todo el día #{tag}", "#{tag} #{idol} {emoji}{emoji}",
    ],
    fan_chat: &[
        "{idol} se veía increíble en el teaser", "no puedo dejar de escuchar a {idol}", "el live de {idol} fue lo máximo",
        "{idol} merece todo", "nuevas fotos de {idol}!!",
    ],
    idol_posts: &["¡Gracias por todo el amor! #{tag}", "¡Nueva música ya disponible! #{tag}", "Los queremos, {fandom} #{tag}"],
    topics: [
        TopicBank {
            subjects: &["los manifestantes de Hong Kong", "el gobierno de Hong Kong", "la policía hongkonesa", "los estudiantes"],
            predicates: &["volvieron a marchar", "anunciaron nuevas restricciones", "reciben críticas internacionales", "piden una investigación"],
            hashtags: &["HongKong", "HongKongProtests"],
        },
        TopicBank {
            subjects: &["el coronavirus", "los contagios", "la OMS", "los hospitales", "la cuarentena", "la vacuna"],
            predicates: &["siguen en aumento", "declaró la pandemia", "están al límite", "se extiende hasta mayo", "genera esperanza"],
            hashtags: &["coronavirus", "COVID19", "QuédateEnCasa", "YoMeQuedoEnCasa"],
        },
        TopicBank {
            subjects: &["las elecciones en Taiwán", "Tsai Ing-wen", "Taipéi", "el estrecho de Taiwán"],
            predicates: &["dieron un segundo mandato", "ganó con amplia ventaja", "responde a Pekín", "registra nuevas maniobras"],
            hashtags: &["Taiwán", "Taiwan"],
        },
        TopicBank {
            subjects: &["el juicio político", "el Senado de EE.UU.", "la Casa Blanca", "el supermartes", "el debate demócrata"],
            predicates: &["terminó en absolución", "aprobó el paquete", "desmiente los informes", "cambió la carrera", "fue intenso"],
            hashtags: &["EEUU", "Elecciones2020"],
        },
        TopicBank {
            subjects: &["el precio del petróleo", "la bolsa", "el desempleo", "la inflación", "las pymes"],
            predicates: &["se desploma", "vivió su peor día", "sube sin freno", "preocupa a todos", "luchan por sobrevivir"],
            hashtags: &["economía", "Bolsa", "petróleo"],
        },
    ],
};

#[rustfmt::skip]
static ZH: Bank = Bank {
    sep: "",
    openers: &[
        "今天", "说真的，", "刚刚发现", "没想到", "提醒一下：", "突然觉得", "终于", "早安！", "晚上好，", "哈哈，", "唉，",
        "不得不说，", "分享一下：", "周末", "今早", "有人知道吗，", "其实", "太好了，", "天哪，", "又是",
    ],
    subjects: &[
        "我的咖啡", "新专辑", "这天气", "我家猫", "市区的交通", "我们队", "大结局", "房东", "健身房", "这个歌单", "表姐的婚礼",
        "地铁", "老板", "楼下那家面馆", "这本书", "我的阳台花园", "昨晚的比赛", "网课", "新手机", "我家狗", "那部电影",
        "演唱会", "菜价", "这个播客", "我们小区", "公司打印机", "新开的奶茶店", "居家办公", "家族群", "图书馆", "公交车",
        "外卖", "奶奶做的饺子", "期末考试", "夜市",
    ],
    predicates: &[
        "正是我需要的", "让我开心了一整天", "太离谱了", "值得更多关注", "越来越好了", "有点让人心碎", "拯救了我的一周",
        "让我怀疑人生", "简直是神仙", "乱成一锅粥", "被高估了", "被低估了", "总能给我惊喜", "等了好久", "值得等待",
        "打乱了我的计划", "是今年最好的", "笑死我了", "居然还在", "一直在我脑子里", "需要第二季", "在考验我的耐心",
        "终于到了", "有家的感觉", "今天格外好", "贵得离谱", "回来了而且更好了", "简直是灾难", "结果很不错", "太治愈了",
    ],
    tails: &["", "", "哈哈", "又一次", "这周", "真的", "像往常一样", "莫名其妙", "救命", "无语", "绝了", "嘻嘻", "呜呜", "太难了", "好吧"],
    reactions: &[
        "同意", "说得太对了", "好期待", "累了", "周五快乐", "还有谁没睡", "好喜欢", "哭了", "加油！", "晚安",
        "今天也是元气满满的一天", "好困", "爱了爱了", "笑死", "又到周一了", "先喝杯咖啡",
    ],
    replies: &[
        "哈哈对", "完全同意", "不会吧", "就是这样！", "恭喜！！", "太真实了", "真的吗？", "好喜欢", "我也是", "谢谢分享",
        "说得好", "有道理", "生日快乐！！", "想你了", "好可爱",
    ],
    quotes: &["值得一读", "很重要", "哈哈哈", "说得太对了", "大家看看", "说得好", "转发"],
    ends: &["", "。", "！", "！！", "…", "～", "？"],
    hashtags: &["美食", "旅行", "音乐", "摄影", "读书", "周末", "台北", "香港美食", "日常", "追剧"],
    first: &[
        ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"), ("强", "qiang"),
        ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"), ("杰", "jie"), ("娟", "juan"),
        ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀英", "xiuying"), ("华", "hua"), ("慧", "hui"),
        ("建国", "jianguo"), ("小红", "xiaohong"), ("志强", "zhiqiang"), ("晓东", "xiaodong"), ("雪", "xue"),
        ("婷", "ting"), ("嘉欣", "jiaxin"), ("子轩", "zixuan"), ("佳怡", "jiayi"), ("浩然", "haoran"),
    ],
    last: &[
        ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"), ("黄", "huang"),
        ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"), ("胡", "hu"),
        ("郭", "guo"), ("何", "he"), ("林", "lin"), ("高", "gao"), ("罗", "luo"), ("郑", "zheng"), ("梁", "liang"),
    ],
    family_first: true,
    places: &[
        ("台北", 8.0, 6.0), ("台湾", 8.0, 4.0), ("香港", 8.0, 6.0), ("Hong Kong", 8.0, 3.0), ("新加坡", 8.0, 2.0),
        ("吉隆坡", 8.0, 1.0), ("高雄", 8.0, 1.0), ("Vancouver, BC", -8.0, 1.0), ("San Francisco, CA", -8.0, 1.0),
        ("New York, NY", -5.0, 1.0), ("上海", 8.0, 1.0),
    ],
    bio: &[
        "吃货一枚", "喜欢旅行", "摄影爱好者", "学生党", "程序员", "爱猫人士", "咖啡续命", "追剧中", "努力生活", "热爱音乐",
        "读书笔记", "跑步爱好者", "设计师", "个人观点", "一只小透明",
    ],
    news_openers: &["突发：", "最新：", "独家：", "快讯：", "我们的报道：", "现场消息："],
    ngo_openers: &["我们谴责：", "严重关切：", "声明：", "紧急行动：", "最新报告："],
    fan_game: &["投票给 #{idol} #{award} {emoji}", "#{tag} {idol}我们爱你 {emoji}", "{idol}生日快乐！#{tag}", "#{tag} #{idol} {emoji}{emoji}"],
    fan_chat: &["{idol}的新预告太好看了", "单曲循环{idol}", "{idol}的直播太棒了", "{idol}值得更好的"],
    idol_posts: &["谢谢大家的爱 #{tag}", "新歌上线啦！#{tag}", "爱你们，{fandom} #{tag}"],
    topics: [
        TopicBank {
            subjects: &["香港示威者", "港府", "香港警方", "民主派议员", "理大学生", "区议会选举"],
            predicates: &["再次上街游行", "宣布新的限制措施", "遭到国际批评", "要求独立调查", "取得压倒性胜利", "引发新一轮拘捕"],
            hashtags: &["香港", "HongKong", "反送中"],
        },
        TopicBank {
            subjects: &["新冠疫情", "确诊病例", "世卫组织", "医院", "封城措施", "疫苗试验", "口罩"],
            predicates: &["持续上升", "宣布全球大流行", "床位紧张", "延长到五月", "初见成效", "又一次短缺"],
            hashtags: &["新冠肺炎", "武汉肺炎", "COVID19", "疫情"],
        },
        TopicBank {
            subjects: &["台湾大选", "蔡英文", "台北", "台湾海峡", "台湾口罩外交"],
            predicates: &["结果出炉", "高票连任", "回应北京", "出现军机", "获得国际赞誉"],
            hashtags: &["台湾", "Taiwan", "台湾大选"],
        },
        TopicBank {
            subjects: &["美国弹劾案", "美国参议院", "白宫", "民主党辩论"],
            predicates: &["以无罪告终", "通过纾困法案", "否认相关报道", "火药味十足"],
            hashtags: &["美国大选", "弹劾"],
        },
        TopicBank {
            subjects: &["油价", "股市", "失业人数", "美联储", "小企业"],
            predicates: &["暴跌", "创下新高", "降息至零", "艰难求生"],
            hashtags: &["经济", "股市"],
        },
    ],
};

#[rustfmt::skip]
static RU: Bank = Bank {
    sep: " ",
    openers: &[
        "Сегодня", "Честно говоря,", "Только что понял, что", "Не могу поверить, что", "Напоминаю:", "Наконец-то",
        "Доброе утро!", "Вот это да,", "Кстати,", "Опять", "Утром", "Вечером", "Короче,", "Внезапно", "Ну что,",
        "Интересный факт:", "Непопулярное мнение:", "Эх,",
    ],
    subjects: &[
        "мой кофе", "новый альбом", "эта погода", "мой кот", "пробки в центре", "наша команда", "финал сериала",
        "мой начальник", "спортзал", "этот плейлист", "свадьба сестры", "метро", "эта книга", "моя собака", "этот фильм",
        "концерт", "цены в магазине", "этот подкаст", "наш район", "дистанционка", "вчерашний матч", "пекарня у дома",
        "бабушкины пирожки", "новое обновление", "мой телефон", "снег", "дача", "электричка",
    ],
    predicates: &[
        "именно то, что нужно", "поднял мне настроение", "это просто безумие", "заслуживает внимания", "не имеет смысла",
        "уже достал", "становится всё лучше", "разбил мне сердце", "спас мою неделю", "лучшее за год",
        "рассмешил до слёз", "тянулся вечность", "стоил ожидания", "испортил все планы", "просто шедевр", "не дал уснуть",
        "стоит как крыло самолёта", "вернулся и стал лучше", "оказался провалом", "получился отлично",
    ],
    tails: &["сегодня", "ахах", "опять", "на этой неделе", "серьёзно", "как всегда", "прямо сейчас", "в понедельник", "лол", "ну и ладно", "вот так"],
    reactions: &["согласен", "какой день", "хочу спать", "пятница!", "кто не спит", "обожаю", "спокойной ночи", "поехали!!!", "устал", "красота"],
    replies: &["ахах точно", "полностью согласен", "да ладно", "вот!!", "поздравляю!!", "правда?", "спасибо, что поделился", "100%", "с днём рождения!!", "скучаю", "ты прав"],
    quotes: &["Стоит прочитать", "Это важно", "ахах", "Точно сказано", "Прочитайте тред", "Жесть"],
    ends: &["", "", ".", "!", "!!", "...", " ахах"],
    hashtags: &["Москва", "футбол", "музыка", "путешествия", "книги", "погода", "кино"],
    first: &[
        ("Иван", "ivan"), ("Алексей", "aleksey"), ("Дмитрий", "dmitry"), ("Сергей", "sergey"), ("Андрей", "andrey"),
        ("Михаил", "mikhail"), ("Никита", "nikita"), ("Артём", "artem"), ("Павел", "pavel"), ("Кирилл", "kirill"),
        ("Ольга", "olga"), ("Анна", "anna"), ("Мария", "maria"), ("Екатерина", "ekaterina"), ("Наталья", "natalya"),
        ("Татьяна", "tatyana"), ("Елена", "elena"), ("Юлия", "yulia"), ("Ксения", "ksenia"), ("Дарья", "darya"),
    ],
    last: &[
        ("Иванов", "ivanov"), ("Смирнов", "smirnov"), ("Кузнецов", "kuznetsov"), ("Попов", "popov"),
        ("Васильев", "vasiliev"), ("Петров", "petrov"), ("Соколов", "sokolov"), ("Михайлов", "mikhailov"),
        ("Новиков", "novikov"), ("Фёдоров", "fedorov"), ("Морозов", "morozov"), ("Волков", "volkov"),
        ("Лебедев", "lebedev"), ("Козлов", "kozlov"), ("Орлов", "orlov"), ("Зайцев", "zaitsev"),
    ],
    family_first: false,
    places: &[
        ("Москва", 3.0, 8.0), ("Санкт-Петербург", 3.0, 5.0), ("Россия", 3.0, 4.0), ("Казань", 3.0, 1.0), ("Киев", 2.0, 2.0),
        ("Минск", 3.0, 1.0), ("Екатеринбург", 5.0, 1.0), ("Новосибирск", 7.0, 1.0), ("Алматы", 6.0, 1.0),
    ],
    bio: &["люблю кофе", "студент", "программист", "путешественница", "фотограф", "читаю книги", "болею за Спартак", "мама двоих детей", "инженер", "музыкант", "личное мнение"],
    news_openers: &["СРОЧНО:", "НОВОЕ:", "Эксклюзив:", "Что известно:", "Мой материал:"],
    ngo_openers: &["Мы осуждаем:", "Глубокая обеспокоенность:", "Заявление:", "Новый доклад:"],
    fan_game: &["Голосую за #{idol} в #{award} {emoji}", "#{tag} {idol} мы тебя любим {emoji}", "#{tag} #{idol} {emoji}{emoji}"],
    fan_chat: &["{idol} в новом тизере просто космос", "весь день слушаю {idol}", "{idol} заслуживает большего"],
    idol_posts: &["Спасибо за вашу любовь #{tag}", "Новая песня уже вышла! #{tag}"],
    topics: [
        TopicBank {
            subjects: &["протестующие в Гонконге", "власти Гонконга", "полиция Гонконга"],
            predicates: &["снова вышли на улицы", "объявили новые ограничения", "подверглись критике"],
            hashtags: &["Гонконг", "HongKong"],
        },
        TopicBank {
            subjects: &["коронавирус", "число заболевших", "ВОЗ", "больницы", "карантин", "вакцина"],
            predicates: &["продолжает расти", "объявила пандемию", "переполнены", "продлили до мая", "вселяет надежду"],
            hashtags: &["коронавирус", "COVID19", "СидимДома"],
        },
        TopicBank {
            subjects: &["выборы на Тайване", "Цай Инвэнь", "Тайбэй"],
            predicates: &["завершились победой", "переизбрана", "ответил Пекину"],
            hashtags: &["Тайвань"],
        },
        TopicBank {
            subjects: &["импичмент Трампа", "Сенат США", "Белый дом", "дебаты демократов"],
            predicates: &["закончился оправданием", "одобрил пакет помощи", "опроверг сообщения", "прошли жарко"],
            hashtags: &["США", "Выборы2020"],
        },
        TopicBank {
            subjects: &["цены на нефть", "рубль", "биржа", "безработица", "малый бизнес"],
            predicates: &["обвалились", "упал до минимума", "пережила худший день", "растёт", "пытается выжить"],
            hashtags: &["экономика", "нефть", "рубль"],
        },
    ],
};

#[rustfmt::skip]
static AR: Bank = Bank {
    sep: " ",
    openers: &[
        "اليوم", "بصراحة", "للتذكير:", "أخيرا", "صباح الخير،", "مساء الخير،", "يا جماعة", "معلومة:", "والله", "الحمد لله",
        "لا أصدق أن", "من جديد", "هذا الصباح", "الليلة", "رأي:", "سؤال:",
    ],
    subjects: &[
        "قهوتي", "الألبوم الجديد", "هذا الجو", "قطتي", "زحمة الطريق", "فريقنا", "نهاية المسلسل", "مديري", "النادي الرياضي",
        "هذا الكتاب", "عرس أختي", "المترو", "كلبي", "هذا الفيلم", "الحفلة", "أسعار السوق", "هذا البودكاست", "حارتنا",
        "الدراسة عن بعد", "مباراة الأمس", "مخبز الحي", "أكل أمي", "التحديث الجديد", "جوالي", "المطر", "رمضان هذا العام",
    ],
    predicates: &[
        "هو بالضبط ما أحتاجه", "أسعدني طوال اليوم", "شيء لا يصدق", "يستحق الاهتمام", "ليس له معنى", "أصبح مزعجا",
        "يتحسن كل يوم", "كسر قلبي", "أنقذ أسبوعي", "أفضل شيء هذه السنة", "أضحكني كثيرا", "تأخر كثيرا", "يستحق الانتظار",
        "أفسد خططي", "تحفة فنية", "أسهرني طول الليل", "غالي جدا", "رجع أفضل من قبل", "كان كارثة", "طلع رائع",
    ],
    tails: &["اليوم", "هههه", "مرة ثانية", "هذا الأسبوع", "بجد", "كالعادة", "الآن", "يوم الاثنين", "والله", "ما شاء الله", "يا رب"],
    reactions: &["صح", "يا له من يوم", "أحتاج قيلولة", "جمعة مباركة", "مين صاحي", "أحب هذا", "تصبحون على خير", "يلا!!!", "تعبت", "جميل جدا"],
    replies: &["هههه بالضبط", "أتفق تماما", "مستحيل", "هذا!!", "مبروك!!", "صحيح جدا", "جد؟", "شكرا على المشاركة", "١٠٠٪", "كل عام وأنت بخير", "اشتقت لك", "معك حق"],
    quotes: &["يستحق القراءة", "مهم جدا", "هههه", "كلام صحيح", "اقرأوا هذا", "كلام جميل"],
    ends: &["", "", ".", "!", "!!", "...", " 😂"],
    hashtags: &["السعودية", "الرياض", "القاهرة", "دبي", "كرة_القدم", "رمضان", "قهوة", "سفر"],
    first: &[
        ("محمد", "mohammed"), ("أحمد", "ahmed"), ("عبدالله", "abdullah"), ("خالد", "khaled"), ("فهد", "fahad"),
        ("سعود", "saud"), ("عمر", "omar"), ("علي", "ali"), ("يوسف", "yousef"), ("سارة", "sara"), ("نورة", "noura"),
        ("فاطمة", "fatima"), ("مريم", "maryam"), ("ريم", "reem"), ("هند", "hind"), ("ليلى", "layla"), ("ناصر", "nasser"),
        ("سلمان", "salman"),
    ],
    last: &[
        ("العتيبي", "alotaibi"), ("القحطاني", "alqahtani"), ("الشمري", "alshammari"), ("الدوسري", "aldosari"),
        ("الحربي", "alharbi"), ("المطيري", "almutairi"), ("الزهراني", "alzahrani"), ("الغامدي", "alghamdi"),
        ("المصري", "almasri"), ("الخطيب", "alkhatib"), ("حسن", "hassan"), ("السيد", "elsayed"),
    ],
    family_first: false,
    places: &[
        ("الرياض", 3.0, 6.0), ("جدة", 3.0, 3.0), ("السعودية", 3.0, 4.0), ("الكويت", 3.0, 2.0), ("القاهرة", 2.0, 5.0),
        ("مصر", 2.0, 3.0), ("دبي", 4.0, 2.0), ("الإمارات", 4.0, 1.0), ("الجزائر", 1.0, 2.0), ("عمّان", 2.0, 1.0),
    ],
    bio: &["محب للقهوة", "طالب جامعي", "مهندس", "مصورة", "أحب السفر", "قارئ", "نصراوي", "هلالي", "أم لطفلين", "معلم", "آرائي تمثلني"],
    news_openers: &["عاجل:", "جديد:", "حصري:", "ما نعرفه حتى الآن:", "تقريري:"],
    ngo_openers: &["ندين هذا:", "قلق بالغ:", "بيان:", "تحرك عاجل:", "تقرير جديد:"],
    fan_game: &["أصوت لـ #{idol} في #{award} {emoji}", "#{tag} نحبك {idol} {emoji}", "#{tag} #{idol} {emoji}{emoji}"],
    fan_chat: &["{idol} كان رائعا في الإعلان الجديد", "أسمع {idol} طول اليوم", "{idol} يستحق الأفضل"],
    idol_posts: &["شكرا على حبكم #{tag}", "أغنية جديدة الآن! #{tag}"],
    topics: [
        TopicBank {
            subjects: &["متظاهرو هونغ كونغ", "حكومة هونغ كونغ", "شرطة هونغ كونغ"],
            predicates: &["خرجوا مجددا", "أعلنت قيودا جديدة", "تواجه انتقادات دولية"],
            hashtags: &["هونغ_كونغ"],
        },
        TopicBank {
            subjects: &["فيروس كورونا", "عدد الإصابات", "منظمة الصحة العالمية", "المستشفيات", "الحظر", "اللقاح"],
            predicates: &["في ارتفاع مستمر", "أعلنت الجائحة", "ممتلئة", "تم تمديده", "يعطي أملا"],
            hashtags: &["كورونا", "COVID19", "خليك_بالبيت"],
        },
        TopicBank {
            subjects: &["الانتخابات في تايوان", "رئيسة تايوان"],
            predicates: &["انتهت بفوز كبير", "ترد على بكين"],
            hashtags: &["تايوان"],
        },
        TopicBank {
            subjects: &["محاكمة عزل ترامب", "مجلس الشيوخ", "البيت الأبيض"],
            predicates: &["انتهت بالتبرئة", "أقر حزمة الإنقاذ", "ينفي التقارير"],
            hashtags: &["أمريكا"],
        },
        TopicBank {
            subjects: &["أسعار النفط", "البورصة", "البطالة", "الشركات الصغيرة"],
            predicates: &["تنهار", "تشهد أسوأ يوم", "ترتفع", "تكافح للبقاء"],
            hashtags: &["النفط", "الاقتصاد"],
        },
    ],
};

#[rustfmt::skip]
static FR: Bank = Bank {
    sep: " ",
    openers: &[
        "Aujourd'hui", "Franchement", "Je viens de réaliser que", "Incroyable,", "Rappel :", "Enfin", "Bonjour !", "Bon,",
        "Petite pensée :", "Encore", "Ce matin", "Ce soir", "Avis impopulaire :", "Sérieusement,", "Bref,",
    ],
    subjects: &[
        "mon café", "le nouvel album", "cette météo", "mon chat", "les bouchons", "notre équipe", "la fin de la série",
        "mon patron", "la salle de sport", "cette playlist", "le mariage de ma sœur", "le métro", "ce livre", "mon chien",
        "ce film", "le concert", "les prix au supermarché", "ce podcast", "mon quartier", "le télétravail",
        "le match d'hier soir", "la boulangerie du coin", "la grève", "mon téléphone", "la pluie",
    ],
    predicates: &[
        "est exactement ce qu'il me fallait", "a illuminé ma journée", "c'est n'importe quoi", "mérite plus d'attention",
        "n'a aucun sens", "commence à m'énerver", "s'améliore encore", "m'a brisé le cœur", "a sauvé ma semaine",
        "est le meilleur truc de l'année", "m'a fait trop rire", "a pris une éternité", "valait l'attente",
        "a ruiné mes plans", "est un chef-d'œuvre", "m'a empêché de dormir", "coûte une fortune", "était une catastrophe",
    ],
    tails: &["aujourd'hui", "mdr", "encore une fois", "cette semaine", "sérieux", "comme d'hab", "là maintenant", "un lundi", "ptdr", "bref"],
    reactions: &["pareil", "quelle journée", "besoin d'une sieste", "vivement le weekend", "qui est réveillé", "j'adore", "bonne nuit", "allez !!!", "épuisé"],
    replies: &["mdr exactement", "tout à fait d'accord", "pas possible", "ça !!", "félicitations !!", "trop vrai", "sérieux ?", "merci du partage", "100%", "joyeux anniversaire !!", "tu as raison"],
    quotes: &["À lire", "C'est important", "mdr", "Exactement", "Lisez ce thread", "Bien dit"],
    ends: &["", "", ".", " !", " !!", "...", " mdr"],
    hashtags: &["Paris", "foot", "musique", "cinéma", "lecture", "voyage", "confinement"],
    first: &[
        ("Camille", "camille"), ("Julien", "julien"), ("Léa", "lea"), ("Thomas", "thomas"), ("Manon", "manon"),
        ("Nicolas", "nicolas"), ("Chloé", "chloe"), ("Antoine", "antoine"), ("Inès", "ines"), ("Hugo", "hugo"),
        ("Sarah", "sarah"), ("Maxime", "maxime"), ("Emma", "emma"), ("Louis", "louis"), ("Clara", "clara"), ("Lucas", "lucas"),
    ],
    last: &[
        ("Martin", "martin"), ("Bernard", "bernard"), ("Dubois", "dubois"), ("Thomas", "thomas"), ("Robert", "robert"),
        ("Richard", "richard"), ("Petit", "petit"), ("Durand", "durand"), ("Leroy", "leroy"), ("Moreau", "moreau"),
        ("Simon", "simon"), ("Laurent", "laurent"), ("Lefèvre", "lefevre"), ("Michel", "michel"), ("Fournier", "fournier"),
    ],
    family_first: false,
    places: &[
        ("Paris, France", 1.0, 8.0), ("Lyon", 1.0, 3.0), ("Marseille", 1.0, 2.0), ("Bruxelles", 1.0, 2.0),
        ("Montréal, Québec", -5.0, 2.0), ("Dakar, Sénégal", 0.0, 2.0), ("Abidjan", 0.0, 1.0), ("Genève", 1.0, 1.0),
    ],
    bio: &["amoureuse du café", "étudiant", "développeur", "photographe", "grand lecteur", "supporter du PSG", "maman", "prof d'histoire", "voyageuse", "avis perso"],
    news_openers: &["URGENT :", "NOUVEAU :", "Exclusif :", "Ce que l'on sait :", "Mon article :"],
    ngo_openers: &["Nous condamnons :", "Vive inquiétude :", "Déclaration :", "Action urgente :", "Nouveau rapport :"],
    fan_game: &["Je vote pour #{idol} aux #{award} {emoji}", "#{tag} on t'aime {idol} {emoji}", "#{tag} #{idol} {emoji}{emoji}"],
    fan_chat: &["{idol} était magnifique dans le teaser", "j'écoute {idol} en boucle", "{idol} mérite mieux"],
    idol_posts: &["Merci pour tout cet amour #{tag}", "Nouveau son dispo ! #{tag}"],
    topics: [
        TopicBank {
            subjects: &["les manifestants de Hong Kong", "le gouvernement de Hong Kong", "la police de Hong Kong"],
            predicates: &["défilent à nouveau", "annonce de nouvelles restrictions", "est critiquée"],
            hashtags: &["HongKong"],
        },
        TopicBank {
            subjects: &["le coronavirus", "le nombre de cas", "l'OMS", "les hôpitaux", "le confinement", "le vaccin"],
            predicates: &["continue de progresser", "déclare la pandémie", "sont saturés", "est prolongé", "suscite l'espoir"],
            hashtags: &["coronavirus", "COVID19", "RestezChezVous", "confinement"],
        },
        TopicBank {
            subjects: &["les élections à Taïwan", "Tsai Ing-wen"],
            predicates: &["se terminent par une large victoire", "répond à Pékin"],
            hashtags: &["Taïwan"],
        },
        TopicBank {
            subjects: &["le procès en destitution", "le Sénat américain", "la Maison-Blanche"],
            predicates: &["se termine par un acquittement", "adopte le plan de relance", "dément"],
            hashtags: &["USA"],
        },
        TopicBank {
            subjects: &["le prix du pétrole", "la Bourse", "le chômage", "les commerces"],
            predicates: &["s'effondre", "vit sa pire journée", "augmente", "luttent pour survivre"],
            hashtags: &["économie", "Bourse"],
        },
    ],
};

/// Texts of one narrative in one language. Templates use `{A}`, `{B}`, `{C}` slots.
pub struct NarrativeText {
    pub lang: Lang,
    pub templates: &'static [&'static str],
    pub a: &'static [&'static str],
    pub b: &'static [&'static str],
    pub c: &'static [&'static str],
    /// Latin words for URL slugs of this narrative.
    pub slug: &'static [&'static str],
}

/// A narrative of the built-in catalogue.
pub struct Narrative {
    pub name: &'static str,
    pub texts: &'static [NarrativeText],
}

#[rustfmt::skip]
pub const NARRATIVE_NAMES: &[&str] = &[
    "hong_kong",
    "coronavirus",
    "exiled_billionaire",
    "taiwan",
    "sanctions",
    "nato",
    "biolabs",
    "gulf_rival",
    "dissident_smear",
];

pub fn narrative_by_name(name: &str) -> Option<&'static Narrative> {
    NARRATIVES.iter().find(|n| n.name == name)
}

/// Edits that turn a template instance into a near duplicate: fillers per language.
pub fn op_fillers(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Zh => &["真的", "大家看看，", "转发周知：", "说实话，", "请注意：", "必须说，"],
        Lang::Ru => &["Внимание!", "Срочно:", "Поделитесь!", "Важно:", "Смотрите:"],
        Lang::Ar => &["عاجل:", "شاهد:", "انشر", "مهم:", "للتذكير:"],
        Lang::Es => &["Atención:", "Compartan:", "Ojo:"],
        Lang::Fr => &["Attention :", "Partagez :", "Important :"],
        Lang::En => &["Really,", "Seriously,", "Please share.", "Wake up!", "Attention:", "Must see:"],
    }
}

pub fn op_replies(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Zh => {
            &["说得好！", "支持！", "真相就是这样", "顶！", "完全同意", "早该曝光了", "👍👍👍", "可恶！", "说得太对了"]
        }
        Lang::Ru => &["Согласен!", "Точно!", "Всё так.", "Позор!", "Правда глаза колет.", "👍", "Так и есть."],
        Lang::Ar => &["صحيح", "كلام جميل", "صدقت", "👍👍", "الله يكشفهم", "حسبي الله", "بالضبط"],
        _ => &[
            "Well said!",
            "So true.",
            "Exactly!",
            "Totally agree.",
            "Everyone should know this.",
            "👍",
            "Shameful!",
            "The truth at last.",
        ],
    }
}

pub fn op_quotes(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Zh => &["请大家看看", "转发", "必须让更多人知道", "真相", "值得一看"],
        Lang::Ru => &["Читайте", "Важно", "Делитесь", "Смотрите"],
        Lang::Ar => &["شاهدوا", "مهم جدا", "انشروا"],
        _ => &["Must read", "Share this", "Everyone needs to see this", "The truth", "Watch this"],
    }
}

#[rustfmt::skip]
static NARRATIVES: &[Narrative] = &[
    Narrative {
        name: "hong_kong",
        texts: &[
            NarrativeText {
                lang: Lang::Zh,
                templates: &[
                    "{A}严重破坏香港的繁荣稳定，{B}！",
                    "香港是中国的香港，{A}的图谋注定失败。{B}",
                    "看看{A}干的好事，香港市民受够了！{B}",
                    "{A}背后有外国势力撑腰，真相已经很清楚了。{B}",
                    "止暴制乱是香港当前最紧迫的任务，{A}必须受到法律严惩。{B}",
                    "支持香港警察依法执法！{A}不得人心，{B}。",
                ],
                a: &["暴徒", "乱港分子", "黑衣暴徒", "少数激进分子", "港独势力"],
                b: &["香港需要和平", "法治不容践踏", "我们支持港警", "不能再乱下去了", "希望香港早日恢复秩序"],
                c: &[],
                slug: &["hong", "kong", "rioters", "peace", "police", "order", "violence", "truth"],
            },
            NarrativeText {
                lang: Lang::En,
                templates: &[
                    "{A} are destroying the prosperity of Hong Kong. {B}!",
                    "Hong Kong belongs to China. The plots of {A} will fail. {B}",
                    "Look at what {A} have done. The people of Hong Kong have had enough! {B}",
                    "{A} are backed by foreign forces, the truth is clear. {B}",
                    "Stopping the violence is the most urgent task for Hong Kong. {A} must be punished by law. {B}",
                    "Support the Hong Kong police! {A} have lost all support. {B}.",
                ],
                a: &["The rioters", "The violent mobs", "The black-clad thugs", "A few radicals", "The separatists"],
                b: &["Hong Kong needs peace", "Rule of law must be respected", "We support the HK police", "Enough is enough", "Let Hong Kong return to order"],
                c: &[],
                slug: &["hong", "kong", "rioters", "peace", "police", "order", "violence", "truth"],
            },
        ],
    },
    Narrative {
        name: "coronavirus",
        texts: &[
            NarrativeText {
                lang: Lang::Zh,
                templates: &[
                    "{A}，为什么不敢公开真相？{B}",
                    "中国用{C}控制住了疫情，{A}却只会甩锅。{B}",
                    "病毒溯源要看事实，{A}欠世界一个解释。{B}",
                    "{C}，中国为世界争取了宝贵的时间。{B}",
                    "西方媒体抹黑中国抗疫，{A}才是最大的失败者。{B}",
                ],
                a: &["美国政府", "某些西方政客", "美军实验室", "那些反华政客"],
                b: &["武汉加油！", "中国加油！", "真相终将大白", "请大家理性看待", "团结才能战胜病毒"],
                c: &["短短两个月", "举国之力", "严格的防控措施", "十天建成的火神山医院"],
                slug: &["virus", "origin", "wuhan", "truth", "china", "fights", "epidemic", "lab"],
            },
            NarrativeText {
                lang: Lang::En,
                templates: &[
                    "{A}, why are you afraid to tell the truth? {B}",
                    "China controlled the epidemic with {C}, while {A} only shift the blame. {B}",
                    "The origin of the virus must follow the facts. {A} owe the world an explanation. {B}",
                    "With {C}, China bought the world precious time. {B}",
                    "Western media smear China's fight against the virus, but {A} are the real failures. {B}",
                ],
                a: &["The US government", "Some Western politicians", "The lab at Fort Detrick", "Anti-China politicians"],
                b: &["Stay strong Wuhan!", "Go China!", "The truth will come out", "Please think rationally", "Only unity can defeat the virus"],
                c: &["just two months", "the strength of the whole nation", "strict prevention measures", "a hospital built in ten days"],
                slug: &["virus", "origin", "wuhan", "truth", "china", "fights", "epidemic", "lab"],
            },
        ],
    },
    Narrative {
        name: "exiled_billionaire",
        texts: &[
            NarrativeText {
                lang: Lang::Zh,
                templates: &[
                    "{A}高文辉就是一个骗子，{B}",
                    "高文辉{C}，还有人相信他吗？{B}",
                    "揭穿{A}高文辉的真面目：{C}。{B}",
                    "高文辉在国外{C}，这种人也配谈爱国？{B}",
                ],
                a: &["逃犯", "流亡富豪", "诈骗犯", "所谓的爆料人"],
                b: &["大家不要再上当了！", "正义终将到来", "骗子必将受到惩罚", "谎言不攻自破"],
                c: &["骗取了追随者的钱财", "到处散布谣言", "欠下巨额债务", "被前员工起诉"],
                slug: &["gao", "wenhui", "fraud", "liar", "exposed", "fugitive", "scam"],
            },
            NarrativeText {
                lang: Lang::En,
                templates: &[
                    "{A} Gao Wenhui is a liar. {B}",
                    "Gao Wenhui {C}. Does anyone still believe him? {B}",
                    "Exposing the real face of {A} Gao Wenhui: he {C}. {B}",
                    "Gao Wenhui {C} abroad. Is this a patriot? {B}",
                ],
                a: &["fugitive", "exiled tycoon", "fraudster", "so-called whistleblower"],
                b: &["Don't be fooled again!", "Justice will come", "Liars will be punished", "His lies collapse on their own"],
                c: &["cheated his followers out of their money", "spreads rumors everywhere", "owes huge debts", "is being sued by his former staff"],
                slug: &["gao", "wenhui", "fraud", "liar", "exposed", "fugitive", "scam"],
            },
        ],
    },
    Narrative {
        name: "taiwan",
        texts: &[
            NarrativeText {
                lang: Lang::Zh,
                templates: &[
                    "台湾是中国不可分割的一部分，{A}的{C}注定失败。{B}",
                    "{A}勾结外国势力，出卖台湾同胞利益。{B}",
                    "两岸同胞血浓于水，{A}挑拨不了。{B}",
                    "{A}的{C}只会把台湾推向深渊。{B}",
                ],
                a: &["民进党当局", "台独分子", "蔡当局", "少数台独政客"],
                b: &["一个中国原则不容挑战！", "祖国统一是大势所趋", "台湾同胞不要被骗了", "历史会证明一切"],
                c: &["台独图谋", "挑衅行为", "分裂活动"],
                slug: &["taiwan", "one", "china", "reunification", "separatists", "strait"],
            },
            NarrativeText {
                lang: Lang::En,
                templates: &[
                    "Taiwan is an inseparable part of China. The {C} of {A} are doomed. {B}",
                    "{A} collude with foreign forces and sell out the people of Taiwan. {B}",
                    "People on both sides of the strait are family; {A} cannot divide us. {B}",
                    "The {C} of {A} will only push Taiwan into the abyss. {B}",
                ],
                a: &["the DPP authorities", "Taiwan separatists", "the Tsai administration", "a few separatist politicians"],
                b: &["The One China principle cannot be challenged!", "Reunification is unstoppable", "Don't be fooled, Taiwan compatriots", "History will prove everything"],
                c: &["separatist schemes", "provocations", "splittist activities"],
                slug: &["taiwan", "one", "china", "reunification", "separatists", "strait"],
            },
        ],
    },
    Narrative {
        name: "sanctions",
        texts: &[
            NarrativeText {
                lang: Lang::Ru,
                templates: &[
                    "{A} снова вводят санкции, но {B}. {C}",
                    "Санкции бьют прежде всего по европейскому бизнесу, а {A} делают вид, что не замечают. {C}",
                    "Сколько ещё {A} будут наказывать собственных граждан ради санкций? {C}",
                    "Эксперты: санкции против России провалились, {B}. {C}",
                ],
                a: &["США", "Брюссель", "западные политики", "Вашингтон и его союзники"],
                b: &["экономика России только крепнет", "европейские фермеры несут убытки", "торговля переориентируется на Азию", "рубль держится уверенно"],
                c: &["Подробности по ссылке.", "Читайте и делитесь!", "Правду не скрыть.", "Думайте сами."],
                slug: &["sankcii", "rossiya", "zapad", "ekonomika", "evropa", "biznes"],
            },
            NarrativeText {
                lang: Lang::En,
                templates: &[
                    "{A} impose new sanctions again, but {B}. {C}",
                    "Sanctions hurt European business first, and {A} pretend not to notice. {C}",
                    "Experts: the sanctions against Russia have failed, {B}. {C}",
                ],
                a: &["The US", "Brussels", "Western politicians", "Washington and its allies"],
                b: &["Russia's economy only gets stronger", "European farmers are losing money", "trade is turning to Asia", "the ruble is holding firm"],
                c: &["Details at the link.", "Read and share!", "The truth cannot be hidden.", "Think for yourself."],
                slug: &["sanctions", "russia", "west", "economy", "europe", "business"],
            },
        ],
    },
    Narrative {
        name: "nato",
        texts: &[
            NarrativeText {
                lang: Lang::Ru,
                templates: &[
                    "НАТО продолжает {A} у границ России. {B}",
                    "{C}: НАТО — это угроза, а не защита. {B}",
                    "Зачем {A}, если НАТО якобы оборонительный союз? {B}",
                ],
                a: &["наращивать войска", "проводить провокационные учения", "размещать ракеты", "расширяться на восток"],
                b: &["Кто здесь настоящий агрессор?", "Вывод очевиден.", "Россия ответит.", "Европа должна думать о своей безопасности."],
                c: &["Бывший генерал признал", "Аналитики уверены", "Даже западные эксперты пишут", "Документы показывают"],
                slug: &["nato", "granica", "ucheniya", "rakety", "ugroza"],
            },
            NarrativeText {
                lang: Lang::En,
                templates: &[
                    "NATO keeps {A} near Russia's borders. {B}",
                    "{C}: NATO is a threat, not a protection. {B}",
                ],
                a: &["building up troops", "holding provocative drills", "deploying missiles", "expanding east"],
                b: &["Who is the real aggressor?", "The conclusion is obvious.", "Russia will respond.", "Europe must think about its own security."],
                c: &["A former general admitted", "Analysts are sure", "Even Western experts write", "Documents show"],
                slug: &["nato", "border", "drills", "missiles", "threat"],
            },
        ],
    },
    Narrative {
        name: "biolabs",
        texts: &[
            NarrativeText {
                lang: Lang::Ru,
                templates: &[
                    "{A} в {B}: что там на самом деле изучают? {C}",
                    "Коронавирус и {A} в {B} — совпадение? {C}",
                    "Пентагон финансирует {A} в {B}. {C}",
                ],
                a: &["американские биолаборатории", "секретные лаборатории", "военные биолаборатории США"],
                b: &["Грузии", "Украине", "Казахстане", "Армении"],
                c: &["Вопросов всё больше.", "Мир имеет право знать.", "Читайте расследование.", "Молчание говорит само за себя."],
                slug: &["biolaboratorii", "pentagon", "virus", "rassledovanie"],
            },
            NarrativeText {
                lang: Lang::En,
                templates: &[
                    "{A} in {B}: what are they really studying? {C}",
                    "The coronavirus and {A} in {B}: a coincidence? {C}",
                    "The Pentagon funds {A} in {B}. {C}",
                ],
                a: &["American biolabs", "secret laboratories", "US military biolabs"],
                b: &["Georgia", "Ukraine", "Kazakhstan", "Armenia"],
                c: &["More and more questions.", "The world has the right to know.", "Read the investigation.", "The silence speaks for itself."],
                slug: &["biolabs", "pentagon", "virus", "investigation"],
            },
        ],
    },
    Narrative {
        name: "gulf_rival",
        texts: &[
            NarrativeText {
                lang: Lang::Ar,
                templates: &[
                    "{A} يدعم الإرهاب في المنطقة، {B}",
                    "فضيحة جديدة لـ{A}: {C}. {B}",
                    "إلى متى يستمر {A} في تمويل الفوضى؟ {B}",
                    "{C}، و{A} يواصل الكذب. {B}",
                ],
                a: &["نظام الحمدين", "النظام القطري", "إعلام الجزيرة"],
                b: &["والحقيقة واضحة للجميع", "الشعوب لن تنسى", "كفى كذبا", "الخليج سيبقى موحدا"],
                c: &["تمويل جماعات متطرفة", "تسريبات تكشف المستور", "دعم الميليشيات"],
                slug: &["qatar", "terror", "leaks", "gulf", "scandal"],
            },
            NarrativeText {
                lang: Lang::En,
                templates: &[
                    "{A} supports terrorism in the region. {B}",
                    "New scandal for {A}: {C}. {B}",
                    "How long will {A} keep funding chaos? {B}",
                ],
                a: &["the Hamad regime", "the Qatari regime", "Al Jazeera"],
                b: &["The truth is clear to everyone", "The people will not forget", "Enough lies", "The Gulf will stay united"],
                c: &["funding extremist groups", "leaks reveal what was hidden", "support for militias"],
                slug: &["qatar", "terror", "leaks", "gulf", "scandal"],
            },
        ],
    },
    Narrative {
        name: "dissident_smear",
        texts: &[
            NarrativeText {
                lang: Lang::Ar,
                templates: &[
                    "{A} مجرد مرتزق يعمل لصالح جهات أجنبية، {B}",
                    "لا تصدقوا {A}، {C}. {B}",
                    "{A} {C}، {B}",
                ],
                a: &["هذا المعارض الهارب", "ما يسمى بالناشط", "الخائن"],
                b: &["الوطن فوق الجميع", "مكشوف للجميع", "لن ينال من وحدتنا"],
                c: &["كل كلامه أكاذيب", "يقبض من الخارج", "باع وطنه"],
                slug: &["traitor", "mercenary", "exposed", "lies"],
            },
            NarrativeText {
                lang: Lang::En,
                templates: &[
                    "{A} is just a mercenary working for foreign parties. {B}",
                    "Don't believe {A}: {C}. {B}",
                ],
                a: &["This fugitive dissident", "The so-called activist", "The traitor"],
                b: &["The nation comes first", "Exposed to everyone", "He will not divide us"],
                c: &["everything he says is a lie", "he is paid from abroad", "he sold out his country"],
                slug: &["traitor", "mercenary", "exposed", "lies"],
            },
        ],
    },
];
