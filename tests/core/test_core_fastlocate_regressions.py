"""Regressions of the fast line locator: a flow collection on the line after its key, and a walk
that stops early, must not send a later field to an ancestor's line."""

from __future__ import annotations

from kubeguard.loading.fastlocate import Lines, fast_locate

TEXT = """\
spec:
  nodeSelector:
    {}
  tolerations:
    []
  serviceAccountName: app
"""


def test_flow_collection_on_the_next_line_is_skipped_and_the_walk_goes_on():
    lines = Lines(TEXT)
    assert fast_locate(lines, 0, ["spec", "tolerations"]) == (3, 2)
    assert fast_locate(lines, 0, ["spec", "serviceAccountName"]) == (5, 2)
    assert fast_locate(lines, 0, ["spec", "nodeSelector", "x"]) is None  # inside the unmodelled value


def test_a_walk_that_stops_early_does_not_guess():
    # The walker does not model a quoted key with an escape: it stops there, so "d" below is not
    # indexed and must not be reported at its ancestor's line (the composer finds it).
    lines = Lines('spec:\n  a:\n    "x\\"y": 2\n  d: 3\n')
    assert fast_locate(lines, 0, ["spec", "a"]) == (1, 2)
    assert fast_locate(lines, 0, ["spec", "d"]) is None
