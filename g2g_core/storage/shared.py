"""Data versions shared by several servers: files on shared storage, the pointer in PostgreSQL, a local copy.

The shared storage is addressed by URL (`G2G_DATA_URL`, else the folder `G2G_DATA_DIR`): a local or network
folder, or object storage (`s3://bucket/prefix`, with `G2G_S3_ENDPOINT` for an S3-compatible server other
than AWS; Azure Blob works through the same pyarrow file-system route). It holds one folder a version,
`history/<id>/`, written once and never changed; the live version's id is the pointer in PostgreSQL
(`g2g_core.storage.postgres.PgVersions`).

Each server works in a local folder (`G2G_CACHE_DIR`/<digest of the URL>) laid out exactly like the
one-server data directory (`history/<id>/` and `CURRENT`), so loading, DuckDB's lock-down and every page stay
as they are: `sync()` (once a rerun) reads the pointer, copies a version it does not have yet from the shared
storage once (into a temporary folder, then one rename), and rewrites the local `CURRENT`. A server notices a
new version at its next rerun, without a restart. While the database cannot be reached, `sync()` leaves the
local copy as it is: the pages keep serving the version loaded.

Publishing (see `g2g_core.datadir`) writes the new version's files to the shared storage under its new id
first, then records the version, switches the pointer and writes the audit entry in one transaction: a
server stopped at any point leaves the pointer on the old version or the new one, never a missing one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from pathlib import Path

import pyarrow.fs as pafs

from g2g_core.storage.base import StorageUnavailable

HISTORY = "history"
POINTER = "CURRENT"
MANIFEST = "manifest.json"


def s3_endpoint() -> str | None:
    """G2G_S3_ENDPOINT: the address of an S3-compatible server (e.g. `http://127.0.0.1:9000`); unset for AWS."""
    from g2g_core.settings import settings

    return (settings().s3_endpoint or "").strip() or None


def filesystem(url: str) -> tuple[pafs.FileSystem, str]:
    """The pyarrow file system and base path of a data URL (a folder, or `s3://bucket/prefix`)."""
    if url.startswith("s3://"):
        endpoint = s3_endpoint()
        options: dict = {"region": os.environ.get("AWS_REGION") or "us-east-1"}
        if endpoint:
            scheme, _, host = endpoint.partition("://")
            options.update(endpoint_override=host or scheme, scheme=scheme if host else "https")
            options["force_virtual_addressing"] = False
        return pafs.S3FileSystem(**options), url[len("s3://") :].rstrip("/")
    path = url[len("file://") :] if url.startswith("file://") else url
    return pafs.LocalFileSystem(), str(Path(path).resolve())


class SharedData:
    """One server's view of the shared data versions."""

    def __init__(self, url: str, versions, cache: Path) -> None:
        self.url = url
        self.fs, self.base = filesystem(url)
        self.versions = versions  # PgVersions
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:12]
        self.local = Path(cache) / digest
        self._mutex = threading.Lock()

    # --- reading -------------------------------------------------------------------------------------------------

    def _has_local(self, version_id: str) -> bool:
        return (self.local / HISTORY / version_id / MANIFEST).is_file()

    def fetch(self, version_id: str) -> Path:
        """The local copy of a version, copied from the shared storage once (temporary folder, then rename)."""
        target = self.local / HISTORY / version_id
        if self._has_local(version_id):
            return target
        tmp = self.local / "incoming" / f"{version_id}.{os.getpid()}.{threading.get_ident()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        try:
            pafs.copy_files(
                f"{self.base}/{HISTORY}/{version_id}",
                str(tmp),
                source_filesystem=self.fs,
                destination_filesystem=pafs.LocalFileSystem(),
            )
            if not (tmp / MANIFEST).is_file():
                raise FileNotFoundError(f"{self.url}/{HISTORY}/{version_id}/{MANIFEST}")
            (self.local / HISTORY).mkdir(parents=True, exist_ok=True)
            try:
                os.rename(tmp, target)
            except OSError:
                if not self._has_local(version_id):  # another thread or process put it there first
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return target

    def _point_locally(self, version_id: str) -> None:
        pointer = self.local / POINTER
        try:
            if pointer.read_text(encoding="utf-8").strip() == version_id:
                return
        except OSError:
            pass
        tmp = self.local / f".{POINTER}.{os.getpid()}.{threading.get_ident()}.tmp"
        tmp.write_text(version_id + "\n", encoding="utf-8")
        os.replace(tmp, pointer)

    def sync(self) -> str | None:
        """Bring the local copy to the live version (a no-op when it is there).

        The live id, or None when the database cannot be reached (the local copy is left as it is).
        """
        try:
            version_id = self.versions.current()
        except StorageUnavailable:
            return None
        with self._mutex:
            if version_id is None:
                version_id = self._adopt()
                if version_id is None:
                    return None
            self.fetch(version_id)
            self._point_locally(version_id)
        return version_id

    # --- writing -------------------------------------------------------------------------------------------------

    def push(self, folder: Path, version_id: str) -> None:
        """Write a version's files to the shared storage under its id.

        The manifest goes last, so a version folder with a manifest is complete.
        """
        dest = f"{self.base}/{HISTORY}/{version_id}"
        if isinstance(self.fs, pafs.LocalFileSystem):  # object storage has no folders to make
            self.fs.create_dir(dest, recursive=True)
        files = sorted(p for p in folder.iterdir() if p.is_file())
        for path in [p for p in files if p.name != MANIFEST] + [p for p in files if p.name == MANIFEST]:
            with self.fs.open_output_stream(f"{dest}/{path.name}") as out:
                out.write(path.read_bytes())

    def _adopt(self) -> str | None:
        """The first version.

        Made from the flat files at the shared location (a folder written by `g2g demo-data` or an export);
        None when there are none.
        """
        from g2g_core.schema import FILE_SUFFIXES, TABLES

        found = []
        for table in TABLES:
            for sfx in FILE_SUFFIXES:
                info = self.fs.get_file_info(f"{self.base}/{table.name}{sfx}")
                if info.type == pafs.FileType.File:
                    found.append(f"{table.name}{sfx}")
                    break
        if not found:
            return None
        from g2g_core.datadir import new_version_id
        from g2g_core.store import META_FILE

        version_id = new_version_id()
        stage = self.local / "incoming" / f"adopt-{version_id}"
        stage.mkdir(parents=True)
        try:
            names = [*found]
            if self.fs.get_file_info(f"{self.base}/{META_FILE}").type == pafs.FileType.File:
                names.append(META_FILE)
            listing = {}
            for name in names:
                with self.fs.open_input_stream(f"{self.base}/{name}") as src:
                    data = src.read()
                (stage / name).write_bytes(data)
                if name != META_FILE:
                    listing[name.rsplit(".", 1)[0]] = {"file": name, "source": name, "bytes": len(data)}
            manifest = {
                "id": version_id,
                "created_at": None,
                "created_by": "",
                "action": "initial",
                "note": "the files at the shared data location before the first upload",
                "parent": None,
                "files": listing,
            }
            (stage / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
            self.push(stage, version_id)
            if not self.versions.adopt(manifest):  # another server adopted first: use theirs
                return self.versions.current()
        finally:
            shutil.rmtree(stage, ignore_errors=True)
        return version_id
