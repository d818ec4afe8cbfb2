#!/usr/bin/env python3
"""The `spsc` benchmark's workload with CPython's asyncio.Queue.

One producer task puts the ints 0..ITEMS-1 (awaiting `put`), one consumer
task gets ITEMS of them (awaiting `get`) and checks their sum; the queue is
created and both tasks run inside the timed region, as in
`benches/benches/spsc.rs`. Capacities 1, 64, 1024 and unbounded (maxsize 0).
Each capacity runs REPEATS times; the median is reported, in items/s.

    python3 benches/python/asyncio_baseline.py [--items N] [--repeats R] [--json PATH]

With --json, the medians are also written for benches/scripts/report.py
(usually target/criterion/extras/python.json).
"""

import argparse
import asyncio
import json
import platform
import statistics
import sys
import time

CAPACITIES = [1, 64, 1024, 0]


async def spsc(maxsize: int, items: int) -> float:
    start = time.perf_counter()
    queue = asyncio.Queue(maxsize)

    async def producer() -> None:
        for item in range(items):
            await queue.put(item)

    async def consumer() -> int:
        total = 0
        for _ in range(items):
            total += await queue.get()
        return total

    _, total = await asyncio.gather(producer(), consumer())
    elapsed = time.perf_counter() - start
    assert total == items * (items - 1) // 2, "lost or duplicated items"
    return elapsed


def label(maxsize: int) -> str:
    return str(maxsize) if maxsize else "unbounded"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", help="also write the medians to this file")
    args = parser.parse_args()

    print(f"{platform.python_implementation()} {platform.python_version()}, "
          f"asyncio.Queue, 1 producer + 1 consumer, {args.items} items, "
          f"median of {args.repeats}")
    results = {}
    for maxsize in CAPACITIES:
        times = [asyncio.run(spsc(maxsize, args.items)) for _ in range(args.repeats)]
        median = statistics.median(times)
        rate = args.items / median
        results[label(maxsize)] = {"median_s": median, "items_per_s": rate}
        print(f"  maxsize {label(maxsize):>9}: {median * 1e3:9.1f} ms  {rate:12,.0f} items/s")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump({"python": platform.python_version(), "items": args.items,
                       "repeats": args.repeats, "spsc": results}, out, indent=1)
            out.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
