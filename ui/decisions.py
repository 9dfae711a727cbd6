"""Sections of the Decisions page (director only).

The round, its proposals, one school's decision, publishing, and the letters. Every change goes through
`g2g_core.decisions`; this module only lays it out.

The draft being edited is kept in the session with the version it was loaded at; a save refused because
another director saved meanwhile says so and offers to reload.
"""

from __future__ import annotations

from datetime import date
from functools import partial

import polars as pl
import streamlit as st

from g2g_core import decisions as D
from g2g_core.access import Viewer
from g2g_core.datadir import UploadError
from g2g_core.letters import (
    FORMATS,
    letter_bytes,
    letter_filename,
    load_letterhead,
    round_zip,
    round_zip_name,
)
from g2g_core.policy import INTENSIVE, LEVEL_NAMES, LEVELS
from g2g_core.store import Store
from g2g_core.terms import Calendar
from g2g_core.views import JUDGEMENT_SCALE, JUDGEMENTS
from ui import auth
from ui.audit import audited
from ui.downloads import download
from ui.problems import show_refused

DRAFT_KEY = "dec_draft"
ACTION_WORDS = {"accept": "Accepted", "change": "Changed", "reject": "Rejected"}


def day(d: date | None) -> str:
    """A date in words."""
    return f"{d.day} {d:%B %Y}" if d else "—"


def made(version) -> str:
    """When a data version was made, in words."""
    return f"{version.created_at:%-d %B %Y at %H:%M} UTC" if version.created_at else "just now"


def _accounts() -> dict:
    try:
        return auth.load_accounts().get("usernames", {})
    except Exception:  # noqa: BLE001 - a name falls back to the username; the letter is still written
        return {}


# -- the round -----------------------------------------------------------------------------------------
def choose_round(store: Store, viewer: Viewer, root) -> D.Round:
    """The term and effective date of the round, and the draft for it (loaded, or a new one)."""
    as_of = store.default_as_of()
    cal = Calendar(store.policy.terms)
    first = cal.index_of(as_of) + 1
    terms = [cal.term(i) for i in range(first - 1, first + 3)]
    labels = {t.index: t.label for t in terms}
    left, right = st.columns(2)
    picked = left.selectbox(
        "Term of the round", list(labels), index=1, format_func=labels.get, key="dec_term"
    )
    term = cal.term(picked)
    effective = right.date_input(
        "Decisions take effect from",
        value=term.first_day,
        min_value=term.first_day,
        max_value=term.last_day,
        format="DD/MM/YYYY",
        key=f"dec_effective_{picked}",
    )
    rnd = D.round_for(store.policy, effective, as_of)
    st.caption(
        f"Proposals read the data as at {day(as_of)}. Decisions take effect from {day(effective)} "
        f"({rnd.term}). Drafts are saved as you go and can be resumed by any director."
    )
    held = st.session_state.get(DRAFT_KEY)
    if not isinstance(held, D.Draft) or held.round.id != rnd.id:
        saved = D.load_draft(root, rnd.id, viewer)
        st.session_state[DRAFT_KEY] = saved or D.Draft(round=rnd)
    return rnd


def draft() -> D.Draft:
    """The draft in this session."""
    return st.session_state[DRAFT_KEY]


def save(root, new: D.Draft, viewer: Viewer) -> bool:
    """Save the session's draft with a change; False (and a message) when another director saved first."""
    try:
        st.session_state[DRAFT_KEY] = D.save_draft(root, new, viewer)
        return True
    except D.StaleDraftError as err:
        st.session_state["dec_stale"] = str(err)
        return False


def stale_notice(root, viewer: Viewer) -> None:
    """The message of a refused save, with a button to reload the draft as saved."""
    message = st.session_state.get("dec_stale")
    if not message:
        return
    st.error(message)
    if st.button("Reload the draft as saved", key="dec_reload"):
        st.session_state[DRAFT_KEY] = D.load_draft(root, draft().round.id, viewer) or D.Draft(
            round=draft().round
        )
        st.session_state.pop("dec_stale", None)
        st.rerun()


