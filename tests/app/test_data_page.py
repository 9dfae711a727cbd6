"""The Data page (issue 6) through AppTest: refresh from a file, see the change, roll it back, without a restart.

A director uploads a file, sees the change on the school page in the same running app, and rolls it back; a
bad file changes nothing; only directors see the page.

Each test runs on its own copy of the demo borough, with the demo accounts and empty Streamlit caches.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest
from support.pages import new_app, open_address, rendered_text, sign_in_as

from g2g_core.access import Viewer
from g2g_core.audit import audit_log
from g2g_core.store import POINTER_FILE, live_dir, load_store

# Every test works on its own copy of the demo borough (it saves scenarios or uploads data).
pytestmark = pytest.mark.usefixtures("data_dir")
APP = Path(__file__).resolve().parents[2] / "app.py"
URN = 900001
NEW_NAME = "Harbour Lane Primary School"
DIRECTOR = Viewer("director", "director", None)
OTHERS = {"adviser": "lama.brennan", "head": "head.nolbbrook", "governor": "chair.tarncombe"}


def signed_in(username: str, role: str) -> AppTest:
    """An AppTest of app.py signed in as that account, run once."""
    return sign_in_as(new_app(), username, role).run()


def open_page(at: AppTest, page: str, **params: str) -> AppTest:
    at.switch_page(page)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def school_title(at: AppTest) -> str:
    open_page(at, "app_pages/school.py", urn=str(URN))
    return at.title[0].value


def renamed_csv(data_dir: Path) -> bytes:
    frame = pl.read_parquet(live_dir(data_dir) / "schools.parquet")
    return (
        frame.with_columns(
            pl.when(pl.col("urn") == URN).then(pl.lit(NEW_NAME)).otherwise(pl.col("name")).alias("name")
        )
        .write_csv()
        .encode()
    )


def button(at: AppTest, label: str):
    [found] = [b for b in at.button if b.label == label]
    return found


def test_the_director_sees_every_table_with_its_rows_and_the_checks_across_tables(data_dir):
    at = open_page(signed_in("director", "director"), "app_pages/data.py")
    assert [t.value for t in at.title] == ["Data"]
    summary = at.dataframe[0].value
    expected = {
        "Schools": pl.read_parquet(data_dir / "schools.parquet").height,
        "Adviser hours": pl.read_parquet(data_dir / "hours.parquet").height,
        "Warning notices": pl.read_parquet(data_dir / "warnings.parquet").height,
        "Advisers": pl.read_parquet(data_dir / "advisers.parquet").height,  # issue 14
    }
    rows = dict(zip(summary["Table"], summary["Rows"], strict=True))
    assert len(rows) == 9
    assert {k: rows[k] for k in expected} == expected
    labels = [e.label for e in at.expander]
    # The demo accounts hold two of the six advisers: the other four are named, with their schools.
    assert "Advisers named in the data who have no adviser account: **4**" in labels
    assert any(label.startswith("Open schools in scope of nobody but directors") for label in labels)
    assert "the files in the data folder (no upload yet)" in rendered_text(at)


def test_a_director_uploads_a_file_sees_the_change_and_rolls_it_back_without_a_restart(data_dir):
    at = signed_in("director", "director")
    old_name = school_title(at)
    assert old_name != NEW_NAME

    open_page(at, "app_pages/data.py")
    at.file_uploader[0].set_value([("schools.csv", renamed_csv(data_dir), "text/csv")]).run()
    assert [s.value for s in at.selectbox if s.label == "Table that schools.csv replaces"] == ["schools"]
    button(at, "Check").click().run()
    assert not at.exception, at.exception
    # The check shows what would change and changes nothing: one school renamed, no level or flag changes.
    changes = next(d.value for d in at.dataframe if "Rows matched on" in d.value.columns)
    assert changes[["Table", "Added", "Removed", "Changed"]].values.tolist() == [["Schools", 0, 0, 1]]
    shown = [m.value for m in at.markdown]
    assert "**Schools whose level would change: 0**" in shown
    assert "**Flags that would appear: 0**" in shown and "**Flags that would clear: 0**" in shown
    assert not (data_dir / POINTER_FILE).exists()
    button(at, "Publish").click().run()
    assert not at.exception, at.exception
    version = (data_dir / POINTER_FILE).read_text().strip()
    assert [s.value for s in at.success] == [
        f"Version {version} is now in force: Schools from schools.csv. The previous version is kept in the history."
    ]
    assert school_title(at) == NEW_NAME  # the same running app, the new data

    open_page(at, "app_pages/data.py")
    [roll_back] = [b for b in at.button if b.label == "Roll back to this version"]
    roll_back.click().run()
    assert not at.exception, at.exception
    assert at.success[0].value.startswith("Rolled back: version ")
    assert school_title(at) == old_name
    actions = audit_log(data_dir).read(DIRECTOR)["action"].to_list()
    assert actions[:2] == ["rollback", "upload"]


def test_a_bad_file_is_refused_with_every_problem_and_nothing_changes(data_dir):
    at = signed_in("director", "director")
    open_page(at, "app_pages/data.py")
    bad = pl.read_parquet(data_dir / "schools.parquet").with_columns(
        pl.when(pl.col("urn").is_in([URN, URN + 1]))
        .then(pl.lit("boarding"))
        .otherwise(pl.col("phase"))
        .alias("phase")
    )
    at.file_uploader[0].set_value([("schools.csv", bad.write_csv().encode(), "text/csv")]).run()
    button(at, "Check").click().run()
    assert not at.exception, at.exception
    assert at.error[0].value.startswith("The upload was refused and nothing was changed: 2 problem(s).")
    problems = next(d.value for d in at.dataframe if "Rule" in d.value.columns)
    assert problems[["File", "Row", "Column", "Value"]].values.tolist() == [
        ["schools.csv", 1, "phase", "boarding"],
        ["schools.csv", 2, "phase", "boarding"],
    ]
    assert not (data_dir / POINTER_FILE).exists()
    assert school_title(at) != NEW_NAME


def test_an_upload_while_another_is_in_progress_is_told_in_a_sentence_and_can_be_pressed_again(data_dir):
    """Publish while another upload holds the lock: a sentence says why, with no file to correct; then it wins."""
    from g2g_core import datadir

    at = signed_in("director", "director")
    open_page(at, "app_pages/data.py")
    at.file_uploader[0].set_value([("schools.csv", renamed_csv(data_dir), "text/csv")]).run()
    button(at, "Check").click().run()
    with datadir.locked(data_dir.resolve()):  # another director's upload, in progress
        button(at, "Publish").click().run()
    assert not at.exception, at.exception
    assert [w.value for w in at.warning] == [
        "The upload did not go ahead, and nothing was changed: another upload or roll back is in progress; "
        "try again when it has finished."
    ]
    assert not at.error and not [d for d in at.dataframe if "Rule" in d.value.columns]
    assert not (data_dir / POINTER_FILE).exists()
    button(at, "Publish").click().run()  # the checked file is kept: pressing again once it has finished wins
    assert at.success[0].value.endswith("The previous version is kept in the history.")
    assert school_title(at) == NEW_NAME


@pytest.mark.parametrize("role", sorted(OTHERS))
def test_nobody_but_a_director_reaches_the_data_page(role, data_dir):
    """Attack: an adviser, head or governor opens /data, or the page script runs alone (folder navigation)."""
    at = signed_in(OTHERS[role], role)
    with pytest.raises(ValueError):  # not among the role's pages
        at.switch_page("app_pages/data.py")
    open_address(at, "data")
    assert not at.exception, at.exception
    assert "Tables in force" not in rendered_text(at)
    assert not at.file_uploader

    alone = AppTest.from_file(str(APP.parent / "app_pages" / "data.py"), default_timeout=60)
    alone.session_state["authentication_status"] = True
    alone.session_state["viewer"] = Viewer(OTHERS[role], role, frozenset({900005}))
    alone.run()
    assert not alone.exception, alone.exception
    text = rendered_text(alone)
    assert "Only the Assistant Director's team can see and change the data." in text
    assert "Tables in force" not in text and "Audit log" not in text
    assert not alone.file_uploader and not alone.dataframe


def test_opening_a_school_is_recorded_once_in_the_audit_log_and_the_director_reads_it(data_dir):
    head = signed_in("head.nolbbrook", "head")
    assert not head.exception, head.exception
    head.run()  # a rerun of the same school does not record it again
    events = audit_log(data_dir).read(DIRECTOR, action="view_school")
    assert events.select("actor", "role", "urn").rows() == [("head.nolbbrook", "head", 900005)]

    at = open_page(signed_in("director", "director"), "app_pages/data.py")
    log = next(d.value for d in at.dataframe if "Who" in d.value.columns)
    row = ["Demo headteacher, Nolbbrook School", "head.nolbbrook", "Opened a school", 900005]
    assert row in log[["Who", "Login", "What", "URN"]].values.tolist()  # by name (issue 14), login beside it


IMPORTS = Path(__file__).resolve().parents[1] / "data" / "imports"


def uploader(at: AppTest, label: str):
    [found] = [u for u in at.file_uploader if u.label == label]
    return found


def test_a_director_imports_gias_and_ofsted_files_on_the_page(data_dir):
    """The national imports on the Data page: the fictional Wexmoor extract (LA 990) and the Ofsted MI."""
    at = open_page(signed_in("director", "director"), "app_pages/data.py")
    gias = (IMPORTS / "gias-wexmoor.csv").read_bytes()
    uploader(at, "GIAS establishment extract (CSV)").set_value(
        [("edubasealldata20260201.csv", gias, "text/csv")]
    )
    [la] = [n for n in at.number_input if n.label == "Local authority code"]
    la.set_value(990).run()
    button(at, "Import schools").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value.startswith("The GIAS import is in force as version ")
    assert "in LA 990" in at.success[0].value
    store = load_store(data_dir)  # 900101 is a nursery school new to the borough
    assert store.sql("SELECT phase FROM schools WHERE urn = 900101").item() == "nursery"
    assert store.sql("SELECT adviser FROM schools WHERE urn = 900001").item() is not None  # adviser kept

    mi = (IMPORTS / "ofsted-mi-most-recent.csv").read_bytes()
    uploader(at, "Ofsted most recent inspections (CSV or Excel)").set_value(
        [("mi.csv", mi, "text/csv")]
    ).run()
    button(at, "Import inspections").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value.startswith("The Ofsted import is in force as version ")
    store = load_store(data_dir)
    assert (
        store.sql(
            "SELECT category_of_concern FROM ofsted_inspections WHERE urn = 900001 AND framework = 'renewed_2025' "
            "ORDER BY inspection_date DESC LIMIT 1"
        ).item()
        == "requires_significant_improvement"
    )


def test_a_gias_file_in_another_encoding_is_refused_on_the_page_and_nothing_changes(data_dir):
    at = open_page(signed_in("director", "director"), "app_pages/data.py")
    utf16 = (IMPORTS / "gias-wexmoor.csv").read_bytes().decode("cp1252").encode("utf-16")
    uploader(at, "GIAS establishment extract (CSV)").set_value([("extract.csv", utf16, "text/csv")])
    [la] = [n for n in at.number_input if n.label == "Local authority code"]
    la.set_value(990).run()
    button(at, "Import schools").click().run()
    assert not at.exception, at.exception
    assert at.error[0].value.startswith("The GIAS import was refused and nothing was changed: 1 problem(s).")
    assert not (data_dir / POINTER_FILE).exists()


def test_hostile_files_through_the_page_are_refused_and_nothing_is_written(data_dir):
    """Attack: through the uploader, a CSV posing as Parquet under a `../` name, and an empty file.

    Expected: every one refused with a message naming it, no traceback, no version, nothing outside staging.
    """
    at = open_page(signed_in("director", "director"), "app_pages/data.py")
    before = sorted(p.name for p in data_dir.rglob("*"))
    uploader(at, "Export files").set_value(
        [
            ("../../schools.parquet", b"urn,name\n1,x\n", "application/octet-stream"),
            ("hours.csv", b"", "text/csv"),
        ]
    ).run()
    button(at, "Check").click().run()
    assert not at.exception, at.exception
    assert at.error[0].value.startswith("The upload was refused and nothing was changed: 2 problem(s).")
    problems = next(d.value for d in at.dataframe if "Rule" in d.value.columns)
    assert problems["File"].tolist() == ["schools.parquet", "hours.csv"]
    assert problems["Rule"].tolist() == [
        "is not really a .parquet file (its contents are of another type)",
        "is empty",
    ]
    after = sorted(p.name for p in data_dir.rglob("*") if "audit" not in p.parts)
    assert after == [n for n in before if n != "audit"]
    assert not (data_dir / POINTER_FILE).exists()
