"""The policy engine at every version where a control changes: which checks run, overrides,
exemptions, and the exact admission wording."""

from __future__ import annotations

import pytest

from kubeguard.analyzers.pss import CHECKS, NEWEST_POLICY_MINOR, evaluate_pod
from kubeguard.analyzers.pss.policy import aggregate_message, checks_at
from tests.pss.helpers import failed, messages, pod_spec, restricted_ok


def ids(level, minor):
    return [cid for cid, _ in checks_at(level, minor)]


def test_privileged_level_runs_nothing():
    assert ids("privileged", NEWEST_POLICY_MINOR) == []
    assert failed(pod_spec(hostNetwork=True), "privileged", "latest") == []


def test_restricted_overrides_replace_baseline_checks():
    latest = ids("restricted", NEWEST_POLICY_MINOR)
    for overridden in ("hostPathVolumes", "capabilities_baseline", "seccompProfile_baseline", "procMount"):
        assert overridden not in latest
    for replacement in (
        "restrictedVolumes",
        "capabilities_restricted",
        "seccompProfile_restricted",
        "procMount_restricted",
    ):
        assert replacement in latest
    # before a restricted check exists, the baseline check it will replace still runs at restricted
    assert "capabilities_baseline" in ids("restricted", 21)
    assert "seccompProfile_baseline" in ids("restricted", 18)
    assert "procMount" in ids("restricted", 34)
    assert "hostPathVolumes" not in ids("restricted", 0)


def test_admission_order_is_baseline_ids_then_restricted_ids():
    latest = ids("restricted", NEWEST_POLICY_MINOR)
    levels = {c.id: c.level for c in CHECKS}
    baseline = [i for i in latest if levels[i] == "baseline"]
    restricted = [i for i in latest if levels[i] == "restricted"]
    assert latest == sorted(baseline) + sorted(restricted)


@pytest.mark.parametrize(
    ("version", "expected"),
    [("v1.7", []), ("v1.8", ["allowPrivilegeEscalation"]), ("latest", ["allowPrivilegeEscalation"])],
)
def test_allow_privilege_escalation_from_v1_8(version, expected):
    spec = restricted_ok()
    del spec["containers"][0]["securityContext"]["allowPrivilegeEscalation"]
    assert failed(spec, "restricted", version) == expected


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("v1.21", ["capabilities_baseline"]),
        ("v1.22", ["capabilities_restricted"]),
        ("latest", ["capabilities_restricted"]),
    ],
)
def test_capabilities_switch_to_restricted_at_v1_22(version, expected):
    spec = restricted_ok()
    spec["containers"][0]["securityContext"]["capabilities"]["add"] = ["SYS_ADMIN"]
    assert failed(spec, "restricted", version) == expected


def test_restricted_capabilities_before_v1_22_do_not_require_drop_all():
    spec = restricted_ok()
    del spec["containers"][0]["securityContext"]["capabilities"]
    assert failed(spec, "restricted", "v1.21") == []
    assert failed(spec, "restricted", "v1.22") == ["capabilities_restricted"]


@pytest.mark.parametrize(
    ("version", "expected"),
    [("v1.18", []), ("v1.19", ["seccompProfile_restricted"]), ("latest", ["seccompProfile_restricted"])],
)
def test_seccomp_fields_from_v1_19(version, expected):
    spec = restricted_ok(securityContext={"runAsNonRoot": True, "seccompProfile": {"type": "Unconfined"}})
    assert failed(spec, "restricted", version) == expected


def test_seccomp_annotations_only_before_v1_19():
    meta = {"annotations": {"seccomp.security.alpha.kubernetes.io/pod": "unconfined"}}
    spec = restricted_ok()
    assert failed(spec, "baseline", "v1.18", meta) == ["seccompProfile_baseline"]
    assert failed(spec, "restricted", "v1.18", meta) == ["seccompProfile_baseline"]
    assert failed(spec, "baseline", "v1.19", meta) == []
    assert messages(spec, "baseline", "v1.18", meta) == [
        'seccompProfile (forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined")'
    ]


