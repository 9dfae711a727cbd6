"""The command line: `g2g` (or `python -m g2g_core`). See SPEC §6.

Every command answers a person: bad data, a bad policy file or a bad argument gives a message and a
non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from datetime import date
from pathlib import Path

import duckdb

from g2g_core.access import Viewer
from g2g_core.policy import PolicyError, load_policy
from g2g_core.settings import ConfigurationError, settings
from g2g_core.storage.base import StorageUnavailable
from g2g_core.store import DataError, load_store, validate_dir


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {text!r}") from None


def _print_problems(problems, out=None) -> None:
    out = out or sys.stderr
    print(f"{len(problems)} problem(s) found:", file=out)
    for p in problems:
        print(f"  {p}", file=out)


def _in_force(folder: str | Path) -> Path:
    """The folder holding the data in force, as the app's servers load it.

    `folder` itself with one server. With several (G2G_DATABASE_URL set) the versions are shared: this is the
    local copy of the live version (G2G_CACHE_DIR), so a command reads what the servers serve and an import
    publishes through the shared upload lock and pointer, as an upload on the Data page does.
    """
    from g2g_core import storage

    return storage.local_data_dir(folder)


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a data directory against the contract."""
    problems = validate_dir(args.dir, load_policy(args.policy))
    if problems:
        _print_problems(problems)
        return 1
    from g2g_core.datadir import current_version

    version = current_version(args.dir)
    print(f"{args.dir}: valid" + (f" (version {version} in force)" if version else ""))
    return 0


