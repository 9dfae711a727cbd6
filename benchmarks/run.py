"""The performance benchmark: every figure beside its floor, on the national set and the demo borough.

    make bench                      # or: .venv/bin/python benchmarks/run.py

Generates the national-scale set (`g2g demo-data --schools 25000 --years 10`, into data/national) and the
demo borough (data/demo) when they are not there yet, then measures, as the median of 5 runs after a
warm-up, each figure beside its floor, and writes `benchmarks/results.md` (and prints it):

- load + validation of the data directory (`load_store`), beside DuckDB's `SELECT count(*)` of every file
  (the floor the issue names: it reads only the files' footers) and beside reading every column of every
  file into memory once (`CREATE TABLE AS SELECT *`: the least any loading can do);
- `g2g flags` (all rules) as a person runs it, beside a process that does that full read and nothing else;
- each page of the director through AppTest: cold (a new session, every Streamlit and core cache empty, the
  store loaded) and warm (a rerun, results cached), beside an empty page in the same harness;
- the What-if recompute (a slider move) and a governors' pack build (PowerPoint and PDF);
- the peak memory (maximum resident set) of the app process with the national set loaded and every page run,
  beside a process holding only the tables read as they are;
- 20 sessions at once in one process (threads, each running every page through AppTest): errors, and the
  median page time under that load;
- real servers (`benchmarks/bench_servers.py`): N headless Chromium sessions at once (`--sessions N`, default 8)
  against one `streamlit run` server and against two behind HAProxy sharing a throw-away PostgreSQL, on the
  national set: page time median and 95th percentile, errors, beside one session alone. `--servers-only`
  measures just this and replaces (or adds) its own section of results.md, leaving the other figures as
  they are.

Each measurement runs in a child process of its own (`--child KIND DIR`), so that one's memory and caches do
not colour another's. Nothing here asserts a time: it is a report.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NATIONAL = ROOT / "data" / "national"
DEMO = ROOT / "data" / "demo"
RESULTS = ROOT / "benchmarks" / "results.md"
RUNS = 5
SESSIONS = 20
TIMEOUT = 60  # seconds an AppTest run may take before it counts as an error (a hung run)
SCHOOL_URN = 900005  # a school in both sets (Nolbbrook in the demo borough)
GIB = 1024**3


# --------------------------------------------------------------------------------------------------
# Helpers


def median_of(fn: Callable[[], object], runs: int = RUNS, warm_up: int = 1) -> float:
    """The median wall time of `runs` calls after `warm_up` calls, in seconds."""
    for _ in range(warm_up):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_measured(args: list[str], env: dict | None = None) -> tuple[float, int, str]:
    """Run a command and return wall seconds, its own peak resident memory (bytes) and its stdout."""
    out_path = ROOT / "benchmarks" / f".out-{os.getpid()}-{threading.get_ident()}.txt"
    with out_path.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    text = out_path.read_text()
    out_path.unlink()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed with exit code {proc.returncode}")
    return elapsed, usage.ru_maxrss * 1024, text


def child(kind: str, directory: Path) -> dict:
    """Run one measurement in a child process and return what it reports."""
    args = [sys.executable, str(Path(__file__).resolve()), "--child", kind, str(directory)]
    _, peak, out = run_measured(args, env={**os.environ, "G2G_DATA_DIR": str(directory)})
    line = next(ln for ln in reversed(out.splitlines()) if ln.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["peak_rss"] = peak
    return result


def report(result: dict) -> None:
    """What a child process hands back to the parent (one line on stdout)."""
    print("RESULT " + json.dumps(result), flush=True)


def parquet_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.parquet"))


def ensure_data() -> None:
    """The national set and the demo borough, generated if missing (or not of the expected size)."""
    g2g = [sys.executable, "-m", "g2g_core", "demo-data"]
    meta = NATIONAL / "dataset.json"
    try:
        info = json.loads(meta.read_text())
        ok = info.get("schools") == 25000 and info.get("years") == 10
    except (OSError, ValueError):
        ok = False
    if not ok:
        print("Generating the national set (25,000 schools, 10 years) in data/national ...", flush=True)
        subprocess.run(
            [*g2g, "--out", str(NATIONAL), "--schools", "25000", "--years", "10"], cwd=ROOT, check=True
        )
    if not (DEMO / "schools.parquet").is_file():
        print("Generating the demo borough in data/demo ...", flush=True)
        subprocess.run([*g2g, "--out", str(DEMO)], cwd=ROOT, check=True)


# --------------------------------------------------------------------------------------------------
# Child: loading, flags in process, What-if, packs


def full_read(directory: Path) -> None:
    """The floor of loading: every column of every Parquet file read once into memory, nothing checked."""
    import duckdb

    con = duckdb.connect(":memory:", config={"threads": 2})
    for path in parquet_files(directory):
        con.sql(f'CREATE TABLE "{path.stem}" AS SELECT * FROM read_parquet($p)', params={"p": str(path)})
    con.close()


def count_every_file(directory: Path) -> None:
    """DuckDB's `SELECT count(*)` of every Parquet file (it reads the footers only)."""
    import duckdb

    con = duckdb.connect(":memory:", config={"threads": 2})
    for path in parquet_files(directory):
        con.sql("SELECT count(*) FROM read_parquet($p)", params={"p": str(path)}).fetchall()
    con.close()


