#!/usr/bin/env python3
"""Kernel-side counts per workload and peer: wall and CPU time, context
switches, migrations, futex and sched_yield calls, from `perf stat` software
events and syscall tracepoints. These need no hardware counters (a KVM guest
has none), and unlike `strace -c` they stop no thread, so the scheduling
being measured is not changed. Each figure is the median over --reps whole
processes, the peers interleaved run by run.

    cargo build --release -p aioqueue-bench --example profile
    CARGO_TARGET_DIR=target/kanal-std cargo build --release -p aioqueue-bench \\
        --example profile --features kanal-std-mutex
    python3 benches/scripts/sys_counts.py [--items 500000] [--reps 7]
"""
import argparse
import os
import statistics
import subprocess

EVENTS = ["duration_time", "task-clock", "context-switches", "cpu-migrations",
          "syscalls:sys_enter_futex", "syscalls:sys_enter_sched_yield"]
WORKLOADS = ["spsc 1", "spsc 64", "spsc 1024", "spsc 0", "spsc1 64", "spsc1 0",
             "mpmc 64", "mpmc 0"]
PEERS = {
    "aioqueue": ("aioqueue", "target/release/examples/profile"),
    "flume": ("flume", "target/release/examples/profile"),
    "kanal": ("kanal", "target/release/examples/profile"),
    "kanal-std": ("kanal", "target/kanal-std/release/examples/profile"),
}


def one_run(peer, binary, workload, items):
    command = ["perf", "stat", "-x,", "-e", ",".join(EVENTS), binary,
               *workload.split(), str(items)]
    env = dict(os.environ, PEER=peer)
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    counts = {}
    for line in out.stderr.splitlines():
        fields = line.split(",")
        if len(fields) > 2 and fields[2] in EVENTS:
            counts[fields[2]] = float(fields[0])
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=500_000)
    parser.add_argument("--reps", type=int, default=7)
    args = parser.parse_args()
    print("| workload | peer | wall ms | CPU ms | context switches | migrations "
          "| futex calls | sched_yield calls |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for workload in WORKLOADS:
        runs = {name: [] for name in PEERS}
        for _ in range(args.reps):
            for name, (peer, binary) in PEERS.items():
                runs[name].append(one_run(peer, binary, workload, args.items))
        for name, samples in runs.items():
            med = {e: statistics.median(s[e] for s in samples) for e in EVENTS}
            cells = [f"{med['duration_time'] / 1e6:.1f}", f"{med['task-clock']:.1f}"]
            cells += [f"{med[e]:.0f}" for e in EVENTS[2:]]
            print(f"| {workload} | {name} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
