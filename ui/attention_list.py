"""The Attention page's parts: its filters, the compact list of flags, the downloads.

Every filter is kept in the address; each flag shows the school and what is wrong together, wrapped, with
no sideways scrolling; the downloads carry the words of the screen.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import streamlit as st

from g2g_core import attention as core
from g2g_core.exports import export_name, export_title
from g2g_core.rules import KIND_NAMES, RULES, SEVERITIES
from ui.components import level_label, table_downloads
from ui.links import SCHOOL_PAGE, school_params
from ui.names import person_names
from ui.text import md_text

PER_PAGE = 40
NEW_CHOICES = {"": "All open flags", "7d": "New in the last 7 days", "date": "New since a date"}
BADGE = {"overdue": "red", "due": "orange", "info": "blue"}


def _listed(key: str, allowed: list[str]) -> list[str]:
    raw = st.query_params.get_all(key)
    return [v for part in raw for v in part.split(",") if v in allowed]


def _keep(key: str, values: list[str] | str) -> None:
    value = ",".join(values) if isinstance(values, list) else values
    if value:
        st.query_params[key] = value
    elif key in st.query_params:
        del st.query_params[key]


def attention_filters(as_of: date) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], date | None]:
    """Kind, severity, rule and 'new since', each read from and kept in the address."""
    rule_titles = {r.id: r.title for r in RULES}
    c1, c2, c3, c4 = st.columns([2, 2, 3, 3])
    kinds = c1.multiselect(
        "Kind",
        list(KIND_NAMES),
        default=_listed("kind", list(KIND_NAMES)),
        format_func=KIND_NAMES.get,
        placeholder="All kinds",
        key="att_kind",
    )
    severities = c2.multiselect(
        "Severity",
        list(SEVERITIES),
        default=_listed("severity", list(SEVERITIES)),
        format_func=core.SEVERITY_NAMES.get,
        placeholder="All severities",
        key="att_severity",
    )
    rules = c3.multiselect(
        "Rule",
        list(rule_titles),
        default=_listed("rule", list(rule_titles)),
        format_func=rule_titles.get,
        placeholder="All rules",
        key="att_rule",
    )
    raw_new = st.query_params.get("new", "")
    try:
        since_given = date.fromisoformat(raw_new)
    except ValueError:
        since_given = None
    choice = "date" if since_given else ("7d" if raw_new == "7d" else "")
    options = list(NEW_CHOICES)
    picked = c4.selectbox(
        "Which flags",
        options,
        index=options.index(choice),
        format_func=NEW_CHOICES.get,
        key="att_new",
        help="New: flags that were not raised for that school on the earlier date.",
    )
    new_since = None
    if picked == "7d":
        new_since = as_of - timedelta(days=7)
        _keep("new", "7d")
    elif picked == "date":
        new_since = c4.date_input(
            "New since",
            value=since_given or as_of - timedelta(days=7),
            max_value=as_of,
            format="DD/MM/YYYY",
            key="att_new_date",
        )
        _keep("new", new_since.isoformat())
    else:
        _keep("new", "")
    _keep("kind", kinds)
    _keep("severity", severities)
    _keep("rule", rules)
    return tuple(kinds), tuple(severities), tuple(rules), new_since


def flag_list(flags: pl.DataFrame, as_of: date) -> None:
    """One compact card per flag: school (a link, same tab), level, adviser; what, why, next step; evidence."""
    names = person_names()
    pages = max(1, -(-flags.height // PER_PAGE))
    page = 1
    if pages > 1:
        page = st.selectbox(
            f"Page (of {pages}, {PER_PAGE} flags a page)", list(range(1, pages + 1)), key="att_page"
        )
    shown = flags.slice((page - 1) * PER_PAGE, PER_PAGE)
    for i, f in enumerate(shown.iter_rows(named=True)):
        with st.container(border=True, key=f"flag_{(page - 1) * PER_PAGE + i}"):
            adviser = names.get(f["adviser"], f["adviser"]) if f["adviser"] else "no adviser"
            st.page_link(
                SCHOOL_PAGE,
                label=f"**{md_text(f['name'])}**",
                query_params=school_params(f["urn"]),
            )
            days = f["age_days"]
            st.markdown(
                f":{BADGE[f['severity']]}-badge[{core.SEVERITY_NAMES[f['severity']]}] "
                f"**{md_text(f['title'])}** · since {f['since']:%-d %B %Y} "
                f"({days} day{'s' if days != 1 else ''}) · {level_label(f['level'])} · adviser {md_text(adviser)}"
            )
            st.markdown(
                f"**Why:** {md_text(f['message'])}  \n**Next step:** {md_text(f['action'])}",
                help=f"Policy paragraph {f['policy_ref']}",
            )
            if f["evidence"]:
                st.caption(f"The records behind it: {md_text(f['evidence'])}")


def downloads(flags: pl.DataFrame, as_of: date, viewer) -> None:
    """The flags as CSV and Excel, in the words of the screen, saying what they are and their date."""
    shown = core.readable(flags, person_names())
    what = export_title("Attention flags", as_of)
    csv_name, xlsx_name = (export_name("Attention flags", as_of, ext) for ext in ("csv", "xlsx"))
    table_downloads(shown, what, csv_name, xlsx_name, "Attention flags", "these flags", viewer)
