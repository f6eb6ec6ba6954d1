"""Pod sets an unsafe sysctl.

## What it does
Flags `spec.securityContext.sysctls` entries outside the safe set of the policy version
(*Sysctls*, baseline): kernel.shm_rmid_forced, net.ipv4.ip_local_port_range,
net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_unprivileged_port_start; from v1.27
net.ipv4.ip_local_reserved_ports; from v1.29 net.ipv4.tcp_keepalive_time, tcp_fin_timeout,
tcp_keepalive_intvl, tcp_keepalive_probes; from v1.32 net.ipv4.tcp_rmem, tcp_wmem; from v1.37
net.ipv4.tcp_slow_start_after_idle, tcp_notsent_lowat.

## Why it matters
Sysctls outside the safe set are not isolated per pod: they change the kernel for every
workload on the node or can disable protections.

## Example
```yaml
securityContext:
  sysctls:
    - name: kernel.msgmax   # forbidden sysctls (kernel.msgmax)
      value: "65536"
```

## Fix
Remove the sysctl, or tune it on the node for dedicated nodes instead of in the pod.

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/
- https://kubernetes.io/docs/concepts/security/pod-security-admission/
"""

from __future__ import annotations

from kubeguard.checks.pss._common import pss_rule
from kubeguard.rules.rule import Severity

RULE = pss_rule(
    "PSS010",
    "unsafe-sysctls",
    "Pod sets an unsafe sysctl",
    Severity.MEDIUM,
    "Set only sysctls from the safe set of your Kubernetes version.",
    cis=(),
)