@pytest.mark.parametrize(("version", "expected"), [("v1.22", []), ("v1.23", ["runAsUser"])])
def test_run_as_user_from_v1_23(version, expected):
    spec = restricted_ok()
    spec["containers"][0]["securityContext"]["runAsUser"] = 0
    assert failed(spec, "restricted", version) == expected


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("v1.24", ["allowPrivilegeEscalation", "capabilities_restricted", "seccompProfile_restricted"]),
        ("v1.25", []),
        ("latest", []),
    ],
)
def test_windows_pods_exempt_from_v1_25(version, expected):
    spec = pod_spec(os={"name": "windows"}, securityContext={"runAsNonRoot": True})
    assert failed(spec, "restricted", version) == expected


def test_windows_exemption_needs_exactly_windows():
    spec = pod_spec(os={"name": "Windows"}, securityContext={"runAsNonRoot": True})
    assert "allowPrivilegeEscalation" in failed(spec, "restricted", "latest")


def test_windows_pods_are_not_exempt_from_run_as_non_root():
    spec = pod_spec(os={"name": "windows"})
    assert failed(spec, "restricted", "latest") == ["runAsNonRoot"]


@pytest.mark.parametrize(
    ("level", "version", "expected"),
    [
        ("baseline", "v1.34", ["procMount"]),
        ("baseline", "v1.35", []),
        ("restricted", "v1.34", ["procMount", "runAsNonRoot", "runAsUser"]),
        ("restricted", "v1.35", ["procMount_restricted"]),
        ("restricted", "latest", ["procMount_restricted"]),
    ],
)
def test_user_namespace_relaxations_from_v1_35(level, version, expected):
    spec = restricted_ok(
        hostUsers=False, securityContext={"runAsUser": 0, "seccompProfile": {"type": "RuntimeDefault"}}
    )
    spec["containers"][0]["securityContext"]["procMount"] = "Unmasked"
    assert failed(spec, level, version) == expected


def test_host_users_true_or_unset_is_not_relaxed():
    for host_users in (True, None):
        spec = pod_spec(securityContext={"runAsUser": 0})
        if host_users is not None:
            spec["hostUsers"] = host_users
        assert "runAsUser" in failed(spec, "restricted", "latest")


@pytest.mark.parametrize(("version", "expected"), [("v1.33", []), ("v1.34", ["hostProbesAndHostLifecycle"])])
def test_probe_hosts_from_v1_34(version, expected):
    spec = pod_spec(
        containers=[
            {"name": "app", "image": "x", "livenessProbe": {"tcpSocket": {"host": "10.0.0.1", "port": 1}}}
        ]
    )
    assert failed(spec, "baseline", version) == expected


@pytest.mark.parametrize(
    ("name", "first_allowed"),
    [
        ("net.ipv4.ping_group_range", 0),
        ("net.ipv4.ip_local_reserved_ports", 27),
        ("net.ipv4.tcp_fin_timeout", 29),
        ("net.ipv4.tcp_wmem", 32),
        ("net.ipv4.tcp_notsent_lowat", 37),
        ("kernel.msgmax", None),
    ],
)
def test_sysctl_allow_list_per_version(name, first_allowed):
    spec = pod_spec(securityContext={"sysctls": [{"name": name, "value": "1"}]})
    for minor in range(NEWEST_POLICY_MINOR + 1):
        allowed = first_allowed is not None and minor >= first_allowed
        assert (failed(spec, "baseline", f"v1.{minor}") == []) == allowed, (name, minor)


def test_selinux_container_engine_t_from_v1_31():
    spec = pod_spec(securityContext={"seLinuxOptions": {"type": "container_engine_t"}})
    assert failed(spec, "baseline", "v1.30") == ["seLinuxOptions"]
    assert failed(spec, "baseline", "v1.31") == []


def test_future_versions_evaluate_as_latest():
    spec = pod_spec(securityContext={"sysctls": [{"name": "net.ipv4.tcp_notsent_lowat", "value": "1"}]})
    assert failed(spec, "restricted", "v1.99") == failed(spec, "restricted", "latest")


