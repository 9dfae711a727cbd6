"""The national imports (SPEC §2): GIAS establishments into `schools`, Ofsted's MI into the Ofsted tables.

DfE's GIAS establishment extract gives `schools`; Ofsted's monthly management information (most recent
inspections) gives `ofsted_inspections` and `ofsted_areas`, both frameworks.

Both files are read as they are published: Windows-1252 CSV, columns found by name (never by position;
unknown columns ignored), dates written dd/mm/yyyy (Ofsted's may also be ISO). `gias_schools` and
`ofsted_tables` turn a file into contract frames, a summary and a list of `Problem`s, and never raise on bad
data. `import_gias` and `import_ofsted` merge those frames with the live data and hand them to
`g2g_core.datadir.publish`, so the result is checked with the rest of the data and goes live whole or not at
all.

Decisions the mapping makes (each one also explained where it is made):

* GIAS rows are kept only for the authority's own school-improvement remit: LA-maintained schools
  (including community and foundation special schools, pupil referral units and LA nursery schools) and
  academies and free schools (which may buy in services). Independent schools, non-maintained special
  schools, colleges, universities, "Other types" (secure units, service children's education, ...), Welsh
  establishments and online providers are left out and counted in the summary.
* Nothing already recorded is lost: advisers and chairs of governors are kept by URN, a school missing from
  the extract is kept as it was, and an Ofsted inspection already recorded is kept unless the file holds
  the same school's inspection of the same date (then the file's version replaces it, with its areas).
"""

from __future__ import annotations

from pathlib import Path

from g2g_core.access import Viewer
from g2g_core.audit import AuditEvent, audit_log
from g2g_core.datadir import UploadError, display_name, frame_upload, publish, require_director
from g2g_core.imports.common import Imported, ImportResult, decode_windows_1252
from g2g_core.imports.gias import gias_schools
from g2g_core.imports.ofsted import merge_inspections, ofsted_tables
from g2g_core.policy import Policy, load_policy
from g2g_core.store import DataError, Store, open_store
from g2g_core.validate import Problem

__all__ = [
    "ImportResult",
    "Imported",
    "decode_windows_1252",
    "gias_schools",
    "import_gias",
    "import_ofsted",
    "merge_inspections",
    "ofsted_tables",
]

# --- going live ---------------------------------------------------------------------------------------------


def _refuse(root: Path, viewer: Viewer, action: str, label: str, problems: list[Problem]) -> UploadError:
    """Record a refused import in the audit log and return the error to raise."""
    detail = f"{action}: {label}; {len(problems)} problem(s), first: {problems[0]}"
    audit_log(root).record(AuditEvent(viewer.username, viewer.role, "upload_refused", None, detail))
    return UploadError(problems)


def _prepare(
    data_dir: str | Path,
    viewer: Viewer,
    policy: Policy | None,
    file: bytes | Path,
    name: str | None,
    fallback: str,
) -> tuple[Path, Policy, str, Store]:
    """Check the viewer, name the file, and take the live data as the app holds them (loaded once a process)."""
    require_director(viewer)
    root = Path(data_dir).resolve()
    policy = policy or load_policy()
    label = display_name(name or (file.name if isinstance(file, Path) else fallback))
    try:
        return root, policy, label, open_store(root, policy)
    except DataError as err:
        raise UploadError(err.problems) from None


def import_gias(
    data_dir: str | Path,
    file: bytes | Path,
    la_code: int,
    viewer: Viewer,
    *,
    name: str | None = None,
    policy: Policy | None = None,
) -> Imported:
    """Import the authority's schools from a GIAS extract and make them live (UploadError if anything is wrong)."""
    root, policy, label, store = _prepare(data_dir, viewer, policy, file, name, "GIAS extract")
    existing = store.sql("SELECT * FROM schools")
    result = gias_schools(file, la_code, existing, name=label)
    if result.problems:
        raise _refuse(root, viewer, "import_gias", label, result.problems)
    note = " ".join(result.summary)
    version = publish(
        root,
        [frame_upload("schools", result.tables["schools"], label)],
        viewer,
        action="import_gias",
        note=note,
        policy=policy,
    )
    return Imported(result.summary, version)


def import_ofsted(
    data_dir: str | Path,
    file: bytes | Path,
    viewer: Viewer,
    *,
    name: str | None = None,
    policy: Policy | None = None,
) -> Imported:
    """Import the inspections of the authority's schools from Ofsted's MI and make them live (or UploadError)."""
    root, policy, label, store = _prepare(data_dir, viewer, policy, file, name, "Ofsted MI")
    urns = set(store.sql("SELECT urn FROM schools")["urn"].to_list())
    old_insp = store.sql("SELECT * FROM ofsted_inspections")
    old_areas = store.sql("SELECT * FROM ofsted_areas")
    result = ofsted_tables(file, name=label, urns=urns)
    if result.problems:
        raise _refuse(root, viewer, "import_ofsted", label, result.problems)
    inspections, areas, counts = merge_inspections(result, old_insp, old_areas)
    summary = [
        *result.summary,
        f"{counts['new']:,} inspection(s) new, {counts['replaced']:,} already recorded and restated by the file, "
        f"{counts['kept']:,} earlier one(s) kept for history.",
    ]
    version = publish(
        root,
        [
            frame_upload("ofsted_inspections", inspections, label),
            frame_upload("ofsted_areas", areas, label),
        ],
        viewer,
        action="import_ofsted",
        note=" ".join(summary),
        policy=policy,
    )
    return Imported(summary, version)
