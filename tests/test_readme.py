"""The README's quick start, example output, code and command list stay true."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import click
import pytest
from conftest import load_script

from planner.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _tool():
    return load_script("tools/readme.py")


def quick_start() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block, "the quick start has no ```sh block"
    return [line for line in block[1].splitlines() if line.strip()]


def test_quick_start_is_exactly_two_commands():
    commands = quick_start()
    assert len(commands) == 2, commands
    assert "planner analyze examples/diary.csv" in commands[0]
    assert commands[1].endswith("python -m pytest")


def test_ci_runs_the_readme_test_command():
    test_command = quick_start()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    # CI calls the venv's own pip and python; the commands are otherwise the same
    expected = test_command.replace("pip ", ".venv/bin/pip ").replace(
        "python -m", ".venv/bin/python -m"
    )
    assert expected in ci, (expected, ci)


def test_example_diary_is_bundled():
    assert (ROOT / "examples" / "diary.csv").is_file()


def _commands(group: click.Group, prefix: str = "planner") -> list[str]:
    names = []
    for name, command in group.commands.items():
        names.append(f"{prefix} {name}")
        if isinstance(command, click.Group):
            names += _commands(command, f"{prefix} {name}")
    return names


@pytest.mark.parametrize("command", _commands(cli))
def test_every_command_is_documented(command):
    assert f"`{command}" in README or f"$ {command}" in README, command


@pytest.mark.parametrize(("command", "shown"), _tool().blocks(README))
def test_console_blocks_show_real_output(command, shown):
    assert _tool().run(command).rstrip("\n") == shown.rstrip("\n"), (
        f"README output of {command!r} is stale: run python tools/readme.py"
    )


def test_python_examples_run(monkeypatch):
    monkeypatch.chdir(ROOT)
    for code in re.findall(r"```python\n(.*?)```", README, re.DOTALL):
        with contextlib.redirect_stdout(io.StringIO()) as out:
            exec(compile(code, "README.md", "exec"), {})
        comments = re.findall(r"^# -> (.+)$", code, re.MULTILINE)  # expected output
        for expected in comments:
            assert expected in out.getvalue(), (expected, out.getvalue())
    assert os.getcwd() == str(ROOT)
