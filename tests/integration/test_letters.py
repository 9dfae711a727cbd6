"""Confirmation letters (issue 16, App.3 1.2): PDF (read back with pypdf) and Word (python-docx).

A round is published on a copy of the demo borough; the letters of the escalated schools must carry the
school's name, the new level, the entitlement figures of the policy in force (the 2023 and the 2019 files,
and a changed copy), the target exit date for intensive support and the adviser by name.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from g2g_core import datadir
from g2g_core import decisions as D
from g2g_core.access import Viewer
from g2g_core.cli import main
from g2g_core.demo import write_demo
from g2g_core.letters import latest_decision, letter_bytes, round_zip
from g2g_core.letters.letterhead import LetterheadError, load_letterhead
from g2g_core.letters.names import read_accounts
from g2g_core.policy import SHIPPED_DIR, load_policy
from g2g_core.store import load_store

DIRECTOR = Viewer("director", "director", None)
EFFECTIVE = date(2026, 9, 1)
RI = 900017  # Briscton Primary School, maintained primary: Core -> Enhanced (Ofsted graded 3)
CONCERN = 900023  # Dunmerwell Fields Academy: Enhanced -> Intensive B (category of concern)
ACCOUNTS = {"sip.ellison": {"name": "Sam Ellison"}}


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The demo borough with a round published: Briscton to Enhanced and Dunmerwell to Intensive B."""
    root = tmp_path_factory.mktemp("letters") / "data"
    write_demo(root)
    store = load_store(root)
    rnd = D.round_for(store.policy, EFFECTIVE, date(2026, 5, 18))
    props = {p.urn: p for p in D.proposals(store, DIRECTOR, rnd)}
    draft = D.Draft(round=rnd)
    for urn in (RI, CONCERN):
        draft = D.record(draft, D.decision_from(props[urn], rnd, store.policy, DIRECTOR, date(2026, 7, 15)))
    D.publish_round(root, store, draft, DIRECTOR, props)
    return root


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages).split())


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    parts.extend(p.text for p in document.sections[0].footer.paragraphs)
    return " ".join(" ".join(parts).split())


def entitlement_sentences(policy, level: str) -> list[str]:
    """The figures a letter must state, worked out from the policy file itself."""
    sup = policy.level(level)
    bound = {"maximum": "Up to ", "minimum": "At least ", "none": ""}[sup.additional_hours_bound]
    return [f"{bound}{sup.additional_hours:g} extra hours of LaMA support a {sup.additional_hours_per}"]


def both_formats(store, urn: int, accounts=ACCOUNTS) -> dict[str, str]:
    return {
        fmt: reader(
            letter_bytes(store, DIRECTOR, urn, EFFECTIVE, fmt, accounts=accounts, dated=date(2026, 7, 16))
        )
        for fmt, reader in (("pdf", pdf_text), ("docx", docx_text))
    }


@pytest.mark.parametrize("policy_name", ["2023", "2019"])
def test_the_escalated_schools_letters_say_what_was_decided_with_the_policy_in_force(
    published: Path, policy_name: str
) -> None:
    policy = load_policy(policy_name)
    store = load_store(published, policy)
    head, chair = store.sql(
        "SELECT headteacher, chair_of_governors FROM schools WHERE urn = $u", {"u": CONCERN}
    ).row(0)
    for fmt, text in both_formats(store, CONCERN).items():
        assert "Dunmerwell Fields Academy" in text, fmt
        assert "Intensive B support from 1 September 2026" in text, fmt
        assert "from Enhanced support up to Intensive B support" in text, fmt
        assert "The target date for the school to leave intensive support is 31 December 2027." in text, fmt
        for sentence in entitlement_sentences(policy, "intensive_b"):
            assert sentence in text, (fmt, sentence)
        assert "A one-day LA review each term." in text, fmt
        assert f"within {policy.intensive_exit_terms} terms" in text, fmt
        assert "Dr Alex Morgan" in text and "London Borough of Wexmoor" in text, fmt
        assert policy.name in text, fmt
        assert f"Headteacher, {head}" in text and f"Chair of Governors, {chair}" in text, fmt
    (ELLISON,) = store.sql("SELECT name FROM advisers WHERE username = 'sip.ellison'")["name"]
    for fmt, text in both_formats(store, RI).items():
        assert "Briscton Primary School" in text and "Enhanced support from 1 September 2026" in text, fmt
        for sentence in entitlement_sentences(policy, "enhanced"):
            assert sentence in text, (fmt, sentence)
        assert f"Your school's attached adviser is {ELLISON}, School Improvement Partner." in text, fmt
        assert "target date" not in text, fmt  # not intensive


