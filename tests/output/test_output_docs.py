"""docs/output.md shows what kubeguard prints: its examples are fresh runs (see doc_examples.py)."""

from __future__ import annotations

from tests.output.doc_examples import PAGE, examples, generate


def test_output_page_has_examples_of_every_format():
    specs = examples(PAGE.read_text(encoding="utf-8"))
    assert any("-f json" in s for s in specs) and any("-f sarif" in s for s in specs)
    assert any("-f junit" in s for s in specs)
    assert any(" -f " not in s for s in specs)  # the table


def test_output_page_examples_are_current():
    page = PAGE.read_text(encoding="utf-8")
    assert generate(page) == page, "docs/output.md is stale: run `python -m tests.output.doc_examples`"
