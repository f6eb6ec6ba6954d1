"""The Pod Security Admission conformance cases (tests/pss/conformance, laid out as upstream's
testdata) sent to the webhook over TLS as AdmissionReviews: with the PSS rules alone, each namespace
configured to one level and version, every ``pass`` Pod is admitted and every ``fail`` Pod denied,
naming the control(s) PSA names, exactly as Pod Security Admission decides. ``KUBEGUARD_PSA_TESTDATA``
(see tests/pss/test_pss_conformance.py) adds upstream's own testdata."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from kubeguard.analyzers.pss.controls import CONTROL_BY_CHECK
from tests.pss.test_pss_conformance import cases, expected_checks
from tests.serve.servers import Pki
from tests.webhook.reviews import body
from tests.webhook.server import Webhook, webhook

CASES = [p.values for p in cases()]


def _namespace(level: str, version: str) -> str:
    return f"{level}-{version.replace('.', '-')}"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Webhook]:
    tmp = tmp_path_factory.mktemp("pss")
    pairs = sorted({(level, version) for level, version, _, _ in CASES})
    config = {
        "admission": {
            "namespaces": [
                {"names": [_namespace(level, version)], "pss": f"{level}:{version}"}
                for level, version in pairs
            ]
        }
    }
    with webhook(tmp, Pki(tmp), "--select", "PSS", "--fail-on", "info", config=config) as running:
        yield running


def test_every_conformance_case_is_decided_as_pod_security_admission_does(server: Webhook) -> None:
    assert CASES, "no conformance cases found"
    conn = server.connect()
    wrong = []
    for level, version, outcome, path in CASES:
        pod = yaml.safe_load(Path(path).read_text())
        namespace = _namespace(level, version)
        pod.setdefault("metadata", {})["namespace"] = namespace
        status, text = server.post("/validate", body(pod, namespace=namespace), conn)
        assert status == 200, text
        response = json.loads(text)["response"]
        if response["allowed"] != (outcome == "pass"):
            wrong.append(f"{level}:{version} {outcome}/{Path(path).name}: allowed={response['allowed']}")
            continue
        checks = expected_checks(Path(path), level)
        if outcome == "fail" and checks is not None:
            codes = {CONTROL_BY_CHECK[c].code for c in checks}
            if not any(f"\n{code} " in response["status"]["message"] for code in codes):
                wrong.append(f"{level}:{version} {Path(path).name}: none of {sorted(codes)} named")
    conn.close()
    assert not wrong, "\n".join(wrong)
