#!/usr/bin/env python3
"""Prints the tables of docs/performance.md from criterion's output: medians,
ratios against the peers measured in the same run, and which targets of the
speed issue (aioqueue against the fastest peer, kanal included) are met.
Standard library only.

    python3 benches/scripts/report.py [--target DIR] [--rounds r1,r2,r3] > /tmp/tables.md

With --rounds, each benchmark's figure is the median of its criterion
medians over those saved baselines (`cargo bench ... -- --save-baseline r1`),
and the last column of the throughput tables gives the range of the ratio
over the rounds: every round runs aioqueue and its peers in one process
(kanal built with std's `Mutex` runs in a second process, as one build links
one kanal; `run_all.sh` runs it right after each round).
"""

import argparse
import sys

from criterion_results import DEFAULT_TARGET, extra, load, load_rounds

SPSC_CAPACITIES = ["1", "64", "1024", "unbounded"]
ONE_THREAD_CAPACITIES = ["64", "unbounded"]
ONE_THREAD_GROUPS = ["spsc-1thread", "spsc-localpool"]
# aioqueue's time over the fastest peer's: the milestone and the goal.
MILESTONE, GOAL = 1.5, 1.0
PYTHONS = ["3.13", "3.11"]
MPMC_CAPACITIES = ["64", "unbounded"]
SPSC_PEERS = ["tokio-mpsc", "async-channel", "flume", "kanal", "kanal-std-mutex"]
MPMC_PEERS = ["async-channel", "flume", "kanal", "kanal-std-mutex"]
# aioqueue's rows: the thread-safe queue everywhere; on one thread also
# `aioqueue::local::Queue`, whose futures are not `Send`.
OURS = ["aioqueue"]
ONE_THREAD_OURS = ["aioqueue", "aioqueue-local"]


def mitems(per_second):
    return f"{per_second / 1e6:.2f}"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


