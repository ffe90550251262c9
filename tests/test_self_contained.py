"""The repository stands on its own: no tracked file names a path outside it.

A fresh clone must run, test and document itself with nothing beside it, so a reference to a folder next to the
clone (`../<something>`), to the machine the project happened to be built on, or to the team's shared material
is a bug even in a comment: the next reader follows it and finds nothing. The patterns are spelt with character
classes so this file does not name what it forbids.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# A relative path climbing out of its folder: resolved against the file's folder below.
CLIMB = re.compile(r"(?<![\w.])((?:\.\./)+)([\w.-]*)")
# Places outside the repository that the project's surroundings use.
OUTSIDE = re.compile(r"/wor[k]/|(?<![\w-])share[d]/(?:data|docs|seed|hooks)\b|RADSBOT_SHARE[D]_DIR")


def tracked_text_files() -> list[Path]:
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: the tracked files are unknown")
    files = [ROOT / name for name in listed.decode().split("\0") if name]
    return [f for f in files if f.is_file() and b"\0" not in f.read_bytes()[:8192]]


def escapes_root(folder: Path, climb: str, name: str) -> bool:
    target = (folder / climb / name).resolve()
    return target != ROOT and ROOT not in target.parents


def outside_references(path: Path) -> list[str]:
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        where = f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}"
        if OUTSIDE.search(line) or any(escapes_root(path.parent, m[1], m[2]) for m in CLIMB.finditer(line)):
            found.append(where)
    return found


def test_no_tracked_file_names_a_path_outside_the_repository():
    offenders = [ref for path in tracked_text_files() for ref in outside_references(path)]
    assert offenders == [], "paths outside the repository:\n" + "\n".join(offenders)


def test_the_check_catches_a_folder_beside_the_clone_and_the_build_machine():
    sample = ROOT / "docs" / "example.md"
    assert escapes_root(sample.parent, "../" * 2, "shared")
    assert not escapes_root(sample.parent, "../", "README.md")
    assert OUTSIDE.search("see /wo" + "rk/sha" + "red/docs/domain.md")
    assert OUTSIDE.search("read shared" + "/data/pask.ics")
    assert not OUTSIDE.search("the shared card is redrawn")


def test_the_sample_data_is_tracked_so_a_fresh_clone_has_it():
    tracked = {path.relative_to(ROOT).as_posix() for path in tracked_text_files()}
    assert {"tests/data/README.md", "tests/data/pask-calendar-outlook-export.ics"} <= tracked
