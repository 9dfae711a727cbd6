"""Conventions of the code base that a test can hold (STYLE.md): no Streamlit in the core; settings documented."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from g2g_core.settings import ENV_NAMES, Settings, env_name

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "g2g_core"
SOURCE_DIRS = ("g2g_core", "ui", "pages", "app_pages")


def configuration_table() -> dict[str, tuple[str, str]]:
    """The README's configuration table: each G2G_* name in a row's first cell -> (description, default)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Configuration", 1)[1].split("\n#", 1)[0]
    rows: dict[str, tuple[str, str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or set(cells[0]) <= {"-", " "}:
            continue
        for name in re.findall(r"G2G_[A-Z0-9_]+", cells[0]):
            assert name not in rows, f"{name} has two rows in the README's configuration table"
            rows[name] = (cells[1], cells[2])
    return rows


def test_every_setting_is_in_the_readme_configuration_table_with_its_description_and_default():
    table = configuration_table()
    missing = [name for name in ENV_NAMES if name not in table]
    assert not missing, f"settings missing from the README's configuration table: {missing}"
    for field, info in Settings.model_fields.items():
        description, default = table[env_name(field)]
        assert description, f"{env_name(field)} has no description in the README"
        assert info.description, f"{field} has no description in g2g_core/settings.py"
        if info.default is not None:
            shown = str(int(info.default)) if isinstance(info.default, float) else str(info.default)
            assert shown in default, f"the README's default for {env_name(field)} is not {shown!r}"


def test_the_readme_documents_no_setting_that_does_not_exist():
    stale = sorted(set(configuration_table()) - set(ENV_NAMES))
    assert not stale, f"the README documents settings the app does not read: {stale}"


def test_only_the_settings_module_reads_g2g_variables_from_the_environment():
    readers = []
    for folder in SOURCE_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == ROOT / "g2g_core" / "settings.py":
                continue
            text = path.read_text(encoding="utf-8")
            if re.search(r"(os\.environ|getenv)[^\n]*G2G_", text):
                readers.append(str(path.relative_to(ROOT)))
    for path in [ROOT / "app.py"]:
        if re.search(r"(os\.environ|getenv)[^\n]*G2G_", path.read_text(encoding="utf-8")):
            readers.append("app.py")
    assert not readers, f"read G2G_* through g2g_core.settings.settings(), not os.environ: {readers}"


def test_the_lock_file_pins_every_declared_dependency_within_its_range():
    """A dependency added to pyproject.toml without `make lock` fails here, before a fresh clone does."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]]
    pins: dict[str, str] = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        found = re.match(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", line)
        if found:
            pins[canonicalize_name(found[1])] = found[2]
    for req in declared:
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is in pyproject.toml but not in requirements.lock: run `make lock`"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"requirements.lock pins {req.name}=={pins[name]}, outside pyproject's {req.specifier}: run `make lock`"
        )
    assert all("--hash=sha256:" in block for block in _entries(ROOT / "requirements.lock"))


def _entries(path: Path) -> list[str]:
    """Each pinned requirement of the lock file with its continuation lines."""
    entries: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(r"^[A-Za-z0-9]", line):
            entries.append(line)
        elif entries and line.startswith(" ") and not line.strip().startswith("#"):
            entries[-1] += line
    return entries


def imported_modules(path: Path) -> set[str]:
    """The top-level names of every module a Python file imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_core_never_imports_streamlit():
    files = sorted(CORE.rglob("*.py"))
    assert len(files) > 10, "the core's modules were found"
    offenders = [str(p.relative_to(CORE.parent)) for p in files if "streamlit" in imported_modules(p)]
    assert offenders == []


def test_the_import_check_sees_every_form_of_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import streamlit as st\nfrom streamlit.x import y\ndef f():\n    import streamlit\n")
    assert imported_modules(sample) == {"streamlit"}
