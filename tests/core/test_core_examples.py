"""The bundled examples: the insecure variant trips every family at the right lines; the hardened one is clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubeguard.api import scan
from kubeguard.loading.config import parse_config

EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture(scope="module")
def insecure():
    return scan([str(EXAMPLES / "insecure")], config=parse_config(None))


def test_hardened_variant_is_clean():
    report = scan([str(EXAMPLES / "hardened")], config=parse_config(None))
    assert report.errors == [] and report.rule_errors == []
    assert [(f.rule.code, str(f.object), f.message) for f in report.findings] == []
    assert report.exit_code() == 0


def test_insecure_variant_trips_every_family(insecure):
    families = {f.rule.family for f in insecure.findings}
    assert {"PSS", "WKL", "IMG", "SEC", "RBAC", "NET"} <= families
    assert insecure.errors == [] and insecure.rule_errors == []
    assert insecure.exit_code() == 1


@pytest.mark.parametrize(
    ("slug", "file", "text"),
    [
        ("privileged-containers", "deployment.yaml", "privileged: true"),
        ("host-namespaces", "deployment.yaml", "hostNetwork: true"),
        ("host-ports", "deployment.yaml", "hostPort: 8080"),
        ("low-run-as-user", "deployment.yaml", "runAsUser: 0"),
        # a missing field points at the key that should hold it
        ("writable-root-filesystem", "deployment.yaml", "securityContext:"),
        ("container-runtime-socket-mount", "deployment.yaml", "path: /var/run/docker.sock"),
        ("image-tag-latest-or-missing", "deployment.yaml", "image: nginx:latest"),
        ("hardcoded-credential-in-container", "deployment.yaml", "value: AKIA"),
        ("credential-in-configmap", "configmap.yaml", "DATABASE_URL:"),
        ("plain-secret-committed", "secret.yaml", "password:"),
        ("service-external-ips", "service.yaml", "externalIPs:"),
        ("ingress-ssl-redirect-disabled", "ingress.yaml", "ssl-redirect"),
        ("wildcard-permissions", "rbac.yaml", 'apiGroups: ["*"]'),
        ("cluster-admin-binding", "rbac.yaml", "- kind: ServiceAccount\n    name: web"),
        ("ingress-from-anywhere", "networkpolicy.yaml", "cidr: 0.0.0.0/0"),
    ],
)
def test_insecure_findings_point_at_the_offending_line(insecure, slug, file, text):
    path = EXAMPLES / "insecure" / file
    lines = {f.line for f in insecure.findings if f.rule.slug == slug and f.file == str(path)}
    assert lines, f"no {slug} finding in {file}"
    assert line_of(path, text) in lines, (slug, sorted(lines))


def line_of(path: Path, text: str) -> int:
    content = path.read_text()
    index = content.find(text)
    assert index >= 0, f"{text!r} not in {path}"
    return content.count("\n", 0, index) + 1
