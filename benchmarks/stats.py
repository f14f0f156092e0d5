"""Percentiles and one line per figure."""

import statistics


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def report(name: str, samples: list[float], unit: str, target: float, what: str, key: str = "p95") -> tuple[str, bool]:
    """Print p50/p95/max of `samples` (seconds) in `unit` and whether `key` meets `target`."""
    scale = {"ms": 1000, "s": 1}[unit]
    p50, p95 = percentile(samples, 50) * scale, percentile(samples, 95) * scale
    figure = {"p50": p50, "p95": p95, "first": samples[0] * scale}[key]
    ok = figure < target
    print(
        f"{name:34s} p50 {p50:8.1f} {unit}  p95 {p95:8.1f} {unit}  max {max(samples) * scale:8.1f} {unit}"
        f"  mean {statistics.fmean(samples) * scale:8.1f} {unit}  ({what}; target {key} < {target:g} {unit}:"
        f" {'met' if ok else 'MISSED'})"
    )
    return name, ok
