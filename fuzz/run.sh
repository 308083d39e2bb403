#!/bin/sh
# Runs every fuzz target for SECONDS each (default 30) on the stable
# toolchain (RUSTC_BOOTSTRAP lets cargo-fuzz pass its nightly-only flags).
# Needs `cargo install cargo-fuzz`. Seeds the corpora from the project's
# fixtures on first use. Builds with -O (optimised, no debug assertions):
# every command must use the same flags or cargo rebuilds everything. Exit status 1 if any target found a crash; the
# reproducer is left in fuzz/artifacts/TARGET/.
#
#   fuzz/run.sh 30        # the short run
#   fuzz/run.sh 3600      # the long one
set -u
cd "$(dirname "$0")" || exit 2
seconds=${1:-30}
export RUSTC_BOOTSTRAP=1
[ -d corpus ] || ./seed.py || exit 2
cargo fuzz build -O || exit 2
failed=""
for target in $(cargo fuzz list); do
    mkdir -p "corpus/$target"
    echo "== $target: ${seconds}s"
    cargo fuzz run -O "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        || failed="$failed $target"
done
if [ -n "$failed" ]; then
    echo "crashes in:$failed (see fuzz/artifacts/)"
    exit 1
fi
echo "no crashes"