def child_core(directory: Path) -> None:
    from g2g_core.access import Viewer
    from g2g_core.allocation import LevelChange, Move, Scenario, allocate, baseline, caseload, compare
    from g2g_core.packs import build_pack
    from g2g_core.rules import compute_flags
    from g2g_core.store import load_store
    from g2g_core.views import schools_now

    result: dict[str, float] = {
        "count_files": median_of(lambda: count_every_file(directory)),
        "full_read": median_of(lambda: full_read(directory)),
        "load": median_of(lambda: load_store(directory).con.close()),
    }
    store = load_store(directory)
    as_of = store.default_as_of()
    viewer = Viewer.system()

    def flags() -> None:
        getattr(store, "clear_memo", lambda: None)()
        compute_flags(store, viewer, as_of)

    result["flags_in_process"] = median_of(flags)
    frame = schools_now(store, viewer, as_of)
    scenario = Scenario(
        levels={"enhanced": LevelChange(additional_hours=10, additional_hours_per="term")},
        moves=[Move(from_level="intensive_a", to_level="enhanced", schools=2)],
    )

    def what_if() -> None:  # what one slider move costs the page: aggregate, baseline, scenario, comparison
        schools = caseload(frame)
        compare(baseline(schools, store.policy), allocate(schools, store.policy, scenario))

    result["what_if"] = median_of(what_if)
    for fmt in ("pptx", "pdf"):
        result[f"pack_{fmt}"] = median_of(lambda fmt=fmt: build_pack(store, viewer, SCHOOL_URN, as_of, fmt))
    # A wrong password for a known and an unknown username: the same bcrypt work (tests/security counts the checks).
    import yaml

    from g2g_core.signin import check_password

    accounts = yaml.safe_load((ROOT / ".streamlit" / "accounts.demo.yaml").read_text(encoding="utf-8"))
    accounts = accounts["credentials"]
    result["signin_known"] = median_of(lambda: check_password(accounts, "director", "not-the-password"))
    result["signin_unknown"] = median_of(
        lambda: check_password(accounts, "no.such.person", "not-the-password")
    )
    report(result)


def child_memory_floor(directory: Path) -> None:
    """A process that holds the tables as read, and nothing else (its peak memory is the floor)."""
    import duckdb

    con = duckdb.connect(":memory:", config={"threads": 2})
    for path in parquet_files(directory):
        con.sql(f'CREATE TABLE "{path.stem}" AS SELECT * FROM read_parquet($p)', params={"p": str(path)})
    report({})


# --------------------------------------------------------------------------------------------------
# Child: pages through AppTest


def director_pages() -> list[tuple[str, str]]:
    """(title, address) of every page the director has (ui/navigation.py); the school page also with a school."""
    from ui.navigation import pages_for

    out = []
    for spec in pages_for("director"):
        if spec.key == "school":
            out.append((f"{spec.title} (none chosen)", spec.url_path))
            out.append((f"{spec.title} ({SCHOOL_URN})", f"{spec.url_path}?urn={SCHOOL_URN}"))
        else:
            out.append((spec.title, spec.url_path))
    return out


def _apptest_setup() -> None:
    """Full error details, the demo accounts, outside production."""
    from streamlit import config

    config.set_option("client.showErrorDetails", "full")  # the benchmark reports what failed, unredacted
    os.environ["G2G_AUTH_FILE"] = str(ROOT / ".streamlit" / "accounts.demo.yaml")
    os.environ.pop("G2G_ENV", None)


def director_at(address: str):
    """A signed-in director's AppTest that opens an address on its first run."""
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
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


class PageError(Exception):
    """A page raised an exception (what a visitor would see as an error)."""


def timed_run(at) -> float:
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception:
        exc = at.exception[0]
        raise PageError(f"{exc.message} | {' / '.join(line.strip() for line in exc.stack_trace[-4:])}")
    return elapsed