# -- proposals -----------------------------------------------------------------------------------------
def proposal_table(props: list[D.Proposal]) -> None:
    """Every open school with its level, the proposal, why, and the decision recorded so far."""
    decided, live = draft().decisions, draft().published
    rows = []
    for p in props:
        d = decided.get(p.urn)
        status = f"{ACTION_WORDS[d.action]}: {LEVEL_NAMES[d.level]}" if d is not None else "Not decided yet"
        if p.urn in live:
            status = f"Published: {LEVEL_NAMES[live[p.urn].level]}"
        rows.append(
            {
                "School": p.name,
                "Level now": LEVEL_NAMES.get(p.level or "", "Not categorised"),
                "Proposal": D.KIND_WORDS[p.kind],
                "Proposed level": LEVEL_NAMES.get(p.proposed_level or "", "—"),
                "Decision": status,
                "Why": p.summary,
                "Evidence": "; ".join(f"{e.title} (since {day(e.since)})" for e in p.evidence) or "No flag",
                "Policy": p.policy_ref,
            }
        )
    frame = pl.DataFrame(rows)
    order = {"escalate": 0, "consider_higher": 1, "step_down": 2, "no_change": 3}
    kinds = [order[p.kind] for p in props]
    frame = frame.with_columns(pl.Series("_k", kinds)).sort("_k", "School").drop("_k")
    changes = sum(1 for p in props if p.kind != "no_change")
    st.subheader("Proposals")
    st.write(
        f"{len(props)} open schools; the rules propose a different level for {changes} of them. Schools with a "
        "proposal come first."
    )
    st.dataframe(frame, hide_index=True, width="stretch", key="dec_proposals")


def accept_many(root, store: Store, viewer: Viewer, props: list[D.Proposal]) -> None:
    """Accept several proposals as they stand (level, reason from the flags, judgements kept)."""
    done = draft().decisions.keys() | draft().published.keys()
    open_ = [p for p in props if p.kind != "no_change" and p.urn not in done]
    names = {
        p.urn: f"{p.name}: {D.KIND_WORDS[p.kind].lower()}, {LEVEL_NAMES.get(p.proposed_level or '', '')}"
        for p in open_
    }
    st.subheader("Accept proposals as they stand")
    if not open_:
        st.write("Every proposal for a different level has a decision.")
        return
    with st.form("dec_accept_form"):
        chosen = st.multiselect(
            "Proposals to accept",
            list(names),
            format_func=names.get,
            placeholder="Choose schools",
            key="dec_accept_choice",
        )
        decided_on = st.date_input(
            "Decided on", value=min(date.today(), draft().round.effective_from), format="DD/MM/YYYY"
        )
        go = st.form_submit_button("Accept the chosen proposals", type="primary")
    if go and chosen:
        by_urn = {p.urn: p for p in props}
        new = draft()
        for urn in chosen:
            new = D.record(new, D.decision_from(by_urn[urn], new.round, store.policy, viewer, decided_on))
        if save(root, new, viewer):
            st.session_state["dec_message"] = f"{len(chosen)} proposal(s) accepted and the draft saved."
        st.rerun()


