#!/bin/sh
# Runs every fuzz target for SECONDS each (default 30) with libFuzzer.
#
#   fuzz/run.sh 30        # the short run (CI runs this)
#   fuzz/run.sh 3600      # the long one
#
# Each run's libFuzzer output is in fuzz/artifacts/TARGET.log.
#
# Needs only the stable toolchain and a C++ compiler (libfuzzer-sys builds
# libFuzzer): the targets are built with the coverage flags cargo-fuzz would
# pass (`cargo fuzz run TARGET` works too, with cargo-fuzz installed). No
# sanitizer: figwatch has no unsafe code of its own, and the build stays on
# stable. The targets link figwatch without its `daemon` feature, so only
# the pure stages and their dependencies are instrumented.
#
# Seeds the corpora from the project's fixtures on first use. Exit status 1
# if any target found a crash (the reproducer is left in
# fuzz/artifacts/TARGET/), 2 if the build failed.
set -u
cd "$(dirname "$0")" || exit 2
seconds=${1:-30}
triple=$(rustc -vV | sed -n 's/^host: //p')
target_dir=${CARGO_TARGET_DIR:-target}
RUSTFLAGS="-Cpasses=sancov-module \
 -Cllvm-args=-sanitizer-coverage-level=4 \
 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
 -Cllvm-args=-sanitizer-coverage-pc-table \
 -Cllvm-args=-sanitizer-coverage-trace-compares \
 --cfg fuzzing -Cdebug-assertions"
export RUSTFLAGS
if [ ! -d corpus ]; then
    python3 seed.py || echo "warning: corpora not seeded (python3 seed.py failed); starting empty"
fi
# --target keeps RUSTFLAGS off build scripts and proc macros.
cargo build --locked --release --target "$triple" --bins || exit 2
failed=""
for target in query figures article feed config; do
    mkdir -p "corpus/$target" "artifacts/$target"
    echo "== $target: ${seconds}s"
    log="artifacts/$target.log"
    if ! "$target_dir/$triple/release/$target" "corpus/$target" \
        -artifact_prefix="artifacts/$target/" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 >"$log" 2>&1; then
        tail -n 40 "$log"
        failed="$failed $target"
    fi
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log"
done
if [ -n "$failed" ]; then
    echo "fuzz: crashes in:$failed (see fuzz/artifacts/)"
    exit 1
fi
echo "fuzz: no crashes"
