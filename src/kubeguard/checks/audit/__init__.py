"""AUD: rules over Kubernetes audit events (``kubeguard audit``), one module per rule.

Each module defines ``RULE = AuditRule(...)`` (see :mod:`kubeguard.rules.audit`); shared helpers
for reading events are in ``_events.py``. Fixtures: ``tests/checks/audit/<CODE>_<slug>/cases.yaml``.
"""
