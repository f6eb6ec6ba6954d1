"""The examples in docs/output.md, generated from real runs of kubeguard.

Each example in the page sits between two marker comments::

    <!-- example: scan examples/insecure --select PSS002 -f json | first findings rules -->
    ```json
    ...
    ```
    <!-- /example -->

The words before ``|`` are ``kubeguard`` arguments, run from the repository root (output is not a
terminal, so tables are plain lines). After ``|``, for JSON output: ``first KEY...`` keeps only the
first element of each listed array (dotted paths: ``runs.0.results``), ``pick PATH`` shows one element;
for a multi-document YAML stream, ``first`` applies to each document. Runs set ``SOURCE_DATE_EPOCH``
so that reports that carry a time (PolicyReport) are the same on every run.
``tests/output/test_output_docs.py`` fails when the page differs from a fresh run; regenerate with::

    python -m tests.output.doc_examples
"""

from __future__ import annotations

import json
import os
import re
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from kubeguard.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "output.md"
SOURCE_DATE_EPOCH = "1796302800"  # 2026-12-03T12:20:00Z
_EXAMPLE = re.compile(r"(<!-- example: (.+?) -->\n)```(\w*)\n.*?```\n(<!-- /example -->)", re.S)


@contextmanager
def _at_root() -> Iterator[None]:
    before = os.getcwd()
    os.chdir(ROOT)
    try:
        yield
    finally:
        os.chdir(before)


def _walk(doc: Any, path: str) -> Any:
    for part in path.split("."):
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    return doc


def _shape(text: str, steps: list[str]) -> str:
    if not steps:
        return text
    if text.startswith("---"):
        docs = [_shape_doc(doc, steps) for doc in yaml.safe_load_all(text)]
        return yaml.safe_dump_all(docs, sort_keys=False, explicit_start=True, width=2**16)
    return json.dumps(_shape_doc(json.loads(text), steps), indent=2) + "\n"


def _shape_doc(doc: Any, steps: list[str]) -> Any:
    verb, *paths = steps
    if verb == "pick":
        doc = _walk(doc, paths[0])
    elif verb == "first":
        for path in paths:
            parent, _, key = path.rpartition(".")
            holder = _walk(doc, parent) if parent else doc
            holder[key] = holder[key][:1]
    else:
        raise ValueError(f"unknown example step {verb!r}")
    return doc


def run(spec: str) -> str:
    """The output of one example: ``ARGS [| STEP...]``."""
    args, _, steps = spec.partition("|")
    with _at_root():
        result = CliRunner().invoke(cli, shlex.split(args), env={"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise RuntimeError(f"example {spec!r} failed: {result.exception!r}")
    return _shape(result.stdout, steps.split())


def generate(page: str) -> str:
    """``page`` with every example replaced by a fresh run."""

    def fresh(m: re.Match[str]) -> str:
        return f"{m.group(1)}```{m.group(3)}\n{run(m.group(2))}```\n{m.group(4)}"

    return _EXAMPLE.sub(fresh, page)


def examples(page: str) -> list[str]:
    return [m.group(2) for m in _EXAMPLE.finditer(page)]


if __name__ == "__main__":
    PAGE.write_text(generate(PAGE.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)}")
