"""The webhook served over real TLS on loopback: answers, modes, endpoints, every malformed body with
HTTP 400 (the server staying up), the 3 MiB limit read incrementally, and certificate reload."""

from __future__ import annotations

import json
import re
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serve.servers import Pki, wait_for
from tests.webhook.reviews import body, deployment, pod
from tests.webhook.server import Webhook, webhook

CONFIG = {
    "admission": {
        "namespaces": [{"names": ["warned"], "mode": "warn"}, {"names": ["audited"], "mode": "audit"}],
        "exemptions": {"namespaces": ["kube-system"]},
    }
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Webhook]:
    tmp = tmp_path_factory.mktemp("webhook")
    with webhook(tmp, Pki(tmp), config=CONFIG) as running:
        yield running


def answer(server: Webhook, raw: bytes, conn: object = None) -> dict[str, object]:
    status, text = server.post("/validate", raw, conn)  # type: ignore[arg-type]
    assert status == 200, text
    response: dict[str, object] = json.loads(text)["response"]
    return response


def test_enforce_warn_and_audit_over_tls(server: Webhook) -> None:
    conn = server.connect()  # one keep-alive connection for several reviews
    assert answer(server, body(deployment(), uid="a"), conn) == {"uid": "a", "allowed": True}
    denied = answer(server, body(pod(privileged=True), uid="b"), conn)
    assert denied["allowed"] is False and denied["uid"] == "b"
    assert "PSS002 Privileged container" in denied["status"]["message"]  # type: ignore[index]
    warned = answer(server, body(pod(namespace="warned", privileged=True), namespace="warned"), conn)
    assert warned["allowed"] is True and warned["warnings"][0].startswith("kubeguard PSS002")  # type: ignore[index]
    audited = answer(server, body(pod(namespace="audited", privileged=True), namespace="audited"), conn)
    assert audited["allowed"] is True
    assert audited["auditAnnotations"]["findings"].startswith("PSS002")  # type: ignore[index]
    exempt = answer(
        server, body(pod(namespace="kube-system", privileged=True), namespace="kube-system"), conn
    )
    assert exempt["allowed"] is True and exempt["auditAnnotations"] == {"exempt": "namespace"}
    conn.close()


def test_health_readiness_metrics_and_routes(server: Webhook) -> None:
    assert server.get("/healthz") == (200, b"ok\n")
    assert server.get("/readyz") == (200, b"ok\n")
    answer(server, body(pod(privileged=True)))
    status, metrics = server.get("/metrics")
    assert status == 200
    denied = re.search(rb'^kubeguard_webhook_reviews_total\{decision="denied"\} (\d+)$', metrics, re.M)
    assert denied and int(denied.group(1)) >= 1
    assert re.search(
        rb'^kubeguard_webhook_rule_findings_total\{rule="PSS002",decision="denied"\} \d+$', metrics, re.M
    )
    assert re.search(rb'^kubeguard_webhook_review_seconds_bucket\{le="\+Inf"\} \d+$', metrics, re.M)
    assert server.get("/validate")[0] == 405
    assert server.get("/nowhere")[0] == 404


BAD_BODIES = [
    (b"{not json", "the body is not JSON"),
    (b'"a string"', "the body is a string, not an AdmissionReview"),
    (
        b'{"apiVersion": "admission.k8s.io/v1beta1", "kind": "AdmissionReview", "request": {"uid": "x"}}',
        "not an AdmissionReview admission.k8s.io/v1",
    ),
    (
        b'{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"operation": "CREATE", "object": {}}}',
        "request.uid is missing or empty",
    ),
    (body([1, 2]), "request.object is a list, not a mapping"),
    (b"", "the body is not JSON"),
]


@pytest.mark.parametrize(("raw", "message"), BAD_BODIES)
def test_malformed_bodies_get_400_and_the_server_stays_up(server: Webhook, raw: bytes, message: str) -> None:
    status, text = server.post("/validate", raw)
    assert status == 400
    assert message in text.decode()
    assert server.get("/healthz")[0] == 200


def test_a_declared_body_over_3_mib_is_refused_unread(server: Webhook) -> None:
    sock = server.context.wrap_socket(  # type: ignore[union-attr]
        __import__("socket").create_connection(("127.0.0.1", server.port)), server_hostname="127.0.0.1"
    )
    with sock:
        sock.sendall(
            b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 3145729\r\n\r\n"
        )
        reply = _read_reply(sock)
    assert reply.startswith(b"HTTP/1.1 400")
    assert b"larger than 3145728 bytes" in reply


def test_a_chunked_body_is_refused_once_past_3_mib(server: Webhook) -> None:
    import socket

    sock = server.context.wrap_socket(  # type: ignore[union-attr]
        socket.create_connection(("127.0.0.1", server.port)), server_hostname="127.0.0.1"
    )
    with sock:
        sock.sendall(b"POST /validate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b" " * 65536
        sent = 0
        try:
            while sent < 8 * 1024 * 1024:  # the server answers before all of it arrives
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass
        reply = _read_reply(sock)
    assert reply.startswith(b"HTTP/1.1 400"), reply[:200]
    assert b"larger than 3145728 bytes" in reply
    assert server.get("/healthz")[0] == 200


def _read_reply(sock: ssl.SSLSocket) -> bytes:
    sock.settimeout(30)
    data = b""
    try:
        while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"\n"):
            more = sock.recv(65536)
            if not more:
                break
            data += more
    except (ConnectionResetError, ssl.SSLError, TimeoutError):
        pass
    return data


def test_certificate_rotation_keeps_connections(tmp_path: Path) -> None:
    pki = Pki(tmp_path)
    with webhook(tmp_path, pki) as server:
        kept = server.connect()
        assert answer(server, body(pod()), kept)["allowed"] is True
        renewed = pki.new_server_pair()
        pki.install(renewed)
        expected = ssl.PEM_cert_to_DER_cert(renewed.cert_pem.decode())

        wait_for(lambda: server.served_certificate() == expected, "the renewed certificate")
        assert answer(server, body(pod()), kept)["allowed"] is True  # the old connection still works
        kept.close()
