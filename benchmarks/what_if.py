"""How fast the What-if model answers: median of 5 runs on a data directory (a report, never an assertion).

    .venv/bin/python benchmarks/what_if.py data/demo data/national

Measures, per directory: the one-off query that loads the schools (cached by the page), and the model's
recompute on those loaded aggregates for today and for "Enhanced at 10 hours a term, two Intensive A
schools exit to Enhanced" (what happens when a slider moves).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from g2g_core.access import Viewer
from g2g_core.allocation import LevelChange, Move, Scenario, allocate, baseline, caseload, compare
from g2g_core.store import load_store
from g2g_core.views import schools_now

RUNS = 5
SCENARIO = Scenario(
    levels={"enhanced": LevelChange(additional_hours=10, additional_hours_per="term")},
    moves=[Move(from_level="intensive_a", to_level="enhanced", schools=2)],
)


def median_ms(fn) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(directory: Path) -> None:
    start = time.perf_counter()
    store = load_store(directory)
    loaded = time.perf_counter() - start
    as_of = store.default_as_of()
    frame = schools_now(store, Viewer.system(), as_of)
    schools = caseload(frame)
    policy = store.policy
    print(f"{directory}: {schools.height:,} open categorised schools (store loaded once in {loaded:.1f} s)")
    print(
        f"  schools_now query (cached by the page)        {median_ms(lambda: schools_now(store, Viewer.system(), as_of)):8.1f} ms"
    )
    print(f"  caseload() on the loaded frame               {median_ms(lambda: caseload(frame)):8.1f} ms")
    print(
        f"  baseline                                     {median_ms(lambda: baseline(schools, policy)):8.1f} ms"
    )
    print(
        f"  scenario (Enhanced 10 h, 2 Intensive A exit) {median_ms(lambda: allocate(schools, policy, SCENARIO)):8.1f} ms"
    )

    def rerun():  # what one slider move costs the page: aggregate, baseline, scenario, comparison
        s = caseload(frame)
        compare(baseline(s, policy), allocate(s, policy, SCENARIO))

    print(f"  one page rerun of the model (all of the above but the query) {median_ms(rerun):8.1f} ms")


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["data/demo"]:
        measure(Path(arg))
