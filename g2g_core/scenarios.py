"""Saved what-if scenarios behind a narrow storage interface (SPEC §7).

`ScenarioStore` is the interface: list, load, save, delete (and `revision`, so a stale save is refused).
`LocalScenarioStore(folder)` is the default, one JSON file a scenario in the data directory's `scenarios/`
folder; `g2g_core.storage.postgres.PgScenarioStore` implements the same methods for several servers
(`g2g_core.storage.scenario_store` chooses). A scenario is found by its name: the file
name is a slug of the name (never the raw text), so two names with the same slug are the same scenario.
A bad or stale file (invalid JSON, wrong fields, a level that no longer exists) is a `ScenarioError` whose
message names the file, never a crash.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pydantic import ValidationError

from g2g_core.allocation import Scenario

MAX_FILE_BYTES = 256 * 1024
MAX_SLUG = 60


class ScenarioError(ValueError):
    """A scenario that cannot be saved or opened; the message says why in plain English."""


@dataclass(frozen=True)
class SavedScenario:
    """One entry of a store's list: its key, its name, and what is wrong with it if it cannot be opened."""

    key: str
    name: str
    problem: str | None = None
    revision: str | None = (
        None  # changes at every save; given back to `save(expected=…)` to refuse a stale save
    )


class ScenarioStore(Protocol):
    """Where saved scenarios live: the only four things the app does with them."""

    def list(self) -> list[SavedScenario]:
        """Every saved scenario, by name, bad ones included with their problem."""
        ...

    def load(self, name: str) -> Scenario:
        """The scenario saved under a name (raises ScenarioError)."""
        ...

    def save(self, scenario: Scenario, *, expected: str | None = None) -> SavedScenario:
        """Save under the scenario's name, replacing one of the same name (raises ScenarioError).

        With `expected` (the revision it was opened at, '' for a new one) a save over a newer one is refused.
        """
        ...

    def revision(self, name: str) -> str | None:
        """The revision of the scenario saved under a name (None when there is none)."""
        ...

    def delete(self, name: str) -> bool:
        """Delete the scenario of a name; False when there was none."""
        ...


def slug(name: str) -> str:
    """The file-safe key of a name: lower-case ASCII letters and digits joined by hyphens ('' if none)."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:MAX_SLUG].strip("-")


def key_of(name: str) -> str:
    """The slug of a name, refusing a name with no letter or digit."""
    key = slug(name or "")
    if not key:
        raise ScenarioError(
            f"The name {name!r} cannot be used: a scenario name needs at least one letter or digit."
        )
    return key


def parse_scenario(text: str, label: str) -> Scenario:
    """A scenario from its JSON text; a ScenarioError naming the file and the keys that are wrong."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ScenarioError(f"The saved scenario {label} is not valid JSON ({exc}).") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"The saved scenario {label} is not a scenario (expected a JSON object).")
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors()[:5]:
            where = ".".join(str(p) for p in err["loc"] if p != "[key]") or "(top level)"
            what = "not a field of a scenario" if err["type"] == "extra_forbidden" else err["msg"]
            problems.append(f"{where}: {what}")
        more = len(exc.errors()) - len(problems)
        raise ScenarioError(
            f"The saved scenario {label} cannot be used (it may come from an older version or another "
            f"policy): {'; '.join(problems)}{f'; and {more} more' if more > 0 else ''}."
        ) from None


def checked(scenario: Scenario) -> Scenario:
    """The scenario validated again (one built with model_copy skipped validation).

    Never save one that would not load.
    """
    try:
        return Scenario.model_validate(scenario.model_dump())
    except ValidationError as exc:
        raise ScenarioError(f"The scenario cannot be saved: {exc.errors()[0]['msg']}.") from None


def stale_message(name: str) -> str:
    """The refusal of a save over a scenario someone else saved since it was opened."""
    return (
        f"The scenario {name!r} was saved by someone else since you opened it, so yours was not saved over "
        "it. Open it again to see their version, or save yours under another name."
    )


class LocalScenarioStore:
    """Scenarios as JSON files in one folder, each written atomically (temporary file, then rename)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def _path(self, name: str) -> Path:
        return self.folder / f"{key_of(name)}.json"

    def _read(self, path: Path) -> Scenario:
        label = f"'{path.name}'"
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ScenarioError(f"The saved scenario {label} is too large to be a scenario.")
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ScenarioError(f"There is no saved scenario {label}.") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ScenarioError(f"The saved scenario {label} cannot be read ({exc}).") from None
        return parse_scenario(text, label)

    def list(self) -> list[SavedScenario]:
        """Every saved scenario, sorted by name; a bad file is listed under its file name with the problem."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                name = self._read(path).name or path.stem
                found.append(SavedScenario(path.stem, name, None, self.revision(path.stem)))
            except ScenarioError as err:
                found.append(SavedScenario(path.stem, path.stem, str(err), self.revision(path.stem)))
        return sorted(found, key=lambda s: (s.name.lower(), s.key))

    def load(self, name: str) -> Scenario:
        """The scenario saved under a name (or its key)."""
        path = self._path(name)
        if not path.is_file():
            raise ScenarioError(f"There is no saved scenario called {name!r}.")
        return self._read(path)

    def revision(self, name: str) -> str | None:
        """A digest of the file's bytes (None when there is no such scenario)."""
        try:
            return hashlib.sha256(self._path(name).read_bytes()).hexdigest()[:16]
        except FileNotFoundError:
            return None

    def save(self, scenario: Scenario, *, expected: str | None = None) -> SavedScenario:
        """Write the scenario to `<slug of its name>.json`, atomically (refused when stale, see ScenarioStore)."""
        path = self._path(scenario.name)
        scenario = checked(scenario)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            lock = os.open(self.folder, os.O_RDONLY)  # the folder itself is the lock: no extra file in it
            try:
                fcntl.flock(lock, fcntl.LOCK_EX)
                if expected is not None and expected != (self.revision(scenario.name) or ""):
                    raise ScenarioError(stale_message(scenario.name))
                fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".saving-", suffix=".tmp")
                try:
                    with os.fdopen(fd, "w", encoding="utf-8") as fh:
                        fh.write(scenario.model_dump_json(indent=2))
                        fh.flush()
                        os.fsync(fh.fileno())
                    os.replace(tmp, path)
                except BaseException:
                    Path(tmp).unlink(missing_ok=True)
                    raise
            finally:
                os.close(lock)
        except OSError as exc:
            raise ScenarioError(f"The scenario could not be saved in {self.folder} ({exc}).") from None
        return SavedScenario(path.stem, scenario.name, None, self.revision(scenario.name))

    def delete(self, name: str) -> bool:
        """Remove the scenario's file; False when there was none."""
        path = self._path(name)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise ScenarioError(f"The scenario {name!r} could not be deleted ({exc}).") from None
        return True
