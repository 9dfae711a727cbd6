"""Publishing a round of decisions and recording letters sent: each a new validated, audited data version."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import polars as pl

from g2g_core.access import Viewer
from g2g_core.audit import AuditEvent, audit_log
from g2g_core.datadir import Upload, Version, publish, require_director
from g2g_core.decisions import (
    JUDGEMENT_KEYS,
    Decision,
    DecisionError,
    Draft,
    Proposal,
    StaleDraftError,
    _day,
    check_decisions,
    load_draft,
    save_draft,
    to_publish,
)


# -- publishing ----------------------------------------------------------------------------------------
def _live_categorisations(store) -> pl.DataFrame:
    """The live categorisations as stored (extra columns kept), or the typed table if not a Parquet file."""
    info = store.tables.get("categorisations")
    path = getattr(info, "path", None)
    if path is not None and Path(path).suffix == ".parquet":
        return pl.read_parquet(path)
    return store.sql("SELECT * FROM categorisations ORDER BY urn, effective_from")


def _rows(decisions: list[Decision]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "urn": d.urn,
                "effective_from": d.effective_from,
                "level": d.level,
                "team_around_school": d.team_around_school,
                "decided_on": d.decided_on,
                "decided_by": d.decided_by,
                "reason": d.reason,
                **{k: getattr(d, k) for k in JUDGEMENT_KEYS},
                "letter_sent_on": None,
                "target_exit_on": d.target_exit_on,
            }
            for d in decisions
        ],
        schema={
            "urn": pl.Int64,
            "effective_from": pl.Date,
            "level": pl.String,
            "team_around_school": pl.Boolean,
            "decided_on": pl.Date,
            "decided_by": pl.String,
            "reason": pl.String,
            **{k: pl.Int8 for k in JUDGEMENT_KEYS},
            "letter_sent_on": pl.Date,
            "target_exit_on": pl.Date,
        },
    )


def _append(existing: pl.DataFrame, new: pl.DataFrame) -> pl.DataFrame:
    casts = [pl.col(c).cast(existing.schema[c]) for c in new.columns if c in existing.columns]
    new = new.with_columns(casts)
    return pl.concat([existing, new], how="diagonal_relaxed")


def _upload(frame: pl.DataFrame, source: str) -> Upload:
    buf = io.BytesIO()
    frame.write_parquet(buf)
    return Upload("categorisations", "categorisations.parquet", buf.getvalue(), source=source)


def publish_round(
    data_dir: str | Path, store, draft: Draft, viewer: Viewer, props: dict[int, Proposal] | None = None
) -> Version:
    """Append a round's decisions to `categorisations` as one new, validated, audited version.

    DecisionError (naming school and field) when any decision is wrong; datadir.UploadError when the new
    version would not validate; nothing is published in either case.
    """
    require_director(viewer)
    decisions = to_publish(draft, props)
    if not decisions:
        raise DecisionError([f"The round for {draft.round.term} has no decision to publish."])
    names = dict(store.sql("SELECT urn, name FROM schools").iter_rows())
    problems = [
        f"{names.get(d.urn, 'School')} (URN {d.urn}), field 'effective from': {_day(d.effective_from)} differs "
        f"from the round's effective date {_day(draft.round.effective_from)}."
        for d in decisions
        if d.effective_from != draft.round.effective_from
    ]
    problems += check_decisions(store, decisions)
    if problems:
        audit_log(data_dir).record(
            AuditEvent(
                viewer.username,
                viewer.role,
                "decisions_refused",
                None,
                f"round {draft.round.id}: {problems[0]}",
            )
        )
        raise DecisionError(problems)
    frame = _append(_live_categorisations(store), _rows(decisions))
    urns = ", ".join(str(d.urn) for d in decisions)
    version = publish(
        data_dir,
        [_upload(frame, f"decisions round {draft.round.term} (effective {draft.round.id})")],
        viewer,
        action="decisions",
        note=f"{len(decisions)} decision(s) of the {draft.round.term} round, effective {draft.round.id}: {urns}",
        policy=store.policy,
    )
    # The published decisions leave the draft's pending ones: the round can go on (more schools, a second
    # publication) without offering them again.
    saved = load_draft(data_dir, draft.round.id, viewer)
    base = saved if saved is not None else draft
    live = {d.urn: d for d in decisions}
    update = {
        "published_version": version.id,
        "published": {**base.published, **live},
        "decisions": {u: d for u, d in base.decisions.items() if u not in live},
    }
    try:
        save_draft(data_dir, base.model_copy(update=update), viewer)
    except (
        StaleDraftError
    ):  # saved meanwhile by someone else: the data version is the record of what went live
        pass
    return version


def published_rows(store, viewer: Viewer, effective_from: date) -> pl.DataFrame:
    """The categorisations that take effect on a round's date, in the viewer's scope, with the school's name."""
    return store.sql(
        "SELECT c.*, s.name FROM categorisations c JOIN schools s USING (urn) "
        "WHERE c.effective_from = $eff AND ($scope_all OR c.urn IN (SELECT unnest($scope_urns::BIGINT[]))) "
        "ORDER BY s.name, c.urn",
        {"eff": effective_from, **viewer.params()},
    )


def mark_letters_sent(
    data_dir: str | Path, store, viewer: Viewer, chosen: list[tuple[int, date]], sent_on: date
) -> Version:
    """Record `letter_sent_on` for chosen decisions (urn, effective_from) as one new, audited version."""
    require_director(viewer)
    if not chosen:
        raise DecisionError(["No decision was chosen: choose the letters that were sent."])
    frame = _live_categorisations(store)
    keys = pl.DataFrame(
        {"urn": [u for u, _ in chosen], "effective_from": [e for _, e in chosen]},
        schema={"urn": frame.schema["urn"], "effective_from": frame.schema["effective_from"]},
    )
    found = keys.join(frame.select("urn", "effective_from"), on=["urn", "effective_from"], how="semi")
    missing = keys.join(found, on=["urn", "effective_from"], how="anti")
    names = dict(store.sql("SELECT urn, name FROM schools").iter_rows())
    problems = [
        f"{names.get(r['urn'], 'School')} (URN {r['urn']}), field 'effective from': no decision takes effect on "
        f"{_day(r['effective_from'])}."
        for r in missing.iter_rows(named=True)
    ]
    early = [(u, e) for u, e in chosen if sent_on < _decided_on(frame, u, e)]
    problems += [
        f"{names.get(u, 'School')} (URN {u}), field 'letter sent on': {_day(sent_on)} is before the decision."
        for u, _ in early
    ]
    if problems:
        raise DecisionError(problems)
    hit = pl.struct("urn", "effective_from").is_in(keys.to_struct().implode())
    frame = frame.with_columns(
        letter_sent_on=pl.when(hit).then(pl.lit(sent_on)).otherwise(pl.col("letter_sent_on")).cast(pl.Date)
    )
    listed = ", ".join(f"{u} ({e.isoformat()})" for u, e in chosen)
    return publish(
        data_dir,
        [_upload(frame, "letters sent")],
        viewer,
        action="letters_sent",
        note=f"letters sent on {sent_on.isoformat()}: {listed}",
        policy=store.policy,
    )


def _decided_on(frame: pl.DataFrame, urn: int, eff: date) -> date:
    row = frame.filter((pl.col("urn") == urn) & (pl.col("effective_from") == eff))
    return row["decided_on"][0] if row.height else date.min
