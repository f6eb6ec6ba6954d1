"""Every command's --help, and ``explain`` in a terminal, at 80 columns: no line wider than the terminal, and epilogs laid out as
written (a literal ``\\b`` in the text means click did not see its no-rewrap marker, and the
examples were run together into one paragraph)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner
from rich.console import Console
from rich.markdown import Markdown

from kubeguard.cli.main import cli
from kubeguard.cli.rules_cmd import explain_markdown
from kubeguard.engine.registry import find_rule
from kubeguard.rules.audit import AuditRule


def _commands(cmd: click.Command, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    yield path
    if isinstance(cmd, click.Group):
        ctx = click.Context(cmd)
        for name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, name)
            assert sub is not None
            yield from _commands(sub, (*path, name))


COMMANDS = list(_commands(cli, ()))


def test_every_command_is_walked() -> None:
    names = {" ".join(p) for p in COMMANDS}
    assert {"scan", "fix", "compliance", "audit serve", "history diff", "rbac who-can"} <= names


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "kubeguard")
def test_help_fits_80_columns_and_keeps_its_layout(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"], terminal_width=80)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert not [line for line in lines if "\\b" in line]
    assert not [line for line in lines if len(line) > 80]
    # each example stays on its own line: no line holds two of the command's examples
    if path:
        assert not [line for line in lines if line.count(f"kubeguard {path[0]} ") > 1]


@pytest.mark.parametrize("code", ["PSS017", "AUD063", "CP001", "NET017"])
def test_explain_in_a_terminal_keeps_each_fact_on_its_own_line(code: str) -> None:
    # what `kubeguard explain` prints to a terminal: the Markdown rendered by rich, 80 columns wide
    rule = find_rule(code)
    assert rule is not None
    console = Console(file=io.StringIO(), width=80, color_system=None)
    console.print(Markdown(explain_markdown(rule)))
    lines = [line.strip() for line in console.file.getvalue().splitlines()]  # type: ignore[attr-defined]
    starts = ["Severity: ", "Compliance: ", "Fix"]
    starts += ["Window: "] if isinstance(rule, AuditRule) and rule.burst is not None else []
    starts += ["Aliases: "] if rule.aliases else []
    for start in starts:
        assert [line for line in lines if line.startswith(start)], (start, lines[:12])
    # no fact runs into the one before it
    assert not [line for line in lines if " Compliance: " in line or " Fix (" in line or " Fix: " in line]
