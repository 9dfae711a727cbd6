"""Data inside elements that Streamlit renders as Markdown (titles, captions, alerts), escaped so it stays text.

`st.title`, `st.caption`, `st.write`, `st.error` and the like interpret Markdown even without HTML: a school
name holding `[x](https://...)`, `:red[...]`, `$...$` or `**` would become a link, a colour, maths or bold,
and a bare `https://...`, `www....` or e-mail address would become a link (GitHub-flavoured autolinks, found
in the text after escapes are removed). Tables (`st.dataframe`) and `st.text` need none of this; use
`md_text` wherever data meets Markdown.
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


def md_text(value: object) -> str:
    """The text of a value, escaped for a Markdown-rendering element, on one line, with no autolinks."""
    text = _AUTOLINK.sub(_JOINER, " ".join(str(value).splitlines()))
    text = _PUNCTUATION.sub(r"\\\1", text)
    return _ORDERED_LIST.sub(r"\1\\\2", text)
