"""The README is the test: every command of its console blocks and every Python block runs,
in a fresh folder beside the repository's `data/`, and does what the README says."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks(kind: str) -> list[str]:
    """The README's fenced blocks of one kind (`console`, `python`), in order."""
    return [body for lang, body in FENCE.findall(README.read_text("utf-8")) if lang == kind]


def console_commands() -> list[tuple[str, bool]]:
    """Each `$ ` command (continuation lines joined) and whether the README shows it failing
    (an `error:` line among the output lines that follow it)."""
    found: list[tuple[str, bool]] = []
    for body in blocks("console"):
        lines = body.splitlines()
        i = 0
        while i < len(lines):
            line = lines[i]
            if not line.startswith("$ "):
                i += 1
                continue
            command = line[2:]
            while command.rstrip().endswith("\\"):
                i += 1
                command = command.rstrip()[:-1] + " " + lines[i].strip()
            i += 1
            shown = []
            while i < len(lines) and not lines[i].startswith("$ "):
                shown.append(lines[i])
                i += 1
            found.append((command, any(s.startswith("error:") for s in shown)))
    return found


def test_the_readme_names_only_files_that_exist():
    """Every repository path a README command names is there."""
    for command, _ in console_commands():
        for word in shlex.split(command, comments=True):
            if word.startswith("data/"):
                assert (ROOT / word).exists(), f"README names {word}, which does not exist"


@pytest.mark.slow
def test_every_readme_command_runs(tmp_path):
    """The commands, in order (later ones use what earlier ones wrote), from a fresh folder."""
    (tmp_path / "data").symlink_to(ROOT / "data")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    ran = 0
    for command, fails in console_commands():
        words = shlex.split(command, comments=True)
        if words[0] == "pip":
            continue  # installs are the set-up's business, not the tour's
        assert words[0] == "transcript-alliance", command
        args = [sys.executable, "-m", "transcript_alliance", *words[1:]]
        done = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True)
        ran += 1
        if fails:
            assert done.returncode == 2, f"{command}\n{done.stderr}"
            assert "Traceback" not in done.stderr
        else:
            assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    assert ran >= 15
    for body in blocks("python"):
        done = subprocess.run(
            [sys.executable, "-c", body], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, f"{body}\n{done.stderr}"
