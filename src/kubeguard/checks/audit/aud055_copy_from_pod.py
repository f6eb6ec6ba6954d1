"""Files copied out of a pod.

## What it does
Alerts when an exec into a pod (accepted) runs `tar` creating an archive on standard output
(`tar cf - PATH...`, any spelling of the `c` and `f` options, with `-` as the archive): the command
`kubectl cp POD:PATH LOCAL` runs to copy files out of a container. Copying into a pod (`tar xf -`)
is not alerted on. The message names the paths copied.

AUD001 reports the exec itself; this rule says what it was for.

## Why it matters
`kubectl cp` is the simplest way to take data out of a cluster: database files, configuration,
mounted secrets and service account tokens, without any network path from the pod to the outside.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseStarted", "verb": "create",
 "user": {"username": "dev@example.com"},
 "requestURI": "/api/v1/namespaces/shop/pods/db-0/exec?command=tar&command=cf&command=-&command=%2Fvar%2Flib%2Fdata&container=db&stderr=true&stdout=true",
 "objectRef": {"resource": "pods", "namespace": "shop", "name": "db-0", "subresource": "exec",
               "apiVersion": "v1"},
 "responseStatus": {"code": 101}}
```

## Fix
Confirm with the user why the files were copied; treat copied credentials as leaked. Remove
`pods/exec` from roles that do not need it.

## References
- https://kubernetes.io/docs/reference/kubectl/generated/kubectl_cp/
- MITRE ATT&CK T1609 Container Administration Command
"""

from __future__ import annotations

from kubeguard.checks.audit._events import who
from kubeguard.checks.audit._exec import exec_command, program
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity


def _tar_to_stdout(args: list[str]) -> list[str] | None:
    """The paths a ``tar`` invocation archives to standard output, or None when it does not create
    an archive on standard output (extracting, listing, writing a file)."""
    create = to_stdout = False
    paths: list[str] = []
    expect_file = False
    for i, arg in enumerate(args):
        if expect_file:
            to_stdout = to_stdout or arg == "-"
            expect_file = False
            continue
        if arg in ("--create",):
            create = True
        elif arg.startswith("--file="):
            to_stdout = arg == "--file=-"
        elif arg == "--file":
            expect_file = True
        elif (arg.startswith("-") and not arg.startswith("--") and len(arg) > 1) or (
            i == 0 and arg.isalpha()
        ):
            letters = arg.lstrip("-")
            if "x" in letters or "t" in letters:
                return None
            create = create or "c" in letters
            if "f" in letters:
                # "f" takes the next argument as the archive unless it ends the option group
                # with the name attached ("-f-").
                after = letters.split("f", 1)[1]
                if after:
                    to_stdout = after == "-"
                else:
                    expect_file = True
        elif arg != "-":
            paths.append(arg)
    return paths if create and to_stdout else None


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    command = exec_command(event)
    if program(command) != "tar":
        return None
    paths = _tar_to_stdout(command[1:])
    if paths is None:
        return None
    what = ", ".join(paths)[:300] or "?"
    return f"{who(event)} copied files out of pod {event.namespace}/{event.name}: {what}"


RULE = AuditRule(
    code="AUD055",
    slug="copy-from-pod",
    title="Files copied out of a pod",
    severity=Severity.MEDIUM,
    on=on(verbs=("create", "get"), resources="pods", subresources="exec", api_groups=""),
    check=check,
    remediation="Confirm why files were copied; treat copied credentials as leaked.",
    references=("https://kubernetes.io/docs/reference/kubectl/generated/kubectl_cp/",),
    compliance={"mitre-attack": ("T1609",)},
    aliases=("panther:Kubernetes.Kubectl.CP.Operation",),
)