def cmd_flags(args: argparse.Namespace) -> int:
    """List the attention flags of a data directory."""
    from g2g_core.rules import FLAG_COLUMNS, compute_flags

    store = load_store(_in_force(args.dir), load_policy(args.policy))
    as_of = args.as_of or store.default_as_of()
    flags = compute_flags(store, Viewer.system(), as_of)
    rows = [
        {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items() if k in FLAG_COLUMNS}
        for row in flags.iter_rows(named=True)
    ]
    if args.format == "json":
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    elif args.format == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(FLAG_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        sys.stdout.write(buf.getvalue())
    else:
        print(f"{len(rows)} flag(s) as at {as_of.isoformat()}")
        for r in rows:
            print(f"{r['urn']:>7}  {r['rule']:<19} {r['severity']:<8} since {r['since']}  {r['message']}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Write the deterministic demo borough (or a national-scale set)."""
    from g2g_core.demo import write_demo
    from g2g_core.store import POINTER_FILE

    out = Path(args.out)
    summary = write_demo(out, schools=args.schools, years=args.years, seed=args.seed)
    print(summary)
    if (out / POINTER_FILE).exists():
        print(
            f"note: {out} holds uploaded versions and {out / POINTER_FILE} names the one in force, so the files just "
            f"written are not used; delete {out / POINTER_FILE} to use them (the versions stay in history/).",
            file=sys.stderr,
        )
    return 0


def cmd_pack(args: argparse.Namespace) -> int:
    """Build the governors' pack of one school."""
    from g2g_core.packs import build_pack

    store = load_store(_in_force(args.data), load_policy(args.policy))
    as_of = args.as_of or store.default_as_of()
    data = build_pack(store, Viewer.system(), args.urn, as_of, args.format)
    Path(args.out).write_bytes(data)
    print(f"wrote {args.out} ({len(data):,} bytes)")
    return 0


def cmd_letters(args: argparse.Namespace) -> int:
    """Write the confirmation letters of a published round (PDF and Word), or one school's, into a folder."""
    from g2g_core.letters import FORMATS, letter_bytes, letter_filename, load_letterhead, round_urns
    from g2g_core.letters.names import read_accounts

    store = load_store(_in_force(args.data), load_policy(args.policy))
    effective = _round_date(args.round)
    head = load_letterhead(args.letterhead)
    accounts = read_accounts()
    urns = [args.urn] if args.urn else round_urns(store, Viewer.system(), effective)
    if not urns:
        print(f"error: no published decision takes effect on {effective.isoformat()}", file=sys.stderr)
        return 1
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    formats = list(FORMATS) if args.format == "both" else [args.format]
    written = 0
    for urn in urns:
        for fmt in formats:
            data = letter_bytes(store, Viewer.system(), urn, effective, fmt, head, accounts)
            (out / letter_filename(urn, effective, fmt)).write_bytes(data)
            written += 1
    print(f"wrote {written} letter file(s) for {len(urns)} school(s) to {out}")
    return 0


def _round_date(text: str) -> date:
    """A round is named by its effective date (YYYY-MM-DD)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--round: not a round's effective date (YYYY-MM-DD): {text!r}") from None


def _cli_viewer() -> Viewer:
    """The director the command line acts as, named after the person running it (for the audit log)."""
    import getpass

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers)
        user = "unknown"
    return Viewer(f"cli:{user}", "director", None)


def _imported(outcome) -> int:
    for line in outcome.summary:
        print(line)
    print(f"new version: {outcome.version.id}")
    return 0


def cmd_import_gias(args: argparse.Namespace) -> int:
    """Import the authority's schools from a GIAS establishment extract."""
    from g2g_core.datadir import UploadError
    from g2g_core.imports import import_gias

    path = Path(args.file)
    try:
        outcome = import_gias(
            _in_force(args.data),
            path,
            args.la,
            _cli_viewer(),
            name=path.name,
            policy=load_policy(args.policy),
        )
    except UploadError as err:
        _print_problems(err.problems)
        return 1
    return _imported(outcome)


def cmd_import_ofsted(args: argparse.Namespace) -> int:
    """Import the inspections of the authority's schools from Ofsted's most recent inspections file."""
    from g2g_core.datadir import UploadError
    from g2g_core.imports import import_ofsted

    path = Path(args.file)
    try:
        outcome = import_ofsted(
            _in_force(args.data), path, _cli_viewer(), name=path.name, policy=load_policy(args.policy)
        )
    except UploadError as err:
        _print_problems(err.problems)
        return 1
    return _imported(outcome)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = argparse.ArgumentParser(prog="g2g", description="Good to Great: school categorisation tools.")
    parser.add_argument("--policy", help="policy file (default: G2G_POLICY_FILE or the shipped 2023 policy)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo-data", help="write the demo borough")
    p.add_argument("--out", required=True, help="directory to write")
    p.add_argument("--schools", type=int, default=70)
    p.add_argument("--years", type=int, default=5)
    p.add_argument("--seed", type=int, default=2026)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("validate", help="check a data directory; exit 1 listing every problem")
    p.add_argument("dir")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("flags", help="the attention flags (SPEC §4)")
    p.add_argument("dir")
    p.add_argument("--as-of", type=_date, help="date (default: the data set's date, else today)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.set_defaults(func=cmd_flags)

    p = sub.add_parser("pack", help="the governors' pack of one school")
    p.add_argument("urn", type=int)
    p.add_argument("--data", required=True)
    p.add_argument("--as-of", type=_date)
    p.add_argument("--format", choices=("pdf", "pptx"), required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_pack)

    p = sub.add_parser("letters", help="the letters confirming a published round's decisions (PDF and Word)")
    p.add_argument("--round", required=True, help="the round's effective date, YYYY-MM-DD")
    p.add_argument("--data", required=True, help="the data directory")
    p.add_argument("--out", required=True, help="folder to write the letters into")
    p.add_argument("--urn", type=int, help="only this school's letter")
    p.add_argument("--format", choices=("pdf", "docx", "both"), default="both")
    p.add_argument(
        "--letterhead", help="letterhead file (default: G2G_LETTERHEAD_FILE or the demo borough's)"
    )
    p.set_defaults(func=cmd_letters)

    p = sub.add_parser("import-gias", help="import the authority's schools from a GIAS establishment extract")
    p.add_argument("file", help="the extract as downloaded (edubasealldataYYYYMMDD.csv, Windows-1252)")
    p.add_argument("--la", type=int, required=True, help="the authority's LA code in GIAS (Hackney is 204)")
    p.add_argument("--data", required=True, help="the data directory to import into")
    p.set_defaults(func=cmd_import_gias)

    p = sub.add_parser("import-ofsted", help="import inspections from Ofsted's most recent inspections file")
    p.add_argument("file", help="Ofsted's management information, most recent inspections (CSV or xlsx)")
    p.add_argument("--data", required=True, help="the data directory to import into")
    p.set_defaults(func=cmd_import_ofsted)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit code."""
    args = build_parser().parse_args(argv)
    try:
        settings()  # a bad G2G_* variable stops every command, named, before any work
        return args.func(args)
    except (ConfigurationError, StorageUnavailable) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except DataError as err:
        _print_problems(err.problems)
        return 1
    except PolicyError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except (LookupError, PermissionError, OSError, ValueError, duckdb.Error) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
