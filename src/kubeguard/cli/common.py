"""Options and helpers shared by commands: output handling, exit codes, errors."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_UNREADABLE = 3


def write_output(text: str, output: str | None) -> None:
    """Write to ``--output FILE`` or stdout."""
    if output and output != "-":
        try:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            raise click.UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def fail_usage(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(EXIT_USAGE)


def output_option(f: F) -> F:
    return click.option(
        "--output",
        "-o",
        "output",
        metavar="FILE",
        default=None,
        help="Write the report to FILE instead of standard output.",
    )(f)


def format_option(choices: tuple[str, ...], default: str = "table") -> Callable[[F], F]:
    def deco(f: F) -> F:
        return click.option(
            "--format",
            "-f",
            "fmt",
            type=click.Choice(choices),
            default=default,
            show_default=True,
            help="Output format: " + ", ".join(choices) + ".",
        )(f)

    return deco
