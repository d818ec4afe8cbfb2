#!/usr/bin/env bash
# The thread-level bugs of sim/thread-bugs/, each put into a scratch copy
# of the repository, against the generated loom suite (LOOM_MAX_PREEMPTIONS=2,
# as CI runs it) and against `stress` (as CI runs it, 60 s). Prints one line
# per bug and checker: caught or not, and how long the checker ran (the
# builds not counted). Exits 1 if a bug
# escapes both. Takes a while: each copy is built twice (loom, release).
#
#   sim/scripts/thread_bugs.sh [PATCH...]     (default: every patch)
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
scratch=${SCRATCH:-/tmp/aioqueue-thread-bugs}
stress_seconds=${STRESS_SECONDS:-60}
mkdir -p "$scratch"
patches=()
for given in "$@"; do patches+=("$(realpath "$given")"); done
[ ${#patches[@]} -eq 0 ] && patches=("$root"/sim/thread-bugs/*.patch)
escaped=0
printf '%-36s  %-28s  %-28s\n' bug "loom_refinement (bound 2)" "stress (${stress_seconds} s)"
for patch in "${patches[@]}"; do
    name=$(basename "$patch" .patch)
    copy="$scratch/$name"
    rm -rf "$copy"
    mkdir -p "$copy"
    (cd "$root" && git ls-files -z | xargs -0 tar cf - | tar xf - -C "$copy")
    if ! (cd "$copy" && patch -s -p1 < "$patch"); then
        echo "$name: the patch does not apply"; escaped=1; continue
    fi
    # Shared target directories: only the patched crate rebuilds.
    loom_log="$scratch/$name.loom.log"
    loom_env=(LOOM_MAX_PREEMPTIONS=2 RUSTFLAGS="--cfg aioqueue_loom" CARGO_TARGET_DIR="$scratch/target-loom")
    if ! (cd "$copy" && env "${loom_env[@]}" cargo test -q --release --test loom_refinement --no-run) \
        > "$loom_log" 2>&1; then
        echo "$name: the loom build failed (see $loom_log)"; escaped=1; continue
    fi
    start=$SECONDS
    (cd "$copy" && env "${loom_env[@]}" \
        cargo test -q --release --test loom_refinement -- --nocapture --test-threads=2) \
        >> "$loom_log" 2>&1
    loom_status=$?
    loom_time=$((SECONDS - start))
    if grep -q "an ending the model does not allow" "$loom_log"; then
        loom="caught ($((loom_time)) s)"
    elif [ $loom_status -ne 0 ]; then
        loom="caught: $(grep -m1 -o -E 'deadlock|panicked at [^ ]*' "$loom_log" || echo failed) (${loom_time} s)"
    else
        loom="missed (${loom_time} s)"
    fi
    stress_log="$scratch/$name.stress.log"
    if ! (cd "$copy" && CARGO_TARGET_DIR="$scratch/target" cargo build -q --release -p aioqueue-sim) \
        > "$stress_log" 2>&1; then
        echo "$name: the stress build failed (see $stress_log)"; escaped=1; continue
    fi
    start=$SECONDS
    "$scratch/target/release/aioqueue-sim" stress --seconds "$stress_seconds" >> "$stress_log" 2>&1
    stress_status=$?
    stress_time=$((SECONDS - start))
    if [ $stress_status -ne 0 ]; then
        stress="caught ($(grep -m1 -o -E 'VIOLATION on [a-z]+|HANG' "$stress_log"), ${stress_time} s)"
    else
        stress="missed (${stress_time} s)"
    fi
    printf '%-36s  %-28s  %-28s\n' "$name" "$loom" "$stress"
    if [[ $loom == missed* && $stress == missed* ]]; then escaped=1; fi
done
exit $escaped
