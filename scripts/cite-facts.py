#!/usr/bin/env python3
"""Rewrites citations of the team's fact documents ("facts 5.2", "the facts file") to
name the in-repo copies under docs/ and their sections ("`docs/general-helpers-abi.md`
§5.2"). Each "facts N.M" of the sources means general-helpers-abi.md (its sections were
checked against what each comment says); the verifier tables cite
efw-verifier-facts.md and the release tests efw-releases.md.

Only the citation words change, so the script can be re-run after files move or
branches merge. It is idempotent: no replacement contains what it replaces.

    python3 scripts/cite-facts.py          # rewrite in place, print the files changed
    python3 scripts/cite-facts.py --check  # exit 1 if anything is left to rewrite
    python3 scripts/cite-facts.py maps tests  # only files under these paths
"""

import re
import subprocess
import sys
from pathlib import Path

HELPERS = "`docs/general-helpers-abi.md`"
VERIFIER = "`docs/efw-verifier-facts.md`"
RELEASES = "`docs/efw-releases.md`"

# Exact texts first (phrases, and citations spread over two lines).
EXACT = [
    # runner
    ("against the facts file: each row calls", f"against {HELPERS}: each row calls"),
    ("the facts file says any uniform source is", f"{HELPERS} §5.6 says any uniform source is"),
    ("runtime facts 5.6", f"{HELPERS} §5.6"),
    ("(facts 5.2), `bpf_ringbuf_output` (5.4)", f"({HELPERS} §5.2), `bpf_ringbuf_output` (§5.4)"),
    ("(facts 4.2, layout 3.4)", f"({HELPERS} §4.2, §3.4)"),
    ("load\n//! a map's address (4.3)", "load\n//! a map's address (§4.3)"),
    ("worked out by hand from the facts\n//! file)", f"worked out by hand from\n//! {HELPERS})"),
    ("against the facts file (`general-helpers-abi.md`)", f"against {HELPERS}"),
    ("against the facts file\n//! (`general-helpers-abi.md`)", f"against\n//! {HELPERS}"),
    ("/// The facts-file rule, quoted or paraphrased", f"/// The rule of {HELPERS}, quoted or paraphrased"),
    # maps
    ("(facts file, section 3.1)", f"({HELPERS} §3.1)"),
    ("(facts file `general-helpers-abi.md`,\n//! sections 2 to 5)", f"({HELPERS},\n//! §2 to §5)"),
    # C test programs
    (
        "written from the facts file\n// (/work/shared/general-helpers-abi.md, sections 1.2, 1.5, 3 and 4.1)",
        f"written from\n// {HELPERS} (§1.2, §1.5, §3 and §4.1)",
    ),
    ("header written from the facts file.", f"header written from {HELPERS} §2.1."),
    ("(`SEC(\"maps\")`, section 4.2)", f"(`SEC(\"maps\")`, {HELPERS} §4.2)"),
    ("in-file layout of section 3.4", "in-file layout of §3.4"),
    ("(`SEC(\".maps\")`, section 4.1)", f"(`SEC(\".maps\")`, {HELPERS} §4.1)"),
    # generator tests
    ("the shape the facts file asks of it (section 1.4)", f"the shape {HELPERS} §1.4 asks of it"),
    ("ID the facts file gives", f"ID {HELPERS} gives"),
    ("/// Section 2.1 of the facts file:", f"/// {HELPERS} §2.1:"),
    ("helpers are the facts file's: names, IDs, C prototypes. The facts file\n", f"helpers are those of {HELPERS} §2.1: names, IDs, C prototypes. That document\n"),
    ("upstream's pattern (section 1.3)", f"upstream's pattern ({HELPERS} §1.3)"),
    ("where section 1.4 puts them", f"where {HELPERS} §1.4 puts them"),
    ("say what the facts file\n//! says", f"say what\n//! {VERIFIER} says"),
    ('"../shared/efw-verifier-facts.md"', '"docs/efw-verifier-facts.md"'),
    ("/// The facts file describes upstream's 00053ce6b, which is release 1.3.0 without the\n/// listen attach types (efw-releases.md)",
     f"/// {VERIFIER} describes upstream's 00053ce6b, which is release 1.3.0 without the\n/// listen attach types ({RELEASES})"),
    ("/// The cells of the facts file's table rows", f"/// The cells of {VERIFIER}'s table rows"),
    ("tables are the facts' with what 1.3.0", f"tables are those of {VERIFIER} with what 1.3.0"),
    ("(counts from the facts of each tag)", f"(counts from {RELEASES})"),
    ("/// What the ABI facts say of each release", f"/// What {RELEASES} says of each release"),
    ("written from the facts of 1.4.0:", f"written from {RELEASES} (1.4.0):"),
    # README
    ("and g++ with the release's facts asserted.", f"and g++ with the release's facts ({RELEASES}) asserted."),
    ("a stand-in for upstream's written\n  from the facts file,", f"a stand-in for upstream's written\n  from {HELPERS},"),
    ("a reference header made\n  from the facts file's table", f"a reference header made\n  from the table of {HELPERS} §2.1"),
    ("equal the facts\n  file's (`tests/verifier_tables.rs`)", f"equal those of\n  {VERIFIER} (`tests/verifier_tables.rs`)"),
]

# Then every remaining "facts N.M" (one or two sections).
PATTERNS = [
    (re.compile(r"facts (\d\.\d), (\d\.\d)"), HELPERS + r" §\1, §\2"),
    (re.compile(r"facts (\d\.\d)"), HELPERS + r" §\1"),
]

SUFFIXES = {".rs", ".md", ".c", ".h", ".cpp", ".toml", ".sh"}


def files(root: Path, under: list[str]):
    listed = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True)
    for name in listed.stdout.splitlines():
        path = root / name
        wanted = not under or any(name == u or name.startswith(u.rstrip("/") + "/") for u in under)
        if wanted and path.suffix in SUFFIXES and not name.startswith("docs/") and path.is_file():
            yield path


def rewrite(text: str) -> str:
    for old, new in EXACT:
        text = text.replace(old, new)
    for pattern, new in PATTERNS:
        text = pattern.sub(new, text)
    return text


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    check = "--check" in sys.argv[1:]
    under = [a for a in sys.argv[1:] if a != "--check"]
    stale = []
    for path in files(root, under):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # a fixture that is not UTF-8 on purpose cites nothing
        new = rewrite(text)
        if new != text:
            stale.append(path.relative_to(root))
            if not check:
                path.write_text(new, encoding="utf-8")
    for path in stale:
        print(path)
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