class Report:
    def __init__(self, target, rounds=None):
        self.rounds = [load(target, r) for r in rounds] if rounds else []
        self.results = load_rounds(target, rounds) if rounds else load(target)
        self.target = target
        self.verdicts = []

    def round_ratios(self, ours_key, peer_keys):
        """aioqueue's throughput over the fastest peer's, in each round."""
        ratios = []
        for results in self.rounds:
            ours = results.get(ours_key)
            peers = [results[k] for k in peer_keys if k in results]
            if ours and peers:
                best = min(p.median_ns for p in peers)
                ratios.append(best / ours.median_ns)
        return ratios

    def get(self, key):
        return self.results.get(key)

    def verdict(self, target, met, detail):
        self.verdicts.append((target, met, detail))

    def uncontended(self):
        base = self.get("uncontended/baseline-Mutex-VecDeque")
        heap = self.get("uncontended/baseline-Mutex-BinaryHeap")
        if not base:
            return ""
        names = ["aioqueue-Queue", "aioqueue-LifoQueue", "aioqueue-PriorityQueue",
                 "aioqueue-local-Queue", "baseline-Mutex-VecDeque", "baseline-Mutex-BinaryHeap",
                 "tokio-mpsc", "async-channel", "flume", "kanal", "kanal-std-mutex"]
        rows = []
        for name in names:
            r = self.get(f"uncontended/{name}")
            if r:
                rows.append([f"`{name}`", f"{r.median_ns:.2f}",
                             f"{r.median_ns / base.median_ns:.2f}x",
                             f"{r.median_ns / heap.median_ns:.2f}x" if heap else "-"])
        kanal = self.get("uncontended/kanal")
        for kind in ["Queue", "LifoQueue", "PriorityQueue", "local-Queue"]:
            ours = self.get(f"uncontended/aioqueue-{kind}")
            if not ours:
                continue
            ratio = ours.median_ns / base.median_ns
            self.verdict(f"floor: uncontended {kind} pair <= 1.0x Mutex<VecDeque>",
                         ratio <= 1.0, f"{ratio:.2f}x")
            if kanal:
                self.verdict(f"floor: uncontended {kind} pair <= kanal",
                             ours.median_ns <= kanal.median_ns,
                             f"{ours.median_ns:.2f} ns vs {kanal.median_ns:.2f} ns "
                             f"({ours.median_ns / kanal.median_ns:.2f}x)")
        return ("### uncontended (one `try_put` + `try_get` pair, ns)\n\n"
                + table(["", "median ns/pair", "x Mutex<VecDeque>", "x Mutex<BinaryHeap>"], rows))

    def throughput(self, group, capacities, peers, ours_names=OURS):
        rows = []
        for capacity in capacities:
            for name in ours_names:
                row = self.throughput_row(group, capacity, peers, name)
                if row:
                    rows.append(row)
        if not rows:
            return ""
        header = ["capacity", "aioqueue", "million items/s"] + \
            [f"{p} (aioqueue x)" for p in peers] + ["aioqueue / fastest peer"]
        return (f"### {group} (million items/s, median; in brackets aioqueue's "
                "throughput divided by the peer's)\n\n" + table(header, rows))

    def throughput_row(self, group, capacity, peers, name):
        ours = self.get(f"{group}/{name}/{capacity}")
        if not ours:
            return None
        row = [capacity, f"`{name}`", mitems(ours.per_second)]
        best = None
        for peer in peers:
            r = self.get(f"{group}/{peer}/{capacity}")
            if r:
                row.append(f"{mitems(r.per_second)} ({ours.per_second / r.per_second:.2f}x)")
                if best is None or r.per_second > best.per_second:
                    best = r
            else:
                row.append("-")
        if best:
            ratio = ours.per_second / best.per_second
            spread = self.round_ratios(f"{group}/{name}/{capacity}",
                                       [f"{group}/{p}/{capacity}" for p in peers])
            span = f"; rounds {min(spread):.2f}-{max(spread):.2f}" if len(spread) > 1 else ""
            row.append(f"{ratio:.2f}x ({best.function}{span})")
            slowdown = 1 / ratio
            label = f"{group} {capacity}" + ("" if name == "aioqueue" else f", {name}")
            if capacity == "1":
                # Judged against the asyncio bound (2 waits per item), not
                # the peers: see docs/performance.md.
                self.verdict(f"{label}: time / fastest peer (asyncio bound)",
                             None, f"{slowdown:.2f} ({best.function})")
            else:
                self.verdict(f"{label}: time / fastest peer <= {MILESTONE}",
                             slowdown <= MILESTONE, f"{slowdown:.2f} ({best.function})")
                self.verdict(f"{label}: time / fastest peer <= {GOAL}",
                             slowdown <= GOAL, f"{slowdown:.2f} ({best.function})")
        return row

    def priority(self):
        rows = []
        for group in ["priority-fill_drain", "priority-spsc"]:
            ours = self.get(f"{group}/aioqueue")
            theirs = self.get(f"{group}/async-priority-channel")
            floor = self.get(f"{group}/baseline-Mutex-BinaryHeap")
            if not (ours and theirs):
                continue
            ratio = theirs.median_ns / ours.median_ns
            rows.append([group.split("-", 1)[1], f"{ours.median_ns / 1e6:.2f}",
                         f"{theirs.median_ns / 1e6:.2f}", f"{ratio:.2f}x",
                         f"{floor.median_ns / 1e6:.2f}" if floor else "-"])
            self.verdict(f"{group}: faster than async-priority-channel", ratio > 1.0,
                         f"{ratio:.2f}x")
        if not rows:
            return ""
        return ("### priority (100,000 items, ms per run, median)\n\n"
                + table(["workload", "aioqueue", "async-priority-channel",
                         "aioqueue speed-up", "Mutex<BinaryHeap>"], rows))

    def waiters(self):
        few = self.get("waiters/aioqueue/10")
        many = self.get("waiters/aioqueue/1000")
        most = self.get("waiters/aioqueue/100000")
        if not (few and many):
            return ""
        wakes = extra("waiters", self.target) or {}
        rows = []
        for n, r in [("10", few), ("1000", many), ("100000", most)]:
            if not r:
                continue
            w = wakes.get(n, {})
            rows.append([n, f"{r.median_ns:.1f}", w.get("wakes_per_item", "?"),
                         f"{w.get('wakes', '?')} / {w.get('items', '?')}"])
        ratio = max(r.median_ns for r in [many, most] if r) / few.median_ns
        counted = [n for n in ["10", "1000", "100000"] if n in wakes]
        exact = len(counted) >= 2 and all(wakes[n].get("wakes_per_item") == 1 for n in counted)
        self.verdict("waiters: exactly 1 wake per item", exact,
                     "counted by the getters' own wakers" if exact else "see extras/waiters.json")
        self.verdict("waiters: 10, 1,000, 100,000 within 1.5x", ratio <= 1.5, f"{ratio:.2f}x")
        return ("### waiters (ns per item: put, wake, woken get completes, a new get waits)\n\n"
                + table(["waiting getters", "median ns/item", "wakes per item",
                         "wakes / items (all samples)"], rows)
                + f"\n\nSlowest / 10 waiters: {ratio:.2f}x")

    def cancel_storm(self):
        rows = []
        for order in ["in_order", "reverse", "shuffled"]:
            r = self.get(f"cancel_storm/aioqueue/{order}")
            if r:
                rows.append([order, f"{r.median_ns / 1e6:.1f}",
                             f"{r.median_ns / r.elements:.1f}"])
        if not rows:
            return ""
        mem = extra("cancel_storm", self.target) or {}
        left = mem.get("worst_bytes_left_behind")
        self.verdict("cancel_storm: no memory growth", left == 0,
                     f"{left} heap bytes left behind (worst of {mem.get('storms')} storms)")
        text = ("### cancel_storm (1,000,000 getters polled once, then dropped)\n\n"
                + table(["drop order", "median ms per storm", "ns per getter"], rows))
        if mem:
            text += (f"\n\nHeap bytes left behind by the queue after a storm, worst of "
                     f"{mem['storms']} storms: **{left}**. Peak heap growth with every getter "
                     f"waiting: {mem['peak_growth_bytes']:,} B "
                     f"({mem['peak_growth_bytes'] / mem['getters']:.1f} B per waiting getter).")
            if mem.get("rss_after_first") is not None:
                text += (f" RSS after the first storm {mem['rss_after_first']:,} B, after the "
                         f"last {mem['rss_after_last']:,} B.")
        return text

    def python(self):
        """aioqueue on one thread against asyncio.Queue, which runs on one."""
        rows = []
        for version in PYTHONS:
            py = extra(f"python-{version}", self.target)
            if not py:
                continue
            for capacity in ONE_THREAD_CAPACITIES:
                theirs = py["spsc"].get(capacity)
                if not theirs:
                    continue
                for name in ONE_THREAD_OURS:
                    row = [f"{py['python']}", capacity, f"`{name}`",
                           mitems(theirs["items_per_s"])]
                    for group in ONE_THREAD_GROUPS:
                        ours = self.get(f"{group}/{name}/{capacity}")
                        if not ours:
                            row += ["-", "-"]
                            continue
                        speedup = ours.per_second / theirs["items_per_s"]
                        row += [mitems(ours.per_second), f"{speedup:.0f}x"]
                        if version == PYTHONS[0]:
                            self.verdict(f"CPython {version}, {group} {capacity}, {name}: "
                                         ">= 30x (goal 50x)", speedup >= 30, f"{speedup:.0f}x")
                    rows.append(row)
        if not rows:
            return ""
        return ("### CPython asyncio.Queue against aioqueue on one thread, spsc "
                "(million items/s, median)\n\n"
                + table(["CPython", "capacity", "aioqueue", "asyncio.Queue",
                         "aioqueue, tokio current_thread", "speed-up", "aioqueue, LocalPool",
                         "speed-up"], rows))

    def render(self):
        sections = [self.uncontended(),
                    self.throughput("spsc", SPSC_CAPACITIES, SPSC_PEERS),
                    self.throughput("spsc-1thread", ONE_THREAD_CAPACITIES, SPSC_PEERS,
                                    ONE_THREAD_OURS),
                    self.throughput("spsc-localpool", ONE_THREAD_CAPACITIES, SPSC_PEERS,
                                    ONE_THREAD_OURS),
                    self.throughput("mpmc", MPMC_CAPACITIES, MPMC_PEERS),
                    self.priority(), self.waiters(), self.cancel_storm(), self.python()]
        out = "\n\n".join(s for s in sections if s)
        if self.verdicts:
            out += "\n\n### Targets\n\n" + table(
                ["target", "met", "measured"],
                [[t, "-" if met is None else "yes" if met else "**no**", d]
                 for t, met, d in self.verdicts])
        return out + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default=DEFAULT_TARGET, help="cargo's target directory")
    parser.add_argument("--rounds", help="comma-separated saved baselines to fold together")
    args = parser.parse_args()
    rounds = args.rounds.split(",") if args.rounds else None
    sys.stdout.write(Report(args.target, rounds).render())


if __name__ == "__main__":
    main()
