"""Fuzzing the validator: Hypothesis writes tables of random values and types for each export.

Whatever arrives, `validate_dir` answers with a list of problems (or accepts), and `load_store` raises
nothing but `DataError`; every problem names the file it is about.
"""

from __future__ import annotations

import math
import shutil
import tempfile
from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from g2g_core.schema import TABLES
from g2g_core.store import DataError, load_store, validate_dir
from g2g_core.validate import Problem

TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
    max_size=30,
)
VALUES = {
    "int": st.integers(min_value=-(2**63), max_value=2**63 - 1),
    "float": st.floats(allow_nan=True, allow_infinity=True),
    "str": st.one_of(TEXT, st.sampled_from(["primary", "core", "900001", "2025-09-01", "true", "", " "])),
    "bool": st.booleans(),
    "date": st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    "datetime": st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)),
}
DTYPES = {
    "int": pl.Int64,
    "float": pl.Float64,
    "str": pl.String,
    "bool": pl.Boolean,
    "date": pl.Date,
    "datetime": pl.Datetime("us"),
}


@st.composite
def random_table(draw, table):
    """A frame for one table: its columns (some missing, some extra), each of a random type, random rows."""
    names = [c.name for c in table.columns]
    kept = draw(st.lists(st.sampled_from(names), unique=True, min_size=0, max_size=len(names)))
    extra = draw(st.lists(st.sampled_from(["extra", "URN", "urn "]), unique=True, max_size=2))
    columns = [n for n in names if n in kept or draw(st.booleans())] + [e for e in extra if e not in names]
    rows = draw(st.integers(min_value=0, max_value=6))
    data = {}
    schema = {}
    for name in columns:
        kind = draw(st.sampled_from(sorted(VALUES)))
        data[name] = draw(st.lists(st.one_of(st.none(), VALUES[kind]), min_size=rows, max_size=rows))
        schema[name] = DTYPES[kind]
    return pl.DataFrame(data, schema=schema)


def _write(frame: pl.DataFrame, path: Path, fmt: str) -> Path:
    target = path.with_suffix("." + fmt)
    if fmt == "parquet":
        frame.write_parquet(target)
    else:
        frame.write_csv(target)
    return target


@pytest.fixture(scope="module")
def base(demo_source) -> Path:
    return demo_source


def fuzz_one(base: Path, table: str, frame: pl.DataFrame, fmt: str) -> None:
    work = Path(tempfile.mkdtemp(prefix="g2g-fuzz-"))
    try:
        for p in base.iterdir():
            if p.suffix == ".parquet" and p.stem != table:
                shutil.copy(p, work / p.name)
        written = _write(frame, work / table, fmt)
        problems = validate_dir(work)
        assert isinstance(problems, list)
        for p in problems:
            assert isinstance(p, Problem)
            assert p.file and str(p)
            assert p.row is None or p.row >= 1
        if any(p.file == written.name for p in problems):
            assert all(p.rule for p in problems)
        try:
            load_store(work).con.close()
        except DataError as err:
            assert err.problems
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.mark.parametrize("table", [t for t in TABLES], ids=[t.name for t in TABLES])
def test_the_validator_answers_every_random_table_with_messages_never_an_exception(base, table):
    """Attack: random columns (missing, extra, any type) and random values (nulls, NaN, infinities, huge integers, far dates, odd Unicode) for each export, as Parquet and as CSV.

    Expected: a list of problems naming the file (or acceptance), and only DataError from load_store.
    """

    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(frame=random_table(table), fmt=st.sampled_from(["parquet", "csv"]))
    def run(frame: pl.DataFrame, fmt: str) -> None:
        fuzz_one(base, table.name, frame, fmt)

    run()


def test_nan_and_infinity_are_problems_not_numbers(base):
    """Attack: NaN and infinity as hours. Expected: each is a problem on its row of hours.parquet."""
    frame = (
        pl.read_parquet(base / "hours.parquet").head(2).with_columns(pl.Series("hours", [math.nan, math.inf]))
    )
    work = Path(tempfile.mkdtemp(prefix="g2g-nan-"))
    try:
        for p in base.glob("*.parquet"):
            shutil.copy(p, work / p.name)
        frame.write_parquet(work / "hours.parquet")
        problems = [p for p in validate_dir(work) if p.file == "hours.parquet" and p.column == "hours"]
        assert {p.row for p in problems} == {1, 2}
    finally:
        shutil.rmtree(work, ignore_errors=True)
