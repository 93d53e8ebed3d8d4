#!/usr/bin/env bash
# Whole-process ingest benchmark: wall time, throughput and peak memory of `cibscan ingest`
# next to a bare csv-crate loop that only splits the same files into records.
#
#   scripts/bench-ingest.sh [DATASET...]     datasets: ira-sample, sim10m (default: both)
#
# sim10m is generated once (cibscan simulate --seed 1 --scale 100) under $BENCH_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cibscan/target}"
BENCH_DIR="${BENCH_DIR:-$HOME/.cache/cibscan/bench}"
mkdir -p "$BENCH_DIR"
cargo build --release -q -p cibscan-cli
cargo build --release -q -p cibscan-core --example csv_split_baseline
BIN="$CARGO_TARGET_DIR/release/cibscan"
BASE="$CARGO_TARGET_DIR/release/examples/csv_split_baseline"

datasets=("$@")
[ ${#datasets[@]} -gt 0 ] || datasets=(ira-sample sim10m)

path_of() {
  case "$1" in
    ira-sample) echo "../shared/data/ira-sample" ;;
    sim10m)
      if [ ! -f "$BENCH_DIR/sim10m/platform/sim_tweets_csv_unhashed.csv" ]; then
        "$BIN" -q simulate --seed 1 --scale 100 --out "$BENCH_DIR/sim10m" >&2
      fi
      echo "$BENCH_DIR/sim10m/platform" ;;
    *) echo "$1" ;;
  esac
}

# Prints "seconds peak_kib" for a command (GNU time), after one warm-up run for the page cache.
measure() {
  "$@" >/dev/null 2>&1 || true
  /usr/bin/time -f "%e %M" -o "$BENCH_DIR/time.txt" "$@" >"$BENCH_DIR/out.txt" 2>/dev/null
  cat "$BENCH_DIR/time.txt"
}

printf '%-12s %-22s %8s %10s %12s %10s\n' dataset command seconds MB/s rows/s peak_MiB
for ds in "${datasets[@]}"; do
  p=$(path_of "$ds")
  bytes=$(find "$p" -name '*.csv' -printf '%s\n' | awk '{s+=$1} END {print s}')
  read -r bs bm < <(measure "$BASE" "$p")
  rows=$(sed -E 's/.*"records":([0-9]+).*/\1/' "$BENCH_DIR/out.txt")
  read -r is im < <(measure "$BIN" -q ingest --json "$p")
  read -r ps pm < <(measure "$BIN" -q ingest --json "$p" --out "$BENCH_DIR/$ds.parquet")
  read -r rs rm < <(measure "$BIN" -q ingest --json "$BENCH_DIR/$ds.parquet")
  for row in "csv-split-baseline $bs $bm" "cibscan-ingest $is $im" "ingest+write-parquet $ps $pm" "ingest-from-parquet $rs $rm"; do
    read -r name s m <<<"$row"
    awk -v d="$ds" -v n="$name" -v s="$s" -v m="$m" -v b="$bytes" -v r="$rows" \
      'BEGIN { if (s < 0.005) s = 0.005; printf "%-12s %-22s %8.2f %10.1f %12.0f %10.0f\n", d, n, s, b/1e6/s, r/s, m/1024 }'
  done
done