def test_the_two_policy_files_give_different_figures_and_a_changed_file_its_own(
    published: Path, tmp_path
) -> None:
    texts = {
        name: both_formats(load_store(published, load_policy(name)), RI)["pdf"] for name in ("2023", "2019")
    }
    assert "Up to 14 extra hours of LaMA support a term" in texts["2023"]
    assert "Up to 7 extra hours of LaMA support a term" in texts["2019"]
    assert "Up to 14 extra hours" not in texts["2019"]
    changed = tmp_path / "policy.toml"
    source = (SHIPPED_DIR / "2023.toml").read_text(encoding="utf-8")
    marker = "[levels.intensive_b]"
    head, tail = source.split(marker)
    changed.write_text(head + marker + tail.replace("additional_hours = 14", "additional_hours = 21", 1))
    text = both_formats(load_store(published, load_policy(changed)), CONCERN)["docx"]
    assert "At least 21 extra hours of LaMA support a term" in text


def test_the_adviser_is_named_from_advisers_else_the_accounts_file_else_by_username(
    published: Path, tmp_path
) -> None:
    store = load_store(published)
    (named,) = store.sql("SELECT name FROM advisers WHERE username = 'sip.ellison'")["name"]
    assert (
        named
        and f"attached adviser is {named}, School Improvement Partner."
        in both_formats(store, RI, accounts=ACCOUNTS)["pdf"]
    )
    live = published / "history" / datadir.current_version(published)
    without = Path(
        shutil.copytree(live, tmp_path / "no-advisers", ignore=shutil.ignore_patterns("manifest.json"))
    )
    (without / "advisers.parquet").unlink()  # the table is optional (SPEC §2)
    store = load_store(without)
    assert "attached adviser is Sam Ellison." in both_formats(store, RI, accounts=ACCOUNTS)["pdf"]
    assert "attached adviser is sip.ellison." in both_formats(store, RI, accounts={})["pdf"]
    demo = read_accounts(Path(__file__).resolve().parents[2] / ".streamlit" / "accounts.demo.yaml")
    assert demo["lama.ashworth"]["name"]


def test_a_round_zip_holds_both_formats_for_every_school_and_a_head_gets_only_their_own(
    published: Path,
) -> None:
    store = load_store(published)
    data = round_zip(store, DIRECTOR, EFFECTIVE, accounts=ACCOUNTS)
    names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    urns = D.published_rows(store, DIRECTOR, EFFECTIVE)["urn"].to_list()
    assert {RI, CONCERN} <= set(urns)
    assert names == {f"letter-{u}-2026-09-01.{f}" for u in urns for f in ("pdf", "docx")}
    head = Viewer("head.dunmerwell", "head", frozenset({CONCERN}))
    assert pdf_text(letter_bytes(store, head, CONCERN, EFFECTIVE, "pdf")).count("Dunmerwell") >= 1
    with pytest.raises(LookupError):
        letter_bytes(store, head, RI, EFFECTIVE, "pdf")
    only = zipfile.ZipFile(io.BytesIO(round_zip(store, head, EFFECTIVE))).namelist()
    assert sorted(only) == [f"letter-{CONCERN}-2026-09-01.docx", f"letter-{CONCERN}-2026-09-01.pdf"]
    decision = latest_decision(store, head, CONCERN, date(2026, 5, 18))
    assert decision["level"] == "intensive_b" and decision["effective_from"] == EFFECTIVE
    assert latest_decision(store, head, RI, date(2026, 5, 18)) is None


def test_g2g_letters_writes_the_rounds_letters(published: Path, tmp_path, capsys) -> None:
    out = tmp_path / "letters"
    assert main(["letters", "--round", "2026-09-01", "--data", str(published), "--out", str(out)]) == 0
    written = sorted(p.name for p in out.iterdir())
    assert f"letter-{RI}-2026-09-01.pdf" in written and f"letter-{CONCERN}-2026-09-01.docx" in written
    assert "Briscton Primary School" in pdf_text((out / f"letter-{RI}-2026-09-01.pdf").read_bytes())
    assert main(["letters", "--round", "2026-09-02", "--data", str(published), "--out", str(out)]) == 1
    assert "no published decision takes effect on 2026-09-02" in capsys.readouterr().err
    assert main(["letters", "--round", "autumn", "--data", str(published), "--out", str(out)]) == 1


def test_a_bad_letterhead_is_refused_naming_the_key(tmp_path) -> None:
    bad = tmp_path / "letterhead.toml"
    text = load_letterhead().model_dump()
    bad.write_text(
        'authority = "X"\ndepartment = "Y"\naddress = ["Z"]\ncontact = "c"\nsignatory = "s"\n', "utf-8"
    )
    with pytest.raises(LetterheadError, match=re.escape("key signatory_title")):
        load_letterhead(bad)
    bad.write_text(bad.read_text() + 'signatory_title = "t"\nlogo = "missing.png"\n', "utf-8")
    with pytest.raises(LetterheadError, match="key logo"):
        load_letterhead(bad)
    assert text["authority"] == "London Borough of Wexmoor"
