#!/usr/bin/env bash
# Runs every benchmark ROUNDS times (default 3), saving each round as a
# criterion baseline r1, r2, ..., then the CPython baseline, then prints the
# tables of docs/performance.md and redraws docs/performance.svg.
#
#   bash benches/scripts/run_all.sh            # about 15 minutes on 2 cores
#   ROUNDS=1 bash benches/scripts/run_all.sh   # one round
#
# Criterion options can be passed through CRITERION_ARGS.
set -euo pipefail
cd "$(dirname "$0")/../.."

rounds=${ROUNDS:-3}
args=${CRITERION_ARGS:---warm-up-time 1 --measurement-time 3}
target=${CARGO_TARGET_DIR:-target}
names=()
for round in $(seq 1 "$rounds"); do
    # shellcheck disable=SC2086 # $args is a list of options
    cargo bench -p aioqueue-bench -- $args --save-baseline "r$round"
    names+=("r$round")
done
mkdir -p "$target/criterion/extras"
python3 benches/python/asyncio_baseline.py --items 200000 --repeats 3 \
    --json "$target/criterion/extras/python.json"
list=$(IFS=,; echo "${names[*]}")
python3 benches/scripts/report.py --target "$target" --rounds "$list"
python3 benches/scripts/chart.py --target "$target" --rounds "$list"