def test_app_armor_fields_checked_at_every_version():
    spec = pod_spec(securityContext={"appArmorProfile": {"type": "Unconfined"}})
    for version in ("v1.0", "v1.29", "latest"):
        assert failed(spec, "baseline", version) == ["appArmorProfile"]


def test_restricted_volumes_allow_image_volumes_at_every_version():
    spec = restricted_ok(volumes=[{"name": "d", "image": {"reference": "r/x:1"}}])
    assert failed(spec, "restricted", "v1.0") == []
    assert failed(spec, "restricted", "latest") == []


# --- wording -----------------------------------------------------------------------------------


def test_aggregated_wording_matches_admission():
    spec = {
        "initContainers": [{"name": "init", "image": "x"}],
        "containers": [
            {
                "name": "a",
                "image": "x",
                "securityContext": {"capabilities": {"add": ["SYS_ADMIN", "NET_RAW"]}},
            },
            {
                "name": "b",
                "image": "x",
                "securityContext": {"capabilities": {"drop": ["ALL"], "add": ["CHOWN"]}},
            },
        ],
        "securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
    }
    results = evaluate_pod(spec, {}, "restricted", NEWEST_POLICY_MINOR)
    assert [r.message for r in results] == [
        'allowPrivilegeEscalation != false (containers "init", "a", "b" must set '
        "securityContext.allowPrivilegeEscalation=false)",
        'unrestricted capabilities (containers "init", "a" must set securityContext.capabilities.drop=["ALL"]; '
        'containers "a", "b" must not include "CHOWN", "NET_RAW", "SYS_ADMIN" in securityContext.capabilities.add)',
    ]
    assert aggregate_message("restricted", "latest", results).startswith(
        'violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false ('
    )


@pytest.mark.parametrize(
    ("spec", "meta", "message"),
    [
        (pod_spec(hostNetwork=True, hostIPC=True), {}, "host namespaces (hostNetwork=true, hostIPC=true)"),
        (
            pod_spec(
                containers=[{"name": "a", "image": "x", "ports": [{"hostPort": 80}, {"hostPort": 443}]}]
            ),
            {},
            'hostPort (container "a" uses hostPorts 443, 80)',
        ),
        (
            pod_spec(
                volumes=[{"name": "a", "hostPath": {"path": "/"}}, {"name": "b", "hostPath": {"path": "/x"}}]
            ),
            {},
            'hostPath volumes (volumes "a", "b")',
        ),
        (
            pod_spec(securityContext={"seLinuxOptions": {"type": "spc_t", "user": "u", "role": "r"}}),
            {},
            'seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: type "spc_t"; '
            "user may not be set; role may not be set)",
        ),
        (
            pod_spec(securityContext={"seLinuxOptions": {"role": "r"}}),
            {},
            "seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: role may not be set)",
        ),
        (
            pod_spec(
                securityContext={"appArmorProfile": {"type": "Unconfined"}},
                containers=[
                    {"name": "a", "image": "x", "securityContext": {"appArmorProfile": {"type": "Bogus"}}}
                ],
            ),
            {"annotations": {"container.apparmor.security.beta.kubernetes.io/a": "unconfined"}},
            'forbidden AppArmor profiles (pod and container "a" and annotation must not set AppArmor profile type to '
            '"Bogus", "Unconfined", "container.apparmor.security.beta.kubernetes.io/a="unconfined"")',
        ),
        (
            pod_spec(
                securityContext={
                    "sysctls": [{"name": "b.x"}, {"name": "kernel.shm_rmid_forced"}, {"name": "a.x"}]
                }
            ),
            {},
            "forbidden sysctls (b.x, a.x)",
        ),
        (
            pod_spec(
                securityContext={"windowsOptions": {"hostProcess": True}},
                containers=[
                    {"name": "a", "image": "x", "securityContext": {"windowsOptions": {"hostProcess": True}}}
                ],
            ),
            {},
            'hostProcess (pod and container "a" must not set securityContext.windowsOptions.hostProcess=true)',
        ),
        (
            pod_spec(containers=[{"name": "a", "image": "x", "securityContext": {"procMount": "Unmasked"}}]),
            {},
            'procMount (container "a" must not set securityContext.procMount to "Unmasked")',
        ),
    ],
)
def test_baseline_wording(spec, meta, message):
    assert messages(spec, "baseline", "latest", meta) == [message]


