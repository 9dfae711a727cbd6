"""Conventions of the code base that a test can hold (../shared/STYLE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "g2g_core"


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
