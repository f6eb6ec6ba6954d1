"""A connection to an API server through the official ``kubernetes`` client.

The client does what kubectl does with a kubeconfig (contexts, exec credential plugins for EKS,
GKE and AKS, client certificates, tokens, OIDC) or a pod's service account; kubeguard writes no
configuration or authentication code of its own. Requests are plain GETs through the client's
``ApiClient`` (so its authentication and TLS apply), and their JSON bodies are decoded here, page
by page, never into the client's model objects.

Failures that mean the cluster cannot be read at all become a :class:`ClusterError` with one line
naming the server and the cause; a refused request becomes :class:`ApiStatus`. No message ever
holds a request header, so a bearer token cannot leak through one.
"""

from __future__ import annotations

import json
import os
from typing import Any

import orjson

from kubeguard.loading.cluster.source import ClusterError, ClusterSource

IN_CLUSTER_CONTEXT = "in-cluster"


class ApiStatus(Exception):
    """The server answered a request with an error ``Status`` (403, 404, 410, 5xx ...)."""

    def __init__(self, code: int, reason: str, message: str) -> None:
        super().__init__(f"{code} {reason}: {message}")
        self.code = code
        self.reason = reason
        self.message = message


def _first_line(text: str, limit: int = 200) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _use_in_cluster(source: ClusterSource) -> bool:
    if source.in_cluster is not None:
        return source.in_cluster
    if source.kubeconfig or os.environ.get("KUBECONFIG"):
        return False
    if os.path.exists(os.path.expanduser("~/.kube/config")):
        return False
    return bool(os.environ.get("KUBERNETES_SERVICE_HOST"))


class Connection:
    """An authenticated client for one cluster: ``context`` and ``server`` name it in messages."""

    def __init__(self, source: ClusterSource) -> None:
        from kubernetes import client, config
        from kubernetes.config.config_exception import ConfigException

        configuration = client.Configuration()
        self.timeout = source.timeout
        try:
            if _use_in_cluster(source):
                config.load_incluster_config(client_configuration=configuration)
                self.context = IN_CLUSTER_CONTEXT
            else:
                # KUBECONFIG is read now, not when the client was imported (it may list several files).
                kubeconfig = source.kubeconfig or os.environ.get("KUBECONFIG") or None
                contexts, current = config.list_kube_config_contexts(config_file=kubeconfig)
                name = source.context or (current or {}).get("name")
                if source.context and not any(c.get("name") == source.context for c in contexts or ()):
                    known = ", ".join(str(c.get("name")) for c in contexts or ()) or "none"
                    raise ClusterError(f"kubeconfig has no context {source.context!r} (contexts: {known})")
                config.load_kube_config(
                    config_file=kubeconfig,
                    context=source.context,
                    client_configuration=configuration,
                    persist_config=False,
                )
                self.context = str(name or "default")
        except ClusterError:
            raise
        except ConfigException as exc:
            where = source.kubeconfig or os.environ.get("KUBECONFIG") or "~/.kube/config"
            raise ClusterError(f"cannot use kubeconfig {where}: {_first_line(str(exc))}") from None
        except Exception as exc:  # exec plugins and file problems raise many kinds; none may be a traceback
            raise ClusterError(
                f"cannot load the cluster credentials: {type(exc).__name__}: {_first_line(str(exc))}"
            ) from None
        configuration.retries = 2
        configuration.connection_pool_maxsize = max(4, source.workers + 2)
        self.server = str(configuration.host)
        self._api = client.ApiClient(configuration)

    def close(self) -> None:
        self._api.close()

    def get(self, path: str, query: list[tuple[str, str]] | None = None) -> Any:
        """GET ``path`` and decode its JSON body. Raises :class:`ApiStatus` for an error status and
        :class:`ClusterError` when the server cannot be reached or refuses TLS."""
        from kubernetes.client.exceptions import ApiException
        from urllib3.exceptions import HTTPError

        try:
            request = self._api.param_serialize(
                "GET",
                path,
                query_params=list(query or []),
                header_params={"Accept": "application/json"},
                auth_settings=["BearerToken"],
            )
            response = self._api.call_api(*request, _request_timeout=(10, self.timeout))
            data = response.read()
        except ApiException as exc:  # the client's TLS failures arrive as status 0
            raise ClusterError(f"cannot connect to {self.server}: {_tls_reason(str(exc.reason))}") from None
        except HTTPError as exc:
            raise ClusterError(f"cannot connect to {self.server}: {_transport_reason(exc)}") from None
        status = int(response.status)
        if 200 <= status <= 299:
            try:
                return orjson.loads(data)
            except ValueError:
                raise ApiStatus(status, "BadResponse", f"{path}: the answer is not JSON") from None
        raise _status_error(status, str(response.reason or ""), data)

    def check_credentials(self) -> dict[str, Any]:
        """``/version`` (which also shows that TLS and the credentials work); a 401 is fatal."""
        try:
            answer = self.get("/version")
        except ApiStatus as exc:
            if exc.code == 401:
                raise ClusterError(
                    f"{self.server} rejected the credentials of context {self.context!r} "
                    "(401 Unauthorized: missing, expired or invalid)"
                ) from None
            if exc.code == 403:
                return {}  # /version may be closed to this user; discovery will tell the rest
            raise ClusterError(f"{self.server}: /version failed: {exc}") from None
        return answer if isinstance(answer, dict) else {}


def _status_error(code: int, reason: str, data: bytes) -> ApiStatus:
    message = ""
    try:
        body = json.loads(data)
        if isinstance(body, dict):
            message = str(body.get("message") or "")
            reason = str(body.get("reason") or reason)
    except ValueError:
        pass
    return ApiStatus(code, reason, _first_line(message) or reason)


def _tls_reason(reason: str) -> str:
    text = " ".join(reason.split())
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return "TLS certificate verification failed (the server's certificate is not signed by the CA in the kubeconfig)"
    if "hostname" in text.lower() or "IP address mismatch" in text:
        return "TLS certificate does not match the server's name"
    return "TLS failed: " + _first_line(text.removeprefix("SSLError "))


def _transport_reason(exc: Exception) -> str:
    reason = getattr(exc, "reason", None) or exc
    text = str(reason)
    if "CERTIFICATE_VERIFY_FAILED" in text or "SSL" in type(reason).__name__:
        return _tls_reason(text)
    if "Connection refused" in text or "Errno 111" in text:
        return "connection refused (is the API server running and the address right?)"
    if "timed out" in text.lower():
        return "connection timed out"
    if "Name or service not known" in text or "nodename nor servname" in text or "Errno -2" in text:
        return "unknown host name"
    return f"{type(reason).__name__}: {_first_line(text)}"
