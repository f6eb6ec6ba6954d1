"""Options and helpers shared by commands: output handling, exit codes, errors."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from kubeguard.reporters.layout import Screen, clean

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


def screen_for(output: str | None) -> Screen:
    """How text for people is laid out: to the terminal's width when it goes to a terminal, else plain."""
    return Screen.detect(sys.stdout, to_file=bool(output and output != "-"))


def note(message: str) -> None:
    """A warning or note for people on stderr; input text in it is shown escaped (see ``layout.clean``)."""
    click.echo(clean(message), err=True)


def fail_usage(message: str) -> None:
    note(f"Error: {message}")
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


def format_option(
    choices: Sequence[str], default: str = "table", help: str | None = None
) -> Callable[[F], F]:
    """``--format/-f`` (into ``fmt``), one of ``choices``."""

    def deco(f: F) -> F:
        return click.option(
            "--format",
            "-f",
            "fmt",
            type=click.Choice(list(choices)),
            default=default,
            show_default=True,
            help=help or "Output format: " + ", ".join(choices) + ".",
        )(f)

    return deco


def fail_on_option(f: F) -> F:
    """``--fail-on`` (into ``fail_on``): the lowest severity that makes the run exit 1."""
    from kubeguard.rules.rule import Severity

    return click.option(
        "--fail-on",
        type=click.Choice([s.label for s in Severity]),
        default="low",
        show_default=True,
        help="Exit 1 when an unsuppressed finding has this severity or higher.",
    )(f)
