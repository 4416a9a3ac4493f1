"""Keep the README's example output real: run each ``$ planner ...`` block and paste the output.

Every fenced ``console`` block in README.md whose first line is ``$ planner ...`` is run
in-process (click's CliRunner, from the repository root) and its output replaces the rest of
the block. ``tests/test_readme.py`` runs the same commands and fails when the README is stale.

Usage, from the repository root::

    python tools/readme.py          # rewrite README.md in place
    python tools/readme.py --check  # exit 1 if any block is out of date
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"```console\n\$ (planner [^\n]*)\n(.*?)```", re.DOTALL)


def run(command: str) -> str:
    """Run ``planner ...`` in-process from the repository root and return its output."""
    from click.testing import CliRunner

    from planner.cli import cli

    args = shlex.split(command)[1:]
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
    finally:
        os.chdir(here)
    if result.exit_code != 0:
        raise RuntimeError(f"{command!r} exited {result.exit_code}: {result.output}")
    return result.stdout


def blocks(text: str) -> list[tuple[str, str]]:
    """The (command, output shown) pairs of the README's console blocks."""
    return [(m[1], m[2]) for m in BLOCK.finditer(text)]


def render(text: str) -> str:
    """The README with every console block's output replaced by a fresh run."""

    def fresh(match: re.Match) -> str:
        output = run(match[1]).rstrip("\n")
        return f"```console\n$ {match[1]}\n{output}\n```"

    return BLOCK.sub(fresh, text)


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    new = render(text)
    if "--check" in argv:
        if new != text:
            print("README.md console blocks are out of date: run python tools/readme.py")
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    print(f"updated {len(blocks(new))} console blocks in README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
