#!/usr/bin/env bash
# What the queue would cost on one thread without its lock's atomics: the
# case for a `!Sync` queue, like-for-like with asyncio.Queue (which is not
# thread-safe either). An experiment, not a product:
#
# - copies the committed tree to a scratch directory;
# - swaps the `Mutex` behind `sync::lock` for a `RefCell` and declares it
#   `Sync` with `unsafe`, which is only sound because every task of the
#   measured workloads runs on one thread (the crate forbids `unsafe`; the
#   copy is never committed or published);
# - builds the `profile` example from the copy and runs `median_runs.py`
#   on one thread (tokio `current_thread` and `LocalPool`, capacity 64 and
#   unbounded) for aioqueue, the copy and kanal, as whole processes.
#
#     bash benches/scripts/unsync_experiment.sh [--items N] [--reps N]
#
# The scratch copy and its target directory go to $SCRATCH (default
# target/unsync-experiment), so the project's own build is untouched.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
scratch=${SCRATCH:-$root/target/unsync-experiment}
rm -rf "$scratch/tree"
mkdir -p "$scratch/tree"
git ls-files -z | xargs -0 tar -cf - | tar -xf - -C "$scratch/tree"

python3 - "$scratch/tree" <<'EOF'
import pathlib, sys
tree = pathlib.Path(sys.argv[1])

def edit(path, old, new):
    file = tree / path
    text = file.read_text()
    if text.count(old) != 1:
        sys.exit(f"unsync_experiment: {path} no longer has the text to replace: {old!r}")
    file.write_text(text.replace(old, new))

edit("Cargo.toml", 'unsafe_code = "forbid"', 'unsafe_code = "allow"')
edit("src/lib.rs", "#![forbid(unsafe_code)]\n", "")
edit("src/sync.rs",
     "#[cfg(not(aioqueue_loom))]\npub(crate) use std::sync::{Mutex, MutexGuard};\n",
     """#[cfg(not(aioqueue_loom))]
pub(crate) struct Mutex<S>(std::cell::RefCell<S>);
// Sound only while one thread uses the queue: the experiment's workloads.
#[cfg(not(aioqueue_loom))]
unsafe impl<S: Send> Sync for Mutex<S> {}
#[cfg(not(aioqueue_loom))]
pub(crate) type MutexGuard<'a, S> = std::cell::RefMut<'a, S>;
#[cfg(not(aioqueue_loom))]
impl<S> Mutex<S> {
    pub(crate) fn new(state: S) -> Self {
        Mutex(std::cell::RefCell::new(state))
    }
    pub(crate) fn try_lock(&self) -> std::sync::TryLockResult<MutexGuard<'_, S>> {
        Ok(self.0.borrow_mut())
    }
    pub(crate) fn lock(&self) -> std::sync::LockResult<MutexGuard<'_, S>> {
        Ok(self.0.borrow_mut())
    }
}
""")
EOF

start=$SECONDS
(cd "$scratch/tree" && CARGO_TARGET_DIR="$scratch/target" \
    cargo build --release -q -p aioqueue-bench --example profile)
cargo build --release -q -p aioqueue-bench --example profile
echo "builds: $((SECONDS - start)) s"

for mode in spsc1 spsc-local; do
    for capacity in 64 0; do
        python3 benches/scripts/median_runs.py "$mode" "$capacity" "$@" \
            aioqueue "aioqueue@$scratch/target/release/examples/profile" kanal
    done
done
