#!/usr/bin/env bash
# Runs every benchmark ROUNDS times (default 3), saving each round as a
# criterion baseline r1, r2, ...; after each round, kanal built with std's
# `Mutex` (a second build: one build links one kanal) into the same
# baselines. Then the CPython baselines (3.13 and 3.11, from pyenv when it
# has them), then prints the tables of docs/performance.md and redraws
# docs/performance.svg.
#
#   bash benches/scripts/run_all.sh            # about 25 minutes on 2 cores
#   ROUNDS=1 bash benches/scripts/run_all.sh   # one round
#
# Criterion options can be passed through CRITERION_ARGS.
set -euo pipefail
cd "$(dirname "$0")/../.."

rounds=${ROUNDS:-3}
args=${CRITERION_ARGS:---warm-up-time 1 --measurement-time 3}
target=${CARGO_TARGET_DIR:-target}
criterion_home=$(realpath "$target")/criterion
names=()
for round in $(seq 1 "$rounds"); do
    start=$SECONDS
    # shellcheck disable=SC2086 # $args is a list of options
    cargo bench -p aioqueue-bench -- $args --save-baseline "r$round"
    # shellcheck disable=SC2086
    CARGO_TARGET_DIR="$target/kanal-std" CRITERION_HOME="$criterion_home" \
        cargo bench -p aioqueue-bench --features kanal-std-mutex \
        --bench uncontended --bench spsc --bench mpmc -- kanal-std-mutex $args \
        --save-baseline "r$round"
    echo "round $round: $((SECONDS - start)) s"
    names+=("r$round")
done
mkdir -p "$target/criterion/extras"
for version in 3.13 3.11; do
    python=python$version
    if command -v pyenv >/dev/null; then
        prefix=$(pyenv prefix "$(pyenv versions --bare | grep "^$version" | tail -1)" 2>/dev/null || true)
        [ -n "$prefix" ] && python=$prefix/bin/python3
    fi
    if command -v "$python" >/dev/null; then
        "$python" benches/python/asyncio_baseline.py --items 200000 --repeats 3 \
            --json "$target/criterion/extras/python-$version.json"
    else
        echo "no CPython $version: its rows are left out"
    fi
done
list=$(IFS=,; echo "${names[*]}")
python3 benches/scripts/report.py --target "$target" --rounds "$list"
python3 benches/scripts/chart.py --target "$target" --rounds "$list"
