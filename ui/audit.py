"""Recording what people do in the app, into the core's audit log (g2g_core.audit), beside the data.

`record` writes one entry now; `record_once` writes it once per session and key (a school opened is logged
when it is opened, not on every rerun); `audited` wraps a deferred download so the entry is written when the
file is actually downloaded. A failure to write the log is shown as a warning and never stops the page.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from g2g_core.access import Viewer
from g2g_core.audit import AuditEvent, audit_log
from ui.data import data_dir


def _write(viewer: Viewer, action: str, urn: int | None, detail: str) -> bool:
    try:
        audit_log(data_dir()).record(AuditEvent(viewer.username, viewer.role, action, urn, detail))
        return True
    except OSError:
        return False


def record(viewer: Viewer, action: str, urn: int | None = None, detail: str = "") -> None:
    """Write one audit entry (a warning on the page if the log cannot be written)."""
    if not _write(viewer, action, urn, detail):
        st.warning("This action could not be written to the audit log. Tell the service.")


def record_once(viewer: Viewer, key: str, action: str, urn: int | None = None, detail: str = "") -> None:
    """Write one audit entry once per session for this key."""
    seen = st.session_state.setdefault("_g2g_audited", set())
    mark = (viewer.username, key)
    if mark not in seen:
        record(viewer, action, urn, detail)
        seen.add(mark)


def audited(
    make: Callable[[], bytes], viewer: Viewer, action: str, urn: int | None, detail: str
) -> Callable[[], bytes]:
    """A download's data callable that writes the audit entry when the file is built for the download."""

    def build() -> bytes:
        _write(viewer, action, urn, detail)
        return make()

    return build