def forget_everything() -> None:
    """Empty every cache a first visitor after a data change would find empty (the store stays loaded)."""
    import streamlit as st

    from g2g_core import exports
    from ui import data

    st.cache_data.clear()
    st.cache_resource.clear()
    getattr(data.store(), "clear_memo", lambda: None)()
    getattr(exports, "_WRITTEN", {}).clear()


def empty_page_floor() -> tuple[float, float]:
    """Cold and warm runs of an empty page in the same harness."""
    from streamlit.testing.v1 import AppTest

    def cold() -> None:
        AppTest.from_string("import streamlit as st\n", default_timeout=60).run()

    at = AppTest.from_string("import streamlit as st\n", default_timeout=60)
    at.run()
    return median_of(cold), median_of(at.run)


def child_pages(directory: Path) -> None:
    _apptest_setup()
    from ui import data

    start = time.perf_counter()
    data.store()
    load = time.perf_counter() - start
    timed_run(director_at("policy"))  # imports (plotly, polars, the pages' modules) paid once, apart
    floor_cold, floor_warm = empty_page_floor()
    pages = {}
    for title, address in director_pages():
        try:
            colds = []
            for _ in range(RUNS):
                forget_everything()
                colds.append(timed_run(director_at(address)))
            at = director_at(address)
            timed_run(at)
            warm = median_of(lambda at=at: timed_run(at), warm_up=0)
            pages[title] = {"cold": statistics.median(colds), "warm": warm}
        except PageError as err:
            pages[title] = {"error": str(err)[:200]}
    report({"store_load": load, "floor_cold": floor_cold, "floor_warm": floor_warm, "pages": pages})


def _one_runtime() -> None:
    """One Streamlit runtime for every AppTest of the process, as in a server.

    Each AppTest run installs a mock runtime of its own and removes it when it ends, which under threads
    pulls the runtime from under the other sessions' runs ("Runtime hasn't been created!"). Here they share
    one, never removed, and one script cache.
    """
    from unittest.mock import MagicMock

    from streamlit.components.v2.component_manager import BidiComponentManager
    from streamlit.runtime import Runtime
    from streamlit.runtime.caching.storage.dummy_cache_storage import MemoryCacheStorageManager
    from streamlit.runtime.dataframe_source_manager import DataframeSourceManager
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test

    shared = MagicMock(spec=Runtime)
    shared.media_file_mgr = MediaFileManager(MemoryMediaFileStorage("/mock/media"))
    shared.cache_storage_manager = MemoryCacheStorageManager()
    components = BidiComponentManager()
    components.discover_and_register_components(start_file_watching=False)
    shared.bidi_component_registry = components
    shared.dataframe_source_mgr = DataframeSourceManager()
    Runtime.instance = classmethod(lambda cls: shared)
    Runtime.exists = classmethod(lambda cls: True)
    # A server compiles each script once, under a lock (one ScriptCache); AppTest makes a new cache per run,
    # and compiling the same scripts in 20 threads at once trips CPython 3.11's AST recursion check.
    cache = ScriptCache()
    app_test.ScriptCache = lambda: cache


def child_concurrency(directory: Path) -> None:
    """SESSIONS sessions at once in this one process, each a thread running every page.

    Each session opens each page (a new session's first run) and reruns it twice; a first session has filled
    the caches, as on a running server.
    """
    _apptest_setup()
    _one_runtime()
    addresses = [address for _, address in director_pages()]
    for address in addresses:  # a first visitor has filled the caches
        timed_run(director_at(address))
    times: list[float] = []
    errors: list[str] = []  # a page raised
    harness: list[str] = []  # AppTest failed around the page (its session state, its timeout)
    lock = threading.Lock()
    barrier = threading.Barrier(SESSIONS)

    def session(n: int) -> None:
        barrier.wait()
        for address in addresses[n % len(addresses) :] + addresses[: n % len(addresses)]:
            try:
                at = director_at(address)
                got = [timed_run(at) for _ in range(3)]
            except PageError as err:
                with lock:
                    errors.append(f"{address}: {str(err)[:600]}")
                continue
            except Exception as err:  # noqa: BLE001 - AppTest itself is not made for threads: counted apart
                with lock:
                    harness.append(f"{address}: {type(err).__name__}: {str(err)[:300]}")
                continue
            with lock:
                times.extend(got)

    threads = [threading.Thread(target=session, args=(n,)) for n in range(SESSIONS)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    alone = []
    for address in addresses:
        at = director_at(address)
        timed_run(at)
        alone.append(median_of(lambda at=at: timed_run(at), warm_up=0))
    report(
        {
            "sessions": SESSIONS,
            "runs": len(times),
            "errors": errors,
            "harness": harness,
            "median": statistics.median(times) if times else None,
            "p95": sorted(times)[int(0.95 * (len(times) - 1))] if times else None,
            "alone": statistics.median(alone),
            "wall": wall,
        }
    )


# --------------------------------------------------------------------------------------------------
# The report


def secs(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 1000:,.0f} ms" if value < 10 else f"{value:,.1f} s"


def machine() -> str:
    import duckdb
    import streamlit

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / GIB
    cpu = "?"
    try:
        cpu = next(
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, Streamlit {streamlit.__version__}"
    )


def real_servers(sessions: int, rounds: int) -> list[str]:
    """The real-server section of results.md (benchmarks/bench_servers.py), stamped with the date and load average."""
    from bench_servers import measure, section

    when = f"{datetime.now():%Y-%m-%d %H:%M}"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) + f" ({os.cpu_count()} cores)"
    print(f"Measuring {sessions} browser sessions against real servers ...", flush=True)
    return section(measure(NATIONAL, sessions, rounds), sessions, rounds, when, load)


