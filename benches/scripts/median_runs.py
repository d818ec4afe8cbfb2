#!/usr/bin/env python3
"""Runs one workload of the profile example several times per peer, the
peers interleaved round by round, and prints each peer's median time with
its spread and its ratio to the first peer: a quick figure without
criterion, and the way to compare two builds side by side.

    cargo build --release -p aioqueue-bench --example profile
    python3 benches/scripts/median_runs.py spsc 64 --items 500000 --reps 7 aioqueue flume kanal
    python3 benches/scripts/median_runs.py spsc1 0 aioqueue \\
        kanal@target/kanal-std/release/examples/profile

MODE is spsc (tokio, 2 workers), spsc1 (tokio current_thread) or mpmc
(4 x 4, 2 workers); CAPACITY 0 means unbounded. A peer is a name the
profile example knows (aioqueue, tokio-mpsc, async-channel, flume, kanal),
optionally `@BINARY` for another build of the example (kanal with its
`std-mutex` feature, an older aioqueue). Each run is a whole process,
creating the runtime and the queue as the criterion benchmarks do.
"""
import argparse
import os
import statistics
import subprocess
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["spsc", "spsc1", "spsc-local", "mpmc"])
    parser.add_argument("capacity", type=int)
    parser.add_argument("peers", nargs="+")
    parser.add_argument("--items", type=int, default=500_000)
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--profile", default="target/release/examples/profile")
    args = parser.parse_args()
    peers = []
    for spec in args.peers:
        name, _, binary = spec.partition("@")
        peers.append((spec, name, binary or args.profile))
    seconds = {spec: [] for spec, _, _ in peers}
    for _ in range(args.reps):
        for spec, name, binary in peers:
            start = time.perf_counter()
            subprocess.run(
                [binary, args.mode, str(args.capacity), str(args.items)],
                env={**os.environ, "PEER": name},
                check=True,
                stdout=subprocess.DEVNULL,
            )
            seconds[spec].append(time.perf_counter() - start)
    first = statistics.median(seconds[peers[0][0]])
    for spec, _, _ in peers:
        times = seconds[spec]
        median = statistics.median(times)
        print(
            f"{args.mode:5} capacity {args.capacity:>4} {spec:48} "
            f"median {median * 1e3:7.1f} ms  (min {min(times) * 1e3:6.1f}, "
            f"max {max(times) * 1e3:6.1f})  {first / median:5.2f}x the first's speed"
        )


if __name__ == "__main__":
    main()
