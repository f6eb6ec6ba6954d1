"""Settings for the whole test suite.

Hypothesis' default 200 ms deadline per example is a wall-clock limit: on a shared 2-core machine a
slow moment fails a correct property test. The project measures speed in `benchmarks/`, never in unit
tests, so every property test runs without a deadline; example counts stay as each test sets them.
"""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("kubeguard", deadline=None)
settings.load_profile("kubeguard")
