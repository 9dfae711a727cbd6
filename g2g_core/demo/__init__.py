"""The Wexmoor demo borough: a deterministic, fictional data set that exercises every attention rule.

`write_demo(out)` writes one Parquet file per table of the data contract (SPEC §2) and `dataset.json`,
whose `as_of` the store uses as the default date. Everything is invented: the borough, the schools
(URNs from 900001, a range no English school uses, and names built from made-up syllables), the people
and the advisers. Only `random.Random(seed)` is used, so one seed always gives byte-identical files.

Each block of 70 schools holds the same pattern: 21 *scenario* schools, each laid out so that one rule of
SPEC §4 fires for it at the recorded as_of (or, for the edge cases, so that nothing fires), and 49
*background* schools whose histories (moves between levels, Ofsted outcomes, adviser hours, plan reviews,
risk assessments, warning notices) are random but consistent with the policy, so that they raise no flag.
`SCENARIOS` lists the scenario schools and the rule each one shows. The scenarios are dated relative to
the academic year of as_of and assume as_of falls in a summer term (as 18 May 2026 does), with the shipped
term boundaries (autumn 1 Sep, spring 1 Jan, summer 1 Apr).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq

from g2g_core.demo.generator import Generator
from g2g_core.demo.model import BLOCK, DATASET_NAME, DEFAULT_AS_OF, FIRST_URN, NAMED_ADVISERS
from g2g_core.demo.scenarios import SCENARIOS
from g2g_core.schema import TABLES

__all__ = ["BLOCK", "DATASET_NAME", "DEFAULT_AS_OF", "FIRST_URN", "NAMED_ADVISERS", "SCENARIOS", "write_demo"]


def write_demo(
    out: Path,
    schools: int = 70,
    years: int = 5,
    seed: int = 2026,
    as_of: date = DEFAULT_AS_OF,
) -> str:
    """Write the demo borough (or, with many schools, a national-scale set) into `out`; return a summary."""
    if schools < 1:
        raise ValueError("schools must be at least 1")
    if not 1 <= years <= 30:
        raise ValueError("years must be between 1 and 30")
    out = Path(out)
    gen = Generator(seed, years, as_of)
    for start in range(0, schools, BLOCK):
        gen.block(start, min(BLOCK, schools - start))
    out.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        for suffix in (".csv", ".xlsx"):
            (out / f"{table.name}{suffix}").unlink(missing_ok=True)
    counts = {}
    for name, cols in gen.tables().items():
        pq.write_table(cols.arrow(), out / f"{name}.parquet", compression="zstd")
        counts[name] = len(cols)
    meta = {
        "name": DATASET_NAME,
        "as_of": as_of.isoformat(),
        "generator": "g2g demo-data",
        "seed": seed,
        "schools": schools,
        "years": years,
    }
    (out / "dataset.json").write_text(json.dumps(meta, sort_keys=True, indent=2) + "\n", encoding="utf-8")
    return (
        f"wrote {counts['schools']:,} schools, {counts['categorisations']:,} categorisations, "
        f"{counts['hours']:,} hours records, {counts['plan_reviews']:,} plan reviews, "
        f"{counts['ofsted_inspections']:,} inspections ({counts['ofsted_areas']:,} report card areas), "
        f"{counts['risk_assessments']:,} risk ratings and {counts['warnings']:,} warning notices "
        f"to {out} (as at {as_of.isoformat()})"
    )
