"""Data inside elements that render Markdown or Plotly text, escaped so it stays text: one function per kind.

`md_text` for Markdown (titles, captions, alerts, metric labels/values/deltas, expander and tab labels, widget
labels and help, toasts); `plot_text` for every data-derived string in a Plotly figure (categories on an axis,
legend names, hover text, titles). Both remove the Unicode controls that reorder text (bidirectional
overrides, embeddings and isolates: U+202A-U+202E, U+2066-U+2069, U+200E/U+200F, U+061C) and other control
characters, so data cannot make a name read backwards (`…exe.fdp` shown as `…pdf.exe`).

`st.title`, `st.caption`, `st.write`, `st.error` and the like interpret Markdown even without HTML: a school
name holding `[x](https://...)`, `:red[...]`, `$...$` or `**` would become a link, a colour, maths or bold,
and a bare `https://...`, `www....` or e-mail address would become a link (GitHub-flavoured autolinks, found
in the text after escapes are removed). Tables (`st.dataframe`) and `st.text` need none of this; use
`md_text` wherever data meets Markdown.

Plotly renders a subset of HTML in its text (`<a href>`, `<b>`, `<span style>`, `<br>`, entities): `plot_text`
writes `&`, `<` and `>` as entities, which Plotly shows as the characters themselves.
"""

from __future__ import annotations

import re

# The punctuation that can start Markdown or Streamlit syntax anywhere on a line (links, emphasis, code,
# headings, lists, tables, HTML, maths, colour directives, entities): each is escaped with a backslash. Other
# punctuation (quotes, full stops, commas) is left as it is, so messages read naturally in tests and logs.
_PUNCTUATION = re.compile(r"""([\\`*_\[\](){}#!|<>~$:+\-&])""")
_ORDERED_LIST = re.compile(r"^(\s*\d+)([.)])")
_JOINER = "\u2060"  # WORD JOINER: invisible, and not a character an autolink may contain
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(?=://)|(?<=\bwww)(?=\.)|(?<=@)")
# Bidirectional controls and the other invisible controls data has no business carrying on screen.
_CONTROLS = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def plain(value: object) -> str:
    """The text of a value without bidirectional or other control characters (tabs and line breaks kept)."""
    return _CONTROLS.sub("", str(value))


def md_text(value: object) -> str:
    """The text of a value, escaped for a Markdown-rendering element, on one line, with no autolinks."""
    text = _AUTOLINK.sub(_JOINER, " ".join(plain(value).splitlines()))
    text = _PUNCTUATION.sub(r"\\\1", text)
    return _ORDERED_LIST.sub(r"\1\\\2", text)


def plot_text(value: object) -> str:
    """The text of a value for Plotly (axis categories, legend names, hover text, titles): shown, never markup."""
    text = " ".join(plain(value).splitlines())
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plot_texts(values) -> list[str]:
    """`plot_text` of each value of a list or series, None kept as None."""
    return [None if v is None else plot_text(v) for v in values]
