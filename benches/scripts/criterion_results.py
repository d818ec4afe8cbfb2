"""Reads criterion's JSON output (standard library only).

Criterion writes, for every benchmark, `<target>/criterion/<...>/new/
benchmark.json` (its group, function, parameter and throughput) and
`estimates.json` (mean, median, ... in nanoseconds per iteration). The
benchmarks in benches/benches/ also write `<target>/criterion/extras/*.json`
for figures criterion does not record (wake counts, heap bytes, CPython).
"""

import json
import os
from dataclasses import dataclass
from typing import Dict, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TARGET = os.path.normpath(
    os.environ.get("CARGO_TARGET_DIR") or os.path.join(HERE, "..", "..", "target"))


@dataclass
class Result:
    group: str
    function: str
    value: Optional[str]
    median_ns: float
    low_ns: float
    high_ns: float
    elements: Optional[int]

    @property
    def per_second(self) -> Optional[float]:
        """Elements per second at the median, if a throughput was declared."""
        if self.elements is None:
            return None
        return self.elements / (self.median_ns * 1e-9)


def load(target: str = DEFAULT_TARGET, baseline: str = "new") -> Dict[str, Result]:
    """Every benchmark's result, keyed `group/function[/value]`: the latest
    run (`new`), or the run saved with `--save-baseline BASELINE`."""
    results = {}
    root = os.path.join(target, "criterion")
    for directory, _, files in os.walk(root):
        if os.path.basename(directory) != baseline:
            continue
        if "benchmark.json" not in files or "estimates.json" not in files:
            continue
        with open(os.path.join(directory, "benchmark.json"), encoding="utf-8") as f:
            bench = json.load(f)
        with open(os.path.join(directory, "estimates.json"), encoding="utf-8") as f:
            estimates = json.load(f)
        median = estimates["median"]
        throughput = bench.get("throughput") or {}
        results[bench["full_id"]] = Result(
            group=bench["group_id"],
            function=bench["function_id"],
            value=bench.get("value_str"),
            median_ns=median["point_estimate"],
            low_ns=median["confidence_interval"]["lower_bound"],
            high_ns=median["confidence_interval"]["upper_bound"],
            elements=throughput.get("Elements"),
        )
    return results


def extra(name: str, target: str = DEFAULT_TARGET) -> Optional[dict]:
    """`<target>/criterion/extras/NAME.json`, if a benchmark wrote it."""
    path = os.path.join(target, "criterion", "extras", f"{name}.json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def load_rounds(target: str, baselines) -> Dict[str, Result]:
    """Several runs of the same benchmarks (`--save-baseline r1`, `r2`, ...)
    folded into one: each benchmark's median is the median of its medians,
    its interval the smallest and largest of them."""
    rounds = [load(target, b) for b in baselines]
    merged = {}
    for key in set().union(*rounds):
        runs = [r[key] for r in rounds if key in r]
        medians = sorted(r.median_ns for r in runs)
        middle = len(medians) // 2
        median = medians[middle] if len(medians) % 2 else \
            (medians[middle - 1] + medians[middle]) / 2
        first = runs[0]
        merged[key] = Result(first.group, first.function, first.value, median,
                             medians[0], medians[-1], first.elements)
    return merged
