"""How long each page takes to run for the director, through AppTest (a report, never an assertion).

    .venv/bin/python benchmarks/page_reruns.py [DATA_DIR]

Without DATA_DIR the demo borough is generated into a temporary folder. For each page: the first run
(empty Streamlit caches, as for the first visitor after a data change: the router, the sign-in check and
the page's queries) and the median of 5 reruns (what a click costs once the results are cached). A
warm-up run first pays the one-off imports (plotly, duckdb, polars) and is reported apart.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from g2g_core.demo import write_demo  # noqa: E402

PAGES = {  # title: url path
    "Borough overview": "overview",
    "Attention": "attention",
    "School (none chosen)": "school",
    "School (Nolbbrook, 900005)": "school?urn=900005",
    "What-if": "what-if",
    "Policy": "policy",
}
RERUNS = 5
_ORIGINAL_INIT = PagesManager.__init__


def _server_like_navigation(self, *args, **kwargs) -> None:
    # As in a running server after its first request: every run goes through app.py (see tests/app/conftest.py).
    _ORIGINAL_INIT(self, *args, **kwargs)
    PagesManager.uses_pages_directory = False


def director_at(address: str) -> AppTest:
    """A signed-in director's AppTest that opens an address on its first run."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "director"
    at.session_state["name"] = "Demo Assistant Director"
    at.session_state["roles"] = ["director"]
    path, _, query = address.partition("?")
    for pair in filter(None, query.split("&")):
        key, _, value = pair.partition("=")
        at.query_params[key] = value
    at._page_hash = calc_hash(path)  # AppTest has no public way to open an address before a run
    return at


def timed_run(at: AppTest) -> float:
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception:
        raise SystemExit(f"the page failed: {at.exception[0].message}")
    return elapsed


def main(argv: list[str]) -> None:
    PagesManager.__init__ = _server_like_navigation
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(argv[0]) if argv else Path(tmp) / "demo"
        if not argv:
            write_demo(data)
        os.environ["G2G_DATA_DIR"] = str(data.resolve())
        os.environ["G2G_AUTH_FILE"] = str(ROOT / ".streamlit" / "accounts.demo.yaml")
        os.environ.pop("G2G_ENV", None)

        warm_up = timed_run(director_at("overview"))
        rows = []
        for title, address in PAGES.items():
            st.cache_data.clear()
            st.cache_resource.clear()
            at = director_at(address)
            first = timed_run(at)
            reruns = [timed_run(at) for _ in range(RERUNS)]
            rows.append((title, first, statistics.median(reruns), min(reruns), max(reruns)))

    print(f"Data: {data if argv else 'demo borough (generated)'}; director; AppTest; {RERUNS} reruns each.")
    print(f"Warm-up run (imports, store load, overview): {warm_up * 1000:,.0f} ms\n")
    print(f"{'page':<28} {'first run':>10} {'rerun median':>13} {'min':>7} {'max':>7}")
    for title, first, median, low, high in rows:
        print(
            f"{title:<28} {first * 1000:>8,.0f}ms {median * 1000:>11,.0f}ms {low * 1000:>5,.0f}ms {high * 1000:>5,.0f}ms"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
