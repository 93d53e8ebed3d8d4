//! Fuzzes the CSV readers: the first byte picks a header (archive tweets, archive users,
//! IRA by-author, IRA original), the rest is the body. Run: `cargo +nightly fuzz run csv_readers`.
#![no_main]

use cibscan_core::ingest::{ingest_bytes, IngestOptions};
use libfuzzer_sys::fuzz_target;

const HEADERS: [&str; 4] = [
    "tweetid,userid,user_display_name,user_screen_name,follower_count,following_count,account_creation_date,tweet_language,tweet_text,tweet_time,in_reply_to_tweetid,in_reply_to_userid,quoted_tweet_tweetid,is_retweet,retweet_userid,retweet_tweetid,latitude,longitude,quote_count,reply_count,like_count,retweet_count,hashtags,urls,user_mentions\n",
    "userid,user_display_name,user_screen_name,user_reported_location,user_profile_description,user_profile_url,follower_count,following_count,account_creation_date,account_language\n",
    "author_id,content,region,language,publish_date,harvested_date,following,followers,updates,post_type,retweet\n",
    "external_author_id,author,content,region,language,publish_date,harvested_date,following,followers,updates,post_type,account_type,retweet,account_category,tweet_id\n",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else { return };
    let mut bytes = HEADERS[pick as usize % HEADERS.len()].as_bytes().to_vec();
    bytes.extend_from_slice(body);
    let opts = IngestOptions { max_errors: u64::MAX, ..Default::default() };
    let _ = ingest_bytes("fuzz.csv", &bytes, &opts);
});