def test_restricted_volume_wording():
    spec = restricted_ok(volumes=[{"name": "a", "nfs": {}}, {"name": "b", "hostPath": {}}, {"name": "c"}])
    # "c" names no source: the API server defaults it to emptyDir, so it is not a restricted type.
    assert messages(spec, "restricted", "latest") == [
        'restricted volume types (volumes "a", "b" use restricted volume types "hostPath", "nfs")'
    ]


def test_run_as_non_root_explicit_false_wins_over_implicit():
    spec = restricted_ok(
        securityContext={"runAsNonRoot": False, "seccompProfile": {"type": "RuntimeDefault"}}
    )
    spec["containers"].append(
        {
            "name": "b",
            "image": "x",
            "securityContext": {
                "allowPrivilegeEscalation": False,
                "capabilities": {"drop": ["ALL"]},
                "runAsNonRoot": False,
            },
        }
    )
    assert messages(spec, "restricted", "latest") == [
        'runAsNonRoot != true (pod and container "b" must not set securityContext.runAsNonRoot=false)'
    ]


def test_run_as_user_wording():
    spec = restricted_ok(
        securityContext={"runAsNonRoot": True, "runAsUser": 0, "seccompProfile": {"type": "RuntimeDefault"}}
    )
    assert messages(spec, "restricted", "latest") == ["runAsUser=0 (pod must not set runAsUser=0)"]


# --- nil, false, empty, garbage ----------------------------------------------------------------


def test_unset_versus_empty_lists():
    assert failed(pod_spec(securityContext={"sysctls": []}), "baseline", "latest") == []
    assert failed(pod_spec(volumes=[]), "restricted", "latest") == failed(pod_spec(), "restricted", "latest")
    empty_drop = restricted_ok()
    empty_drop["containers"][0]["securityContext"]["capabilities"] = {"drop": []}
    assert failed(empty_drop, "restricted", "latest") == ["capabilities_restricted"]


def test_nil_versus_false():
    spec = restricted_ok()
    spec["containers"][0]["securityContext"]["allowPrivilegeEscalation"] = None
    assert failed(spec, "restricted", "latest") == ["allowPrivilegeEscalation"]
    spec = pod_spec(containers=[{"name": "a", "image": "x", "securityContext": {"privileged": None}}])
    assert failed(spec, "baseline", "latest") == []
    spec = pod_spec(securityContext={"seccompProfile": None})
    assert failed(spec, "baseline", "latest") == []
    spec = pod_spec(securityContext={"seccompProfile": {}})  # present, type unset: not an allowed type
    assert failed(spec, "baseline", "latest") == ["seccompProfile_baseline"]


def test_run_as_user_false_is_not_zero():
    spec = restricted_ok(
        securityContext={
            "runAsNonRoot": True,
            "runAsUser": False,
            "seccompProfile": {"type": "RuntimeDefault"},
        }
    )
    assert failed(spec, "restricted", "latest") == []


@pytest.mark.parametrize(
    "spec",
    [
        {"containers": "nope"},
        {"containers": [None, 1, "x"], "securityContext": "x", "volumes": [1, None]},
        {
            "containers": [
                {
                    "name": 5,
                    "securityContext": {
                        "capabilities": {"add": [1, None], "drop": "ALL"},
                        "seLinuxOptions": "x",
                    },
                }
            ]
        },
        {"containers": [{"ports": "x", "livenessProbe": {"httpGet": "x"}, "lifecycle": {"preStop": []}}]},
        {
            "securityContext": {
                "sysctls": [None, {"name": None}],
                "windowsOptions": [],
                "appArmorProfile": "x",
            }
        },
    ],
)
def test_malformed_specs_never_crash(spec):
    for level in ("baseline", "restricted"):
        for version in ("v1.0", "v1.22", "latest"):
            evaluate_pod(
                spec,
                {"annotations": {"container.apparmor.security.beta.kubernetes.io/x": None}},
                level,
                int(version[3:]) if version != "latest" else NEWEST_POLICY_MINOR,
            )