def servers_only(sessions: int, rounds: int) -> None:
    """Measure only the real-server figures and put their section into results.md, the rest untouched."""
    ensure_data()
    new = real_servers(sessions, rounds)
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.is_file() else "# Benchmark results\n"
    head, marker, tail = old.partition("\n## Real servers")
    rest = ""
    if marker:  # keep any section after the old real-server one
        after = tail.split("\n## ", 1)
        rest = "\n## " + after[1] if len(after) > 1 else ""
    text = head.rstrip("\n") + "\n\n" + "\n".join(new) + "\n" + rest
    RESULTS.write_text(text, encoding="utf-8")
    print("\n".join(new))


def main(sessions: int = 8, rounds: int = 2) -> None:
    began = time.perf_counter()
    ensure_data()
    rows: list[tuple[str, float | None, float | None, str, str]] = []  # figure, median, floor, target, met

    def row(figure: str, value, floor, target: str = "", met: bool | None = None, fmt=secs) -> None:
        ratio = f"{value / floor:,.1f}×" if value is not None and floor else "—"
        verdict = "" if met is None else ("met" if met else "**missed**")
        rows.append((figure, fmt(value), fmt(floor) if floor is not None else "—", ratio, target, verdict))

    sets = {"national": NATIONAL, "demo": DEMO}
    results = {}
    for name, directory in sets.items():
        print(f"Measuring {name} ({directory.relative_to(ROOT)}) ...", flush=True)
        results[name] = {
            "core": child("core", directory),
            "pages": child("pages", directory),
        }
    floor_mem = child("memfloor", NATIONAL)["peak_rss"]

    print("Measuring g2g flags ...", flush=True)
    cli = [sys.executable, "-m", "g2g_core", "flags", str(NATIONAL), "--format", "json"]
    floor_cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "fullread", str(NATIONAL)]
    run_measured(cli)  # warm-up (file cache)
    cli_runs = [run_measured(cli) for _ in range(RUNS)]
    run_measured(floor_cmd)
    floor_runs = [run_measured(floor_cmd) for _ in range(RUNS)]
    cli_time = statistics.median(r[0] for r in cli_runs)
    cli_floor = statistics.median(r[0] for r in floor_runs)
    cli_peak = max(r[1] for r in cli_runs)

    print(f"Measuring {SESSIONS} sessions at once ...", flush=True)
    conc = child("concurrency", NATIONAL)

    for name in sets:
        core, pages = results[name]["core"], results[name]["pages"]
        label = "national" if name == "national" else "demo borough"
        row(
            f"{label}: load + validation",
            core["load"],
            core["count_files"],
            "within 5× floor" if name == "national" else "",
            core["load"] <= 5 * core["count_files"] if name == "national" else None,
        )
        row(
            f"{label}: load + validation, beside a full read of every file",
            core["load"],
            core["full_read"],
            "within 5× floor" if name == "national" else "",
            core["load"] <= 5 * core["full_read"] if name == "national" else None,
        )
        row(f"{label}: all rules in process (compute_flags)", core["flags_in_process"], core["full_read"])
        for title, page in pages["pages"].items():
            if "error" in page:
                rows.append((f"{label}: page {title}", "error: " + page["error"], "—", "—", "", "**missed**"))
                continue
            if name == "national":
                row(
                    f"{label}: page {title}, cold",
                    page["cold"],
                    pages["floor_cold"],
                    "< 2 s",
                    page["cold"] < 2,
                )
            else:
                row(f"{label}: page {title}, cold", page["cold"], pages["floor_cold"])
            target = 0.3 if name == "national" else 0.1
            row(
                f"{label}: page {title}, warm",
                page["warm"],
                pages["floor_warm"],
                f"< {target * 1000:.0f} ms",
                page["warm"] < target,
            )
        row(f"{label}: What-if recompute (a slider move)", core["what_if"], None)
        row(f"{label}: governors' pack, PowerPoint", core["pack_pptx"], None)
        row(f"{label}: governors' pack, PDF", core["pack_pdf"], None)
        row(
            f"{label}: wrong password, unknown username (floor: known username)",
            core["signin_unknown"],
            core["signin_known"],
        )
    row(
        "national: `g2g flags --format json` (a process, wall)",
        cli_time,
        cli_floor,
        "< 5 s, within 10× floor",
        cli_time < 5 and cli_time <= 10 * cli_floor,
    )

    def mib(v):
        return "—" if v is None else f"{v / 1024**2:,.0f} MiB"

    app_peak = results["national"]["pages"]["peak_rss"]
    row(
        "national: peak memory of the app process (every page run)",
        app_peak,
        floor_mem,
        "< 2 GiB",
        app_peak < 2 * GIB,
        mib,
    )
    row("national: peak memory of `g2g flags`", cli_peak, floor_mem, "", None, mib)
    row(
        f"national: {SESSIONS} sessions at once, median page run",
        conc["median"],
        conc["alone"],
        "no page error",
        not conc["errors"],
    )
    row(f"national: {SESSIONS} sessions at once, 95th percentile page run", conc["p95"], conc["alone"])
    row(
        f"national: peak memory with {SESSIONS} sessions",
        conc["peak_rss"],
        floor_mem,
        "< 2 GiB",
        conc["peak_rss"] < 2 * GIB,
        mib,
    )

    mach = machine()
    lines = [
        "# Benchmark results",
        "",
        f"Run {datetime.now():%Y-%m-%d %H:%M} by `make bench` (`benchmarks/run.py`); median of {RUNS} after a warm-up.",
        f"Machine: {mach}.",
        "",
        "National set: 25,000 schools, 10 years (`g2g demo-data --schools 25000 --years 10`); demo borough: 70 "
        "schools, 5 years. Floors: *count(\\*)* is DuckDB's `SELECT count(*)` of every Parquet file (footers only); "
        "*full read* reads every column of every file into memory once; page floors are an empty page in the same "
        "AppTest harness (cold: a new session's first run; warm: a rerun); memory floor: a process holding the "
        "tables as read; the concurrency floor is the same pages' median rerun with one session.",
        "",
        "| figure | median | floor | ratio to floor | target | | machine |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    short = (
        f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / GIB:.0f} GiB"
    )
    lines += [f"| {f} | {m} | {fl} | {r} | {t} | {v} | {short} |" for f, m, fl, r, t, v in rows]
    lines += [
        "",
        f"Concurrency: {conc['sessions']} sessions as threads in one process, each opening every director page "
        f"(a new session, then two reruns): {conc['runs']} page runs in {conc['wall']:.1f} s, "
        f"{len(conc['errors'])} page error(s); {len(conc['harness'])} failure(s) of the AppTest harness itself "
        "(AppTest is not made for threads: it keeps per-run state in globals; these runs are left out).",
    ]
    if conc["errors"]:
        lines += ["", "Page errors under load:", ""] + [f"- {e}" for e in conc["errors"][:20]]
    if conc["harness"]:
        lines += ["", "Harness failures under load:", ""] + [f"- {e}" for e in conc["harness"][:20]]
    lines += ["", *real_servers(sessions, rounds)]
    lines += ["", f"The whole benchmark took {time.perf_counter() - began:.0f} s.", ""]
    text = "\n".join(lines)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)


CHILDREN = {
    "core": child_core,
    "pages": child_pages,
    "concurrency": child_concurrency,
    "memfloor": child_memory_floor,
    "fullread": lambda d: full_read(d),
}

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("directory", nargs="?", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--sessions", type=int, default=8, help="browser sessions at once (real servers)")
    parser.add_argument("--rounds", type=int, default=2, help="times each session opens each page")
    parser.add_argument(
        "--servers-only", action="store_true", help="measure only the real servers; update their section"
    )
    opts = parser.parse_args()
    if opts.child:
        import logging

        logging.disable(logging.WARNING)  # Streamlit's bare-mode warnings
        CHILDREN[opts.child](opts.directory.resolve())
    elif opts.servers_only:
        servers_only(max(1, min(opts.sessions, 32)), max(1, min(opts.rounds, 5)))
    else:
        main(max(1, min(opts.sessions, 32)), max(1, min(opts.rounds, 5)))
