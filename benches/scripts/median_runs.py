#!/usr/bin/env python3
"""Runs one workload of the profile example several times per peer and
prints the median and best throughput: a quick figure without criterion,
and the way to compare two builds of the crate side by side.

    cargo build --release -p aioqueue-bench --example profile
    python3 benches/scripts/median_runs.py spsc 1024 --items 5000000 --reps 5 aioqueue flume
    python3 benches/scripts/median_runs.py mpmc 64 --items 2000000 \\
        --profile target-old/release/examples/profile aioqueue

MODE is spsc or mpmc; CAPACITY 0 means unbounded; peers: aioqueue,
tokio-mpsc, async-channel, flume. Each run includes creating the runtime
and the queue, as the criterion benchmarks do.
"""
import argparse
import os
import statistics
import subprocess
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["spsc", "mpmc"])
    parser.add_argument("capacity", type=int)
    parser.add_argument("peers", nargs="+")
    parser.add_argument("--items", type=int, default=5_000_000)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--profile", default="target/release/examples/profile")
    args = parser.parse_args()
    for peer in args.peers:
        seconds = []
        for _ in range(args.reps):
            start = time.perf_counter()
            subprocess.run(
                [args.profile, args.mode, str(args.capacity), str(args.items)],
                env={**os.environ, "PEER": peer},
                check=True,
                stdout=subprocess.DEVNULL,
            )
            seconds.append(time.perf_counter() - start)
        rate = lambda t: args.items / t / 1e6
        print(
            f"{args.mode} capacity {args.capacity:>4} {peer:14} "
            f"median {rate(statistics.median(seconds)):6.2f} M items/s  "
            f"best {rate(min(seconds)):6.2f}"
        )


if __name__ == "__main__":
    main()
