"""AUD: rules over Kubernetes audit events (``kubeguard audit``), one module per rule.

Each module defines ``RULE = AuditRule(...)`` (see :mod:`kubeguard.rules.audit`); shared helpers
for reading events are in ``_events.py``. Rules that differ only in data are built by a template
(``_activity.py``, ``_role_grants.py``, ``_auth_failures.py``, ``_node_join.py``), each rule still in
its own module with its docstring as its documentation. Fixtures:
``tests/checks/audit/<CODE>_<slug>/cases.yaml``.
"""
