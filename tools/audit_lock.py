"""The dependency audit of `make test`: every release pinned in requirements.lock against PyPI's advisories.

pip-audit does the work (PyPI's vulnerability service, one request per pinned release). Where PyPI's
per-release JSON is not served (some networks only pass the project JSON), pip-audit skips that package; this
script then reads the project's JSON, whose advisories are those of its latest release, and audits the pin
only if it *is* that release. A vulnerability fails the audit; a package neither way could audit is listed;
an audit that could check nothing fails too (it would otherwise pass saying nothing).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;\\]+)")


def pins(path: Path) -> dict[str, str]:
    """Package name (PEP 503 normalised) -> pinned version; a package pinned twice (by marker) keeps both."""
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            name = re.sub(r"[-_.]+", "-", match[1]).lower()
            found[name] = f"{found[name]}|{match[2]}" if name in found else match[2]
    return found


def run_pip_audit(path: Path) -> dict:
    """pip-audit's JSON report on the lock file (hash-checked, no resolution: the lock is complete)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "audit.json"
        done = subprocess.run(
            [sys.executable, "-m", "pip_audit", "--disable-pip", "--progress-spinner", "off"]
            + ["-r", str(path), "-f", "json", "-o", str(out)],
            capture_output=True,
            text=True,
            check=False,
        )
        if not out.exists():
            sys.exit(f"pip-audit failed (exit {done.returncode}):\n{done.stderr}")
        return json.loads(out.read_text(encoding="utf-8"))


def latest_advisories(name: str) -> tuple[str, list[dict]]:
    """The project's latest release and the advisories PyPI lists against it (withdrawn ones left out)."""
    with urllib.request.urlopen(f"https://pypi.org/pypi/{name}/json", timeout=30) as reply:
        data = json.load(reply)
    return data["info"]["version"], [v for v in data.get("vulnerabilities") or [] if not v.get("withdrawn")]


def main() -> int:
    """Audit the lock; print what was found and what could not be checked; 1 on any vulnerability."""
    pinned = pins(LOCK)
    report = run_pip_audit(LOCK)
    vulnerable: list[str] = []
    unaudited: list[str] = []
    audited = 0
    skipped = [
        re.sub(r"[-_.]+", "-", d["name"]).lower() for d in report["dependencies"] if "skip_reason" in d
    ]
    with ThreadPoolExecutor(max_workers=8) as pool:
        projects = dict(zip(skipped, pool.map(latest_advisories, skipped), strict=True))
    for dep in report["dependencies"]:
        name = re.sub(r"[-_.]+", "-", dep["name"]).lower()
        if "skip_reason" not in dep:
            audited += 1
            vulnerable += [
                f"{name} {dep['version']}: {v['id']} (fixed in {', '.join(v.get('fix_versions') or [])})"
                for v in dep["vulns"]
            ]
            continue
        versions = pinned.get(name, "").split("|")
        latest, advisories = projects[name]
        if latest in versions:
            audited += 1
            vulnerable += [
                f"{name} {latest}: {v['id']} (fixed in {', '.join(v.get('fixed_in') or [])})"
                for v in advisories
            ]
            versions.remove(latest)
        unaudited += [f"{name} {v} (the latest release is {latest})" for v in versions if v]
    releases = sum(len(v.split("|")) for v in pinned.values())
    print(
        f"Dependency audit of {LOCK.name}: {audited} of {releases} pinned releases checked against PyPI's advisories."
    )
    for line in unaudited:
        print(f"  not audited (PyPI serves no per-release advisories here): {line}")
    for line in vulnerable:
        print(f"  VULNERABLE: {line}")
    if audited == 0:
        print("No release could be audited: PyPI's JSON API was not reached.")
        return 1
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
