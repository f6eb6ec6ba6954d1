"""The credential detectors, the redaction helper and the Secret object reader, unit by unit."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kubeguard.analyzers.secrets.detect import (
    credential_kind_for_name,
    is_literal_secret,
    is_placeholder,
    scan_arguments,
    scan_named,
    scan_text,
)
from kubeguard.analyzers.secrets.objects import (
    SecretValue,
    classify,
    decode_base64,
    is_sops_encrypted,
    safe_alternative,
)
from kubeguard.compliance import controls_for
from kubeguard.engine.registry import all_rules, select_rules
from kubeguard.engine.runner import evaluate
from kubeguard.findings.report import Evaluation
from kubeguard.loading.documents import parse_text
from kubeguard.model.pointer import Pointer
from kubeguard.model.redact import MAX_SHOWN, hint, shown_prefix
from kubeguard.model.resource import Resource, SourceLocation
from kubeguard.rules.context import ScanContext


# --- redaction ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "(0 chars)"),
        ("a", "(1 char)"),
        ("hunter2", "(7 chars)"),
        ("123456789", "(9 chars)"),
        ("Tr0ub4dor&3", "Tr… (11 chars)"),
        ("AKIAGMXG9EDN581U33XT", "AKIA… (20 chars)"),
        ('ab"cdefghijklmnopq', "ab… (18 chars)"),  # stops at a quote
        (" leading-space-value", "(20 chars)"),
        ("ünïcode-secret-value", "(20 chars)"),
        (b"\xff\xfe\x00binary", "(9 bytes of binary data)"),
        (b"utf8-bytes-value-123", "utf8… (20 chars)"),
    ],
)
def test_hint(value, expected):
    assert hint(value) == expected


@given(st.text(max_size=200))
def test_hint_never_shows_more_than_a_quarter_and_at_most_four_characters(value):
    prefix = shown_prefix(value)
    assert value.startswith(prefix)
    assert len(prefix) <= min(MAX_SHOWN, len(value) // 4)
    assert hint(value).endswith(f"({len(value)} {'char' if len(value) == 1 else 'chars'})")


# --- well-known formats ---------------------------------------------------------------------------
FORMATS = [
    ("AKIAGMXG9EDN581U33XT", "AWS access key ID"),
    ("ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d", "GitHub personal access token"),
    ("gho_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d", "GitHub OAuth token"),
    ("ghs_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d", "GitHub app token"),
    ("github_pat_11ABCDEFG0" + "x1Y2z3" * 12, "GitHub fine-grained personal access token"),
    ("glpat-KLzdocJ2isAjIhKtJ0Rl", "GitLab personal access token"),
    ("xoxb-703423667127-684268465632-fljoQoaF1LlqsajAIxNKu8iS", "Slack token"),
    ("https://hooks.slack.com/services/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", "Slack webhook URL"),
    ("sk_live_2G8NPRVdD53X83RZJzzzzgEO", "Stripe secret key"),
    ("AIzaZhyiA4uoRgnatmUdjAWtGSU8po_799NksnR", "Google API key"),
    (
        "AccountKey="
        + "N5N1aE6PwZPf1Qh6yYTWmE4lBYOvfZ8UzDzV8fUkkibjL5DZPjN0MEQ7wjJJibaZUPgHV7iB3m03nbqnsGpWLu==",
        "Azure storage account key",
    ),
    (
        "https://acct.blob.core.windows.net/c?sv=2022-11-02&sig=Zx81kLmq93PqN5N1aE6PwZPf1Qh6yYTWmE4lBYOv%3D",
        "Azure SAS token signature",
    ),
    ("npm_" + "a1B2c3D4e5" * 3 + "f6G7h8", "npm access token"),
    ("hvs.CAESIJ0p1bGljIGNlcnRpZmljYXRl", "HashiCorp Vault token"),
    (
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
        "OpenSSH private key",
    ),
    ("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI\n-----END EC PRIVATE KEY-----", "EC private key"),
    (
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkq\n-----END ENCRYPTED PRIVATE KEY-----",
        "encrypted private key",
    ),
    ("redis://:Zq8vL2pWm3@redis:6379/0", "Redis URL with an inline password"),
    ("mongodb+srv://app:Qm7xVt2pLk9@cluster0.mongodb.net/db", "MongoDB URL with an inline password"),
    ("amqp://orders:Qm7xVt2pLk9@rabbitmq:5672/", "AMQP URL with an inline password"),
    ("https://deploy:Qm7xVt2pLk9@git.internal/repo.git", "URL with an inline password"),
    ("Authorization: Bearer qIA1id6Vw5DQL05HA064GiIjHGb3CXlMaXZjljEN", "HTTP bearer token"),
    (
        "client-key-data: " + base64.b64encode(b"-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBx\n").decode(),
        "base64-encoded private key",
    ),
    (
        '{"auths": {"ghcr.io": {"auth": "' + base64.b64encode(b"deploy:Qm7xVt2pLk9").decode() + '"}}}',
        "docker registry credentials",
    ),
]


@pytest.mark.parametrize(("text", "kind"), FORMATS, ids=[k for _, k in FORMATS])
def test_well_known_formats(text, kind):
    found = scan_text(text)
    assert [d.kind for d in found] == [kind]
    assert found[0].value in text
    assert found[0].value not in found[0].describe()


def test_jwt_names_kubernetes_service_account_tokens():
    def jwt(payload: dict[str, object]) -> str:
        enc = [
            base64.urlsafe_b64encode(json.dumps(p).encode()).decode().rstrip("=")
            for p in ({"alg": "RS256"}, payload)
        ]
        return f"{enc[0]}.{enc[1]}.c2lnbmF0dXJlc2lnbmF0dXJlc2ln"

    assert (
        scan_text(jwt({"iss": "kubernetes/serviceaccount", "sub": "x"}))[0].kind
        == "Kubernetes service account token"
    )
    assert scan_text(jwt({"iss": "https://auth.example.org", "sub": "someone"}))[0].kind == "JSON Web Token"


@pytest.mark.parametrize(
    "text",
    [
        "AKIAIOSFODNN7EXAMPLE",  # AWS documentation key
        "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----",
        "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYI\n-----END PUBLIC KEY-----",
        "postgres://app@db:5432/app",
        "amqp://$(USER):$(PASSWORD)@rabbit:5672/",
        "redis://:${REDIS_PASSWORD}@redis:6379",
        "registry.example.com/app@sha256:0c3f7e3b2d1a4f5e6d7c8b9a0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6",
        "3f9a1b2c-4d5e-6f70-8192-a3b4c5d6e7f8",
        "9fceb02d0ae598e95dc970b74767f19372d61af8",
        "Authorization: Bearer $TOKEN",
        "password: {{ .Values.password }}",
        "password=${DB_PASSWORD}",
        "password: changeme",
        "secretName: my-tls",
        "secret: my-app-secret",
        "tokenPath: /var/run/secrets/tokens/vault",
        "--password-file=/etc/secret/pw",
        "export PWD=/home/app",
        "admin.password: correct horse battery staple",
        "kind: Secret",
        '{"auths": {"ghcr.io": {"auth": "' + base64.b64encode(b"no-colon-here").decode() + '"}}}',
        "caBundle: " + base64.b64encode(b"-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n").decode(),
    ],
)
def test_false_positive_traps_in_text(text):
    assert scan_text(text) == []


def test_assignments_name_their_key_and_line():
    text = (
        "url=jdbc:postgresql://db/app\nspring.datasource.password=P4ss-w0rd-1!\n<apiKey>Zx9!ab12Qw</apiKey>\n"
    )
    found = scan_text(text)
    assert [(d.kind, d.key, d.line) for d in found] == [
        ("password", "spring.datasource.password", 2),
        ("API key", "apiKey", 3),
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("dbpassword=Xk9!ab12", [("password", "dbpassword")]),
        ("mysqlRootPassword: Xk9!ab12", [("password", "mysqlRootPassword")]),
        ("x-api-key: Xk9!ab12zz", [("API key", "x-api-key")]),
        ('{"client_secret": "Xk9!ab12zz"}', [("client secret", "client_secret")]),
        ("cache_key=Xk9!ab12qq", []),
        ("monkey=Xk9!ab12", []),
        ("bypass=Xk9!ab12", []),
        ("pwd=Xk9!ab12", []),
    ],
)
def test_assignment_keys_are_judged_by_their_last_word(text, found):
    assert [(d.kind, d.key) for d in scan_text(text)] == found


def test_ado_connection_string_password():
    (d,) = scan_text("Server=db;Database=app;User Id=sa;Password=Abc123!xyz;")
    assert (d.kind, d.value) == ("password", "Abc123!xyz")


# --- names and literals ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("DB_PASSWORD", "password"),
        ("dbPassword", "password"),
        ("SMTP_PASS", "password"),
        ("PWD", None),
        ("PASS", None),
        ("PASSWORD_FILE", None),
        ("API_TOKEN", "API token"),
        ("GITHUB_TOKEN", "token"),
        ("REFRESH_TOKEN", "refresh token"),
        ("TOKEN_TTL", None),
        ("CLIENT_SECRET", "client secret"),
        ("clientSecret", "client secret"),
        ("SECRET_NAME", None),
        ("secretName", None),
        ("STRIPE_API_KEY", "API key"),
        ("apiKey", "API key"),
        ("AWS_SECRET_ACCESS_KEY", "AWS secret access key"),
        ("CACHE_KEY", None),
        ("SSH_PRIVATE_KEY", "private key"),
        ("PUBLIC_KEY", None),
        ("checksum/secret", None),
        ("PASSWORD_SHA256", None),
        ("example.com/api-token", "API token"),
        ("credentials", "credentials"),
        ("SECRET_KEY_BASE", "secret key base"),
    ],
)
def test_credential_names(name, kind):
    assert credential_kind_for_name(name) == kind


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        ("hunter2", True),
        ("s3cr3t!", True),
        ("Tr0ub4dor&3x", True),
        ("3f9a1b2c-4d5e-6f70-8192-a3b4c5d6e7f8", True),
        ("qazwsxedcrfvtgbyhnuj", True),
        ("admin", False),  # too short
        ("password", False),
        ("changeme", False),
        ("mysecretpassword", False),  # one character class, a phrase
        ("123456", False),
        ("my-tls-secret", False),
        ("use_vault_agent", False),
        ("/run/secrets/db/password", False),
        ("tls.key", False),
        ("https://vault.internal:8200", False),
        ("vault:secret/data/app#token", False),
        ("arn:aws:secretsmanager:eu-west-1:123456789012:secret:x", False),
        ("${TOKEN}", False),
        ("$(TOKEN)", False),
        ("{{ .Values.token }}", False),
        ("<redacted>", False),
        ("xxxxxxxx", False),
        ("********", False),
        ("example-password", False),
        ("ENC[AES256_GCM,data:abc,type:str]", False),
        ("ops@example.org", False),
        ("correct horse battery staple", False),
    ],
)
def test_literal_secret(value, literal):
    assert is_literal_secret(value) is literal


def test_placeholders():
    for value in (
        "",
        "  ",
        "changeme",
        "CHANGE_ME",
        "<your-token>",
        "TODO",
        "null",
        "__PASSWORD__",
        "@@TOKEN@@",
    ):
        assert is_placeholder(value), value
    assert not is_placeholder("hunter2")


def test_named_values_and_argument_flags():
    assert [d.kind for d in scan_named("DB_PASSWORD", "Tr0ub4dor&3x")] == ["password"]
    assert scan_named("DB_PASSWORD", "changeme") == []
    assert scan_named("LOG_LEVEL", "Tr0ub4dor&3x") == []  # not a credential name, no format
    assert [d.kind for d in scan_named("CONFIG", "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d")] == [
        "GitHub personal access token"
    ]
    found = scan_arguments(["--user", "bob", "--token", "Zx81kLmq93Pq", "--password", "$(PW)", 8080, "-p"])
    assert [(i, d.kind, d.key) for i, d in found] == [(3, "token", "--token")]


@settings(max_examples=300)
@given(st.text(max_size=300))
def test_scan_never_fails_and_values_come_from_the_text(text):
    for d in scan_text(text):
        assert d.value and d.value in text
    for _i, d in scan_arguments(text.split(" ")):
        assert d.value in text


# --- Secret objects -------------------------------------------------------------------------------
def _resource(raw: dict[str, object]) -> Resource:
    return Resource(raw, SourceLocation("mem.yaml"))


@pytest.mark.parametrize(
    ("value", "ok", "reason"),
    [
        ("aHVudGVyMg==", True, None),
        ("aHVudGVy\nMg==", True, None),  # line breaks are ignored, as by the API server
        ("aHVudGVyMg", False, "incorrect padding"),
        ("hunter2!", False, "characters outside the base64 alphabet"),
    ],
)
def test_decode_base64(value, ok, reason):
    decoded, error = decode_base64(value)
    assert (decoded is not None) is ok
    assert error == reason


def _value(key: str, text: str | bytes) -> SecretValue:
    data = text.encode() if isinstance(text, str) else text
    return SecretValue("data", key, Pointer(("data", key)), "", data)


def test_classify_names_what_a_secret_holds():
    dockercfg = json.dumps({"auths": {"ghcr.io": {"auth": "ZGVwbG95OnRva2Vu"}, "quay.io": {"auth": "eDp5"}}})
    assert classify("kubernetes.io/dockerconfigjson", _value(".dockerconfigjson", dockercfg)) == (
        "docker registry credentials for ghcr.io, quay.io"
    )
    assert (
        classify("kubernetes.io/tls", _value("tls.key", "-----BEGIN PRIVATE KEY-----\nx"))
        == "TLS private key"
    )
    assert classify("kubernetes.io/tls", _value("tls.crt", "-----BEGIN CERTIFICATE-----\nx")) is None
    assert classify("kubernetes.io/basic-auth", _value("username", "admin")) is None
    assert classify("kubernetes.io/basic-auth", _value("password", "admin")) == "password"
    assert classify("kubernetes.io/ssh-auth", _value("ssh-privatekey", "x" * 30)) == "SSH private key"
    assert classify("kubernetes.io/service-account-token", _value("namespace", "default")) is None
    assert classify(
        "Opaque", _value("aws_secret_access_key", "FxFkM+R5Kjp1vRt/1fjORS+6ilI8ihN5KXSc7Tvo")
    ) == ("AWS secret access key")
    assert classify("Opaque", _value("config", "Zx81kLmq93PqN5N1aE6P")) == "secret value"
    assert classify("Opaque", _value("environment", "production")) is None
    assert classify("Opaque", _value("keystore.p12", b"\x30\x82\xff\xfe")) == "binary data"


def test_safe_alternatives():
    assert (
        safe_alternative(_resource({"apiVersion": "bitnami.com/v1alpha1", "kind": "SealedSecret"}))
        == "SealedSecret"
    )
    assert safe_alternative(
        _resource({"apiVersion": "external-secrets.io/v1beta1", "kind": "ExternalSecret"})
    ) == ("ExternalSecret")
    sops = {"apiVersion": "v1", "kind": "Secret", "sops": {"mac": "ENC[...]", "version": "3.9.0"}}
    assert is_sops_encrypted(sops)
    assert safe_alternative(_resource(sops)) == "SOPS-encrypted"
    assert not is_sops_encrypted({"sops": "just a key called sops"})
    assert safe_alternative(_resource({"apiVersion": "v1", "kind": "Secret"})) is None


# --- error paths of the loader --------------------------------------------------------------------
CANARY = "Qz7kWp2xLm9vRt4n"


@pytest.mark.parametrize(
    "line",
    [
        f'password: "{CANARY}',  # unclosed quote
        f"password: !{CANARY}",  # a value read as a tag
        f"password: !!{CANARY} x",
        f"password: *{CANARY}",  # a value read as an alias
        f"password: &{CANARY} a\n  other: &{CANARY} b",  # duplicate anchor
        f'password: "{CANARY}\\q"',  # bad escape
        f"password: {CANARY}: x",  # mapping value in a plain scalar
        f"\tpassword: {CANARY}",  # a tab
        f"password: [{CANARY}",  # unclosed flow sequence
    ],
)
def test_yaml_errors_never_quote_the_offending_value(line):
    text = f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: x}}\ndata:\n  {line}\n"
    items = list(parse_text(text, "f.yaml"))
    errors = [str(i) for i in items if not isinstance(i, Resource)]
    assert errors, "the document should not load"
    for message in errors:
        for i in range(len(CANARY) - 4):
            assert CANARY[i : i + 5] not in message, message


def test_json_errors_never_quote_the_offending_value():
    text = '{"apiVersion": "v1", "kind": "Secret", "stringData": {"password": "' + CANARY + '\u0001"}}'
    (error,) = list(parse_text(text, "f.json", is_json=True))
    assert CANARY[:5] not in str(error)


# --- scope and compliance -------------------------------------------------------------------------
def test_rules_apply_only_to_their_kinds():
    resources = [
        _resource({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "b"}}),
        _resource({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}}),
    ]
    report = evaluate(ScanContext(resources), select_rules(all_rules(), ["SEC"]))
    cm, secret = (r.ref for r in resources)
    assert report.evaluations.get("SEC004", cm) is Evaluation.NOT_APPLICABLE
    assert report.evaluations.get("SEC001", secret) is Evaluation.NOT_APPLICABLE
    assert report.evaluations.get("SEC002", cm) is Evaluation.PASS
    assert report.evaluations.get("SEC004", secret) is Evaluation.PASS  # an empty Secret is not flagged
    assert report.evaluations.get("SEC003", secret) is Evaluation.PASS


def test_cis_mapping():
    assert controls_for("SEC006")["cis-1.12"] == ["5.4.1"]
    for code in ("SEC001", "SEC002", "SEC003", "SEC004"):
        assert "5.4.2" in controls_for(code)["cis-1.12"]
        assert "T1552.001" in controls_for(code)["mitre-attack"]
    assert "T1528" in controls_for("SEC005")["mitre-attack"]


def test_invalid_placeholder_setting_is_an_error_naming_it():
    from kubeguard.loading.config import ConfigError, parse_config
    from kubeguard.model.config import Config

    # Loading rejects such a file; a Config built in code still reaches the rules, which say so.
    with pytest.raises(ConfigError, match="placeholders\\[0\\] is not a valid regular expression"):
        parse_config({"secrets": {"placeholders": ["(unclosed"]}})
    resources = [
        _resource({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "b"}})
    ]
    config = Config(sections={"secrets": {"placeholders": ["(unclosed"]}})
    report = evaluate(ScanContext(resources, config=config), select_rules(all_rules(), ["SEC002", "SEC003"]))
    assert {e.rule for e in report.rule_errors} == {"SEC002", "SEC003"}
    assert all("secrets.placeholders" in e.message for e in report.rule_errors)
    config = Config(sections={"secrets": {"placeholders": "not-a-list"}})
    report = evaluate(ScanContext(resources, config=config), select_rules(all_rules(), ["SEC002"]))
    assert "must be a list" in report.rule_errors[0].message


def test_messages_read_well():
    from kubeguard.analyzers.secrets.detect import with_article

    assert with_article("password") == "a password"
    assert with_article("AWS access key ID") == "an AWS access key ID"
    assert with_article("JSON Web Token") == "a JSON Web Token"
    assert with_article("OpenSSH private key") == "an OpenSSH private key"
    assert (
        with_article("docker registry credentials for ghcr.io") == "docker registry credentials for ghcr.io"
    )