def edit_one(root, store: Store, viewer: Viewer, props: list[D.Proposal]) -> None:
    """One school's decision: accept, change or reject, with every field of a categorisation."""
    st.subheader("Decide one school")
    by_urn = {p.urn: p for p in props}
    labels = {p.urn: f"{p.name} ({p.urn})" for p in sorted(props, key=lambda x: x.name)}
    urn = st.selectbox(
        "School",
        list(labels),
        index=None,
        format_func=labels.get,
        placeholder="Choose a school",
        key="dec_school",
    )
    if urn is None:
        return
    p = by_urn[urn]
    rnd = draft().round
    current = draft().decisions.get(urn) or D.decision_from(p, rnd, store.policy, viewer)
    if urn in draft().published:
        st.info(
            f"A decision for {p.name} was published in this round ({LEVEL_NAMES[draft().published[urn].level]}); "
            "another one needs a later effective date."
        )
    st.write(f"**Now:** {LEVEL_NAMES.get(p.level or '', 'Not categorised')}. **Proposal:** {p.summary}")
    for e in p.evidence:
        st.caption(f"{e.title} ({e.policy_ref}), since {day(e.since)}: {e.message} Records: {e.evidence}")
    with st.form(f"dec_form_{urn}"):
        action = st.radio(
            "Decision",
            ["accept", "change", "reject"],
            index=["accept", "change", "reject"].index(current.action),
            format_func={
                "accept": "Accept the proposal",
                "change": "Change it",
                "reject": "Reject it (no new decision)",
            }.get,
            horizontal=True,
        )
        c1, c2, c3 = st.columns(3)
        level = c1.selectbox(
            "Level", list(LEVELS), index=LEVELS.index(current.level), format_func=LEVEL_NAMES.get
        )
        effective = c2.date_input("Effective from", value=current.effective_from, format="DD/MM/YYYY")
        decided_on = c3.date_input("Decided on", value=current.decided_on, format="DD/MM/YYYY")
        team = st.checkbox("Team around the school (Focused only)", value=current.team_around_school)
        reason = st.text_area("Reason (required when the level changes)", value=current.reason or "")
        cols = st.columns(4)
        marks = {}
        for col, (key, label) in zip(cols, JUDGEMENTS.items(), strict=True):
            options = [None, 1, 2, 3, 4]
            marks[key] = col.selectbox(
                label,
                options,
                index=options.index(getattr(current, key)),
                format_func=lambda v: JUDGEMENT_SCALE.get(v, "Not recorded"),
            )
        default_exit = current.target_exit_on or D.default_target_exit(store.policy, effective)
        target = st.date_input(
            f"Target exit date (intensive levels only; policy: within {store.policy.intensive_exit_terms} terms, 2.9.2)",
            value=default_exit,
            format="DD/MM/YYYY",
        )
        submitted = st.form_submit_button("Save this decision", type="primary")
    if submitted:
        decision = D.Decision(
            urn=urn,
            action=action,
            level=level,
            team_around_school=team,
            effective_from=effective,
            decided_on=decided_on,
            decided_by=viewer.username,
            reason=reason,
            target_exit_on=target if level in INTENSIVE else None,
            **marks,
        )
        if action == "accept" and level != (p.proposed_level or p.level):
            decision = decision.model_copy(update={"action": "change"})
        if save(root, D.record(draft(), decision), viewer):
            st.session_state["dec_message"] = f"Decision for {p.name} saved in the draft."
        st.rerun()


# -- publishing ----------------------------------------------------------------------------------------
def publish_section(root, store: Store, viewer: Viewer, props: list[D.Proposal]) -> None:
    """What will be published, every problem with it, and the button that publishes the round."""
    st.subheader("Publish the round")
    by_urn = {p.urn: p for p in props}
    chosen = D.to_publish(draft(), by_urn)
    if not chosen:
        st.write("No decision to publish yet: accept or change a proposal first.")
        return
    names = {p.urn: p.name for p in props}
    st.dataframe(
        pl.DataFrame(
            [
                {
                    "School": names.get(d.urn, str(d.urn)),
                    "From": LEVEL_NAMES.get(by_urn[d.urn].level or "", "—") if d.urn in by_urn else "—",
                    "To": LEVEL_NAMES[d.level],
                    "Effective from": day(d.effective_from),
                    "Decided on": day(d.decided_on),
                    "Target exit": day(d.target_exit_on) if d.target_exit_on else "",
                    "Reason": d.reason or "",
                }
                for d in chosen
            ]
        ),
        hide_index=True,
        width="stretch",
        key="dec_publish_table",
    )
    problems = D.check_decisions(store, chosen)
    for problem in problems:
        st.error(problem)
    if st.button(
        f"Publish {len(chosen)} decision(s) as a new data version",
        type="primary",
        disabled=bool(problems),
        key="dec_publish",
    ):
        try:
            version = D.publish_round(root, store, draft(), viewer, by_urn)
        except D.DecisionError as err:
            for problem in err.problems:
                st.error(problem)
            return
        except UploadError as err:
            show_refused(err, "Publishing the round")
            return
        st.session_state[DRAFT_KEY] = D.load_draft(root, draft().round.id, viewer) or draft()
        st.session_state["dec_message"] = (
            f"Published: {len(chosen)} decision(s) are in force from {day(draft().round.effective_from)}, as a new "
            f"data version made {made(version)} (the Data page can roll it back). "
            "The letters are below."
        )
        st.rerun()


