"""``kubeguard webhook manifests``: a complete deployment that passes ``kubeguard scan`` with no finding,
with the webhook configuration the issue asks for, a certificate the API server will accept, and a
registration that covers every kind the admission rules judge."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from kubeguard.api import scan, select
from kubeguard.cli.main import cli
from kubeguard.webhook.manifests import EXCLUDED, RESOURCES
from kubeguard.webhook.review import admission_rules

IMAGE = "registry.example/kubeguard@sha256:" + "c" * 64


def manifests(tmp_path: Path, *args: str) -> tuple[Path, list[dict[str, Any]]]:
    out = tmp_path / "webhook.yaml"
    result = CliRunner().invoke(
        cli, ["webhook", "manifests", "--namespace", "guard", "--image", IMAGE, "-o", str(out), *args]
    )
    assert result.exit_code == 0, result.output
    return out, [d for d in yaml.safe_load_all(out.read_text()) if d]


def by_kind(objects: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    (found,) = [o for o in objects if o["kind"] == kind]
    return found


@pytest.mark.parametrize("args", [(), ("--cert-manager",)], ids=["self-signed", "cert-manager"])
def test_manifests_pass_the_scan_with_no_finding(tmp_path: Path, args: tuple[str, ...]) -> None:
    path, objects = manifests(tmp_path, *args)
    report = scan([str(path)])
    assert [f"{f.rule.code} {f.object} {f.pointer}: {f.message}" for f in report.active_findings()] == []
    assert not report.errors and not report.rule_errors and report.exit_code() == 0
    # the one suppressed finding: the serving key in the Secret made when cert-manager is not used
    suppressed = [(f.rule.code, str(f.object)) for f in report.findings if f.suppressed]
    assert suppressed == ([] if args else [("SEC004", "Secret/guard/kubeguard-webhook-tls")])
    kinds = [o["kind"] for o in objects]
    expected = [
        "Namespace",
        "ServiceAccount",
        "ConfigMap",
        "ResourceQuota",
        "NetworkPolicy",
        "NetworkPolicy",
        "Deployment",
        "PodDisruptionBudget",
        "Service",
    ]
    assert kinds[: len(expected)] == expected
    assert kinds[len(expected) :] == (["Issuer", "Certificate"] if args else ["Secret"]) + [
        "ValidatingWebhookConfiguration"
    ]


def test_the_deployment_and_the_webhook_configuration(tmp_path: Path) -> None:
    _, objects = manifests(tmp_path)
    deploy = by_kind(objects, "Deployment")
    spec = deploy["spec"]
    assert deploy["metadata"]["namespace"] == "guard" and spec["replicas"] == 2
    pod = spec["template"]["spec"]
    anti = pod["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"][0]
    assert anti["podAffinityTerm"]["topologyKey"] == "kubernetes.io/hostname"
    (container,) = pod["containers"]
    assert container["image"] == IMAGE
    assert container["args"][:2] == ["webhook", "serve"]
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": 8443, "scheme": "HTTPS"}
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert set(container["resources"]) == {"requests", "limits"}
    assert by_kind(objects, "PodDisruptionBudget")["spec"]["minAvailable"] == 1
    (hook,) = by_kind(objects, "ValidatingWebhookConfiguration")["webhooks"]
    assert hook["failurePolicy"] == "Fail"
    assert hook["sideEffects"] == "None"
    assert hook["timeoutSeconds"] == 5
    assert hook["matchPolicy"] == "Equivalent"
    assert hook["admissionReviewVersions"] == ["v1"]
    assert hook["namespaceSelector"] == {
        "matchExpressions": [
            {"key": "kubernetes.io/metadata.name", "operator": "NotIn", "values": ["guard", "kube-system"]}
        ]
    }
    assert hook["clientConfig"]["service"] == {
        "namespace": "guard",
        "name": "kubeguard-webhook",
        "path": "/validate",
        "port": 443,
    }
    assert all(rule["operations"] == ["CREATE", "UPDATE"] for rule in hook["rules"])


def test_self_signed_ca_bundle_verifies_the_served_certificate(tmp_path: Path) -> None:
    _, objects = manifests(tmp_path)
    (hook,) = by_kind(objects, "ValidatingWebhookConfiguration")["webhooks"]
    ca = x509.load_pem_x509_certificate(base64.b64decode(hook["clientConfig"]["caBundle"]))
    secret = by_kind(objects, "Secret")
    assert secret["type"] == "kubernetes.io/tls"
    served = x509.load_pem_x509_certificate(base64.b64decode(secret["data"]["tls.crt"]))
    public = ca.public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    public.verify(served.signature, served.tbs_certificate_bytes, ec.ECDSA(hashes.SHA256()))
    names = served.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
        x509.DNSName
    )
    assert "kubeguard-webhook.guard.svc" in names
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True


def test_cert_manager_injects_the_ca_bundle(tmp_path: Path) -> None:
    _, objects = manifests(tmp_path, "--cert-manager")
    config = by_kind(objects, "ValidatingWebhookConfiguration")
    assert config["metadata"]["annotations"] == {
        "cert-manager.io/inject-ca-from": "guard/kubeguard-webhook-tls"
    }
    assert "caBundle" not in config["webhooks"][0]["clientConfig"]
    certificate = by_kind(objects, "Certificate")
    assert certificate["spec"]["secretName"] == "kubeguard-webhook-tls"
    assert "kubeguard-webhook.guard.svc" in certificate["spec"]["dnsNames"]


def test_registration_covers_every_kind_the_admission_rules_judge() -> None:
    registered = {kind for resources in RESOURCES.values() for _, kind in resources}
    named: set[str] = set()
    for rule in admission_rules(select()):
        scope = rule.applies_to
        named |= set(scope.kinds or scope.candidate_kinds or ())
    assert named - registered - set(EXCLUDED) == set()
    assert not registered & set(EXCLUDED)
    from kubeguard.model.kinds import BUILTIN_WORKLOAD_KINDS

    assert set(BUILTIN_WORKLOAD_KINDS) <= registered  # the workload rules' scope
