"""Every download button of the app: a file at an address nobody can work out from its content.

Streamlit serves a downloaded file at `/media/<id>.<ext>` to anyone who asks, signed in or not, and computes
`<id>` from the file's bytes, its type and its file name (`MemoryMediaFileStorage._calculate_file_id` in
Streamlit 1.67: BLAKE2b of length, content, MIME type and file name). Knowing a school's levels and the file's
name was enough to find another user's download. `download` puts a random part in every file name
(`timeline_900005-3f9a1c2b4d5e.csv`, 48 random bits drawn for each page run), so the address depends on a
secret only that browser session was sent.

It also hands Streamlit a callable, never bytes, so the file is built only when the button is clicked (a
deferred download) instead of sitting at its address from the moment the page is drawn. Streamlit keeps a
built file unreferenced: the end of the next script run (of any session) marks it, the run after deletes it
(`MediaFileManager.remove_orphaned_files`), so it lives seconds, not the session. The file name's random part
changes at every run, so the same data downloaded twice get two addresses.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import PurePosixPath

import streamlit as st


def unguessable(file_name: str) -> str:
    """The file name with a random part before its extension: levels.csv -> levels-3f9a1c2b4d5e.csv."""
    path = PurePosixPath(file_name)
    return f"{path.stem}-{secrets.token_hex(6)}{path.suffix}"


def download(
    label: str,
    data: Callable[[], bytes] | bytes,
    *,
    file_name: str,
    mime: str,
    where=None,
    **options,
) -> None:
    """A download button whose file is built on the click and served at an address with a random part.

    `where` is a column or container (else the page); `options` pass to `st.download_button` (key, icon...).
    """
    make = data if callable(data) else (lambda: data)
    options.setdefault("on_click", "ignore")  # a download changes nothing on the page: no rerun
    (where or st).download_button(label, make, file_name=unguessable(file_name), mime=mime, **options)