# -- letters -------------------------------------------------------------------------------------------
def letters_section(root, store: Store, viewer: Viewer, rnd: D.Round) -> None:
    """The round's published decisions: letters to download (all, or one school), and marking them sent."""
    st.subheader("Letters confirming the decisions (App.3 1.2)")
    rows = D.published_rows(store, viewer, rnd.effective_from)
    if rows.is_empty():
        st.write(f"No decision taking effect on {day(rnd.effective_from)} has been published yet.")
        return
    st.dataframe(
        rows.select(
            pl.col("name").alias("School"),
            pl.col("level").replace_strict(LEVEL_NAMES).alias("Level"),
            pl.col("decided_on").map_elements(day, return_dtype=pl.String).alias("Decided on"),
            pl.col("letter_sent_on")
            .map_elements(day, return_dtype=pl.String)
            .fill_null("Not recorded")
            .alias("Letter sent on"),
        ),
        hide_index=True,
        width="stretch",
        key="dec_letters_table",
    )
    head, accounts = load_letterhead(), _accounts()
    download(
        f"Download all {rows.height} letters (PDF and Word, zip)",
        data=audited(
            partial(round_zip, store, viewer, rnd.effective_from, head, accounts),
            viewer,
            "export_letter",
            None,
            f"round {rnd.id}: {rows.height} letters",
        ),
        file_name=round_zip_name(rnd.effective_from),
        mime="application/zip",
        icon=":material/folder_zip:",
        on_click="ignore",
        key=f"dec_zip_{rnd.id}_{store.version}",
    )
    names = dict(zip(rows["urn"].to_list(), rows["name"].to_list(), strict=True))
    one = st.selectbox(
        "One school's letter",
        list(names),
        index=None,
        format_func=names.get,
        placeholder="Choose a school",
        key="dec_letter_one",
    )
    if one is not None:
        cols = st.columns(2)
        for col, fmt, label in zip(cols, ("pdf", "docx"), ("Letter (PDF)", "Letter (Word)"), strict=True):
            download(
                label,
                data=audited(
                    partial(letter_bytes, store, viewer, one, rnd.effective_from, fmt, head, accounts),
                    viewer,
                    "export_letter",
                    one,
                    f"{fmt} of the decision effective {rnd.id}",
                ),
                file_name=letter_filename(one, rnd.effective_from, fmt),
                where=col,
                mime=FORMATS[fmt],
                on_click="ignore",
                key=f"dec_letter_{fmt}_{one}_{store.version}",
            )
    unsent = rows.filter(pl.col("letter_sent_on").is_null())
    if unsent.is_empty():
        st.write("Every letter of this round is recorded as sent.")
        return
    with st.form("dec_sent_form"):
        choice = dict(zip(unsent["urn"].to_list(), unsent["name"].to_list(), strict=True))
        picked = st.multiselect(
            "Letters sent", list(choice), format_func=choice.get, placeholder="Choose schools"
        )
        sent_on = st.date_input("Sent on", value=date.today(), format="DD/MM/YYYY")
        go = st.form_submit_button("Record these letters as sent")
    if go:
        try:
            version = D.mark_letters_sent(
                root, store, viewer, [(u, rnd.effective_from) for u in picked], sent_on
            )
        except D.DecisionError as err:
            for problem in err.problems:
                st.error(problem)
            return
        except UploadError as err:
            show_refused(err, "Recording the letters")
            return
        st.session_state["dec_message"] = (
            f"{len(picked)} letter(s) recorded as sent on {day(sent_on)}, as a new data version "
            f"made {made(version)}."
        )
        st.rerun()
