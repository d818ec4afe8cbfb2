#!/usr/bin/env python3
"""Draws docs/performance.svg from criterion's output: throughput
(million items/s, median) by capacity, for aioqueue and each peer, in the
`spsc` (two workers and one thread) and `mpmc` benchmarks. Standard library only.

    python3 benches/scripts/chart.py [--target DIR] [--rounds r1,r2,r3] [--out docs/performance.svg]

With --rounds, each bar is the median over those saved baselines.
"""

import argparse
import os
from xml.sax.saxutils import escape

from criterion_results import DEFAULT_TARGET, HERE, load, load_rounds

SPSC = ["aioqueue", "tokio-mpsc", "async-channel", "flume", "kanal", "kanal-std-mutex"]
# On one thread, `aioqueue::local::Queue` beside the thread-safe queue.
ONE_THREAD = SPSC[:1] + ["aioqueue-local"] + SPSC[1:]
PANELS = [
    ("spsc: 1 producer, 1 consumer, 2 workers", "spsc", ["1", "64", "1024", "unbounded"], SPSC),
    ("spsc on one thread: tokio current_thread", "spsc-1thread", ["64", "unbounded"],
     ONE_THREAD),
    ("spsc on one thread: futures LocalPool", "spsc-localpool", ["64", "unbounded"],
     ONE_THREAD),
    ("mpmc: 4 producers, 4 consumers, 2 workers", "mpmc", ["64", "unbounded"],
     ["aioqueue", "async-channel", "flume", "kanal", "kanal-std-mutex"]),
]
COLOURS = {"aioqueue": "#d62728", "aioqueue-local": "#e377c2", "tokio-mpsc": "#1f77b4", "async-channel": "#2ca02c",
           "flume": "#9467bd", "kanal": "#ff7f0e", "kanal-std-mutex": "#8c564b"}
WIDTH, PANEL_HEIGHT, LEFT, TOP, BOTTOM = 760, 300, 70, 50, 60


def nice_ceiling(value):
    """The smallest 1, 2, 2.5 or 5 times a power of ten that is >= value."""
    magnitude = 10 ** len(str(int(max(value, 1)))) / 10
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def panel(svg, results, title, group, capacities, peers, top):
    values = {(peer, cap): results[f"{group}/{peer}/{cap}"].per_second / 1e6
              for peer in peers for cap in capacities if f"{group}/{peer}/{cap}" in results}
    if not values:
        return
    y_max = nice_ceiling(max(values.values()))
    plot_w, plot_h = WIDTH - LEFT - 20, PANEL_HEIGHT - TOP - BOTTOM
    x0, y0 = LEFT, top + TOP + plot_h
    svg.append(f'<text x="{WIDTH / 2}" y="{top + 28}" text-anchor="middle" '
               f'font-size="16" font-weight="bold">{escape(title)}</text>')
    for i in range(6):
        value = y_max * i / 5
        y = y0 - plot_h * i / 5
        svg.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + plot_w}" y2="{y:.1f}" '
                   f'stroke="#ddd"/>')
        svg.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end" '
                   f'font-size="11">{value:g}</text>')
    svg.append(f'<text x="16" y="{y0 - plot_h / 2:.1f}" font-size="12" text-anchor="middle" '
               f'transform="rotate(-90 16 {y0 - plot_h / 2:.1f})">million items/s</text>')
    slot = plot_w / len(capacities)
    bar = slot * 0.8 / len(peers)
    for c, cap in enumerate(capacities):
        for p, peer in enumerate(peers):
            value = values.get((peer, cap))
            if value is None:
                continue
            height = plot_h * value / y_max
            x = x0 + c * slot + slot * 0.1 + p * bar
            svg.append(f'<rect x="{x:.1f}" y="{y0 - height:.1f}" width="{bar - 2:.1f}" '
                       f'height="{height:.1f}" fill="{COLOURS[peer]}">'
                       f'<title>{escape(peer)}, capacity {cap}: {value:.2f} M items/s</title>'
                       f'</rect>')
            svg.append(f'<text x="{x + (bar - 2) / 2:.1f}" y="{y0 - height - 3:.1f}" '
                       f'text-anchor="middle" font-size="9">{value:.1f}</text>')
        label = "capacity " + cap if cap != "unbounded" else "unbounded"
        svg.append(f'<text x="{x0 + c * slot + slot / 2:.1f}" y="{y0 + 18}" '
                   f'text-anchor="middle" font-size="12">{label}</text>')
    svg.append(f'<line x1="{x0}" y1="{y0}" x2="{x0 + plot_w}" y2="{y0}" stroke="#333"/>')
    legend_x = x0
    for peer in peers:
        svg.append(f'<rect x="{legend_x}" y="{y0 + 32}" width="12" height="12" '
                   f'fill="{COLOURS[peer]}"/>')
        svg.append(f'<text x="{legend_x + 16}" y="{y0 + 42}" font-size="12">'
                   f'{escape(peer)}</text>')
        legend_x += 30 + 8 * len(peer)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default=DEFAULT_TARGET, help="cargo's target directory")
    parser.add_argument("--out", default=os.path.normpath(
        os.path.join(HERE, "..", "..", "docs", "performance.svg")))
    parser.add_argument("--rounds", help="comma-separated saved baselines to fold together")
    args = parser.parse_args()
    results = load_rounds(args.target, args.rounds.split(",")) if args.rounds else \
        load(args.target)
    height = PANEL_HEIGHT * len(PANELS)
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
           f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif">',
           f'<rect width="{WIDTH}" height="{height}" fill="white"/>']
    for i, (title, group, capacities, peers) in enumerate(PANELS):
        panel(svg, results, title, group, capacities, peers, i * PANEL_HEIGHT)
    svg.append("</svg>")
    with open(args.out, "w", encoding="utf-8") as out:
        out.write("\n".join(svg) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
