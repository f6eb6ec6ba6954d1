"""Every command's --help at 80 columns: no line wider than the terminal, and epilogs laid out as
written (a literal ``\\b`` in the text means click did not see its no-rewrap marker, and the
examples were run together into one paragraph)."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from kubeguard.cli.main import cli


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
