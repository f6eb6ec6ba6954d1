"""The store's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL.

``scans`` holds one row per stored scan; its JSON-valued columns are text written by us, so both
databases hold the same bytes. ``findings`` holds the scan's findings in the JSON report's finding
shape (``data``), plus the columns the dashboard and ``history`` filter and match on. Secrets are
never stored: a finding carries only what the reports carry (messages are redacted at the source).
Changing a table means a new migration in :mod:`kubeguard.store.migrate`, never an edit of an old one.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

schema_version = sa.Table(
    "kubeguard_schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("applied", sa.Text, nullable=False),
)

scans = sa.Table(
    "kubeguard_scans",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("time", sa.Text, nullable=False),  # ISO 8601 UTC: sorts as it reads
    sa.Column("command", sa.Text, nullable=False),
    sa.Column("source_key", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("options", sa.Text, nullable=False),
    sa.Column("timing", sa.Text, nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("scores", sa.Text, nullable=False),
    sa.Column("tool_version", sa.Text, nullable=False),
    sa.Column("findings_count", sa.Integer, nullable=False),
    sa.Index("ix_kubeguard_scans_source_time", "source_key", "time"),
)

findings = sa.Table(
    "kubeguard_findings",
    metadata,
    sa.Column("scan_id", sa.Integer, sa.ForeignKey("kubeguard_scans.id", ondelete="CASCADE"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),  # the finding's place in the report
    sa.Column("fingerprint", sa.Text, nullable=False),
    sa.Column("rule", sa.Text, nullable=False),
    sa.Column("severity", sa.Text, nullable=False),
    sa.Column("namespace", sa.Text, nullable=True),
    sa.Column("suppressed", sa.Boolean, nullable=False),
    sa.Column("data", sa.Text, nullable=False),
    sa.PrimaryKeyConstraint("scan_id", "seq"),
    # a finding's history across scans (its detail page) and diffs by fingerprint
    sa.Index("ix_kubeguard_findings_fingerprint", "fingerprint", "scan_id"),
)

#: A scan's findings in report order with every column the dashboard filters on and a diff
#: matches by: counts, filter choices, the places of a filtered page and a diff's fingerprints
#: are read from this index alone, never from the rows and their JSON (migration 2).
findings_scan_index = sa.Index(
    "ix_kubeguard_findings_scan",
    findings.c.scan_id,
    findings.c.seq,
    findings.c.severity,
    findings.c.rule,
    findings.c.namespace,
    findings.c.suppressed,
    findings.c.fingerprint,
)
