"""A fake Vault on 127.0.0.1: the part of Vault's HTTP API that hvac uses to read secrets.

No Vault server can be installed where these tests run, so this answers, the way Vault does
(status codes, ``{"errors": [...]}`` bodies, JSON shapes): KV v1 reads (``GET /v1/<mount>/<path>``),
KV v2 reads (``GET /v1/<mount>/data/<path>?version=N``, deleted versions too), token lookup-self,
AppRole and Kubernetes login. Every request must carry a known ``X-Vault-Token`` valid in the
``X-Vault-Namespace`` it names, or gets 403 "permission denied", like Vault. It runs in a thread
(``ThreadingHTTPServer`` on a free port, optionally behind TLS) and the real hvac client talks
to it over HTTP; ``requests`` records what was asked, so tests can count logins and reads.
"""

from __future__ import annotations

import json
import secrets
import socket
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

TOKEN = "hvs.test-root-token-0001"  # the root token the tests' fake Vault knows


def free_port() -> int:
    """A loopback port nothing listens on: Vault is down there."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@dataclass(frozen=True)
class Seen:
    """One request as the fake received it."""

    method: str
    path: str
    namespace: str
    token: str


@dataclass
class FakeVault:
    """State (tokens, mounts, roles) plus the server; use as a context manager."""

    tls: tuple[str, str] | None = None  # (certificate file, key file)
    sealed: bool = False
    tokens: dict[str, str] = field(default_factory=dict)  # token -> namespace
    denied: set[str] = field(default_factory=set)  # tokens valid but without read policies
    kv1: dict[tuple[str, str], dict[str, dict[str, Any]]] = field(default_factory=dict)
    kv2: dict[tuple[str, str], dict[str, list[dict[str, Any] | None]]] = field(default_factory=dict)
    approles: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    k8s_roles: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)

    def __enter__(self) -> FakeVault:
        handler = type("Handler", (_Handler,), {"vault": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        if self.tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*self.tls)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        port = self._server.server_address[1]
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{port}"

    def add_token(self, token: str | None = None, namespace: str = "") -> str:
        token = token or "hvs." + secrets.token_urlsafe(18)
        self.tokens[token] = namespace.strip("/")
        return token

    def put_kv1(self, mount: str, path: str, data: dict[str, Any], namespace: str = "") -> None:
        self.kv1.setdefault((namespace, mount), {})[path] = data

    def put_kv2(self, mount: str, path: str, data: dict[str, Any], namespace: str = "") -> int:
        """Write a new version; returns its number (from 1)."""
        versions = self.kv2.setdefault((namespace, mount), {}).setdefault(path, [])
        versions.append(data)
        return len(versions)

    def delete_kv2_version(self, mount: str, path: str, version: int, namespace: str = "") -> None:
        self.kv2[(namespace, mount)][path][version - 1] = None

    def add_approle(self, role_id: str, secret_id: str, namespace: str = "") -> None:
        self.approles[(namespace, role_id)] = (secret_id, namespace)

    def add_kubernetes_role(self, role: str, jwt: str, namespace: str = "") -> None:
        self.k8s_roles[(namespace, role)] = (jwt, namespace)

    def paths(self, method: str | None = None) -> list[str]:
        return [r.path for r in self.requests if method in (None, r.method)]


class _Handler(BaseHTTPRequestHandler):
    vault: FakeVault

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read stderr
        pass

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def _answer(self, method: str) -> None:
        url = urlsplit(self.path)
        path = unquote(url.path)
        namespace = (self.headers.get("X-Vault-Namespace") or "").strip("/")
        token = self.headers.get("X-Vault-Token") or ""
        self.vault.requests.append(Seen(method, path, namespace, token))
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}") if length else {}
        status, answer = self._route(method, path, parse_qs(url.query), namespace, token, body)
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _route(
        self, method: str, path: str, query: dict[str, list[str]], ns: str, token: str, body: Any
    ) -> tuple[int, dict[str, Any]]:
        vault = self.vault
        if vault.sealed:
            return 503, {"errors": ["Vault is sealed"]}
        if method == "POST" and path == "/v1/auth/approle/login":
            known = vault.approles.get((ns, body.get("role_id")))
            if known is None or known[0] != body.get("secret_id"):
                return 400, {"errors": ["invalid role or secret ID"]}
            return 200, _login(vault.add_token(namespace=ns))
        if method == "POST" and path == "/v1/auth/kubernetes/login":
            known = vault.k8s_roles.get((ns, body.get("role")))
            if known is None:
                return 400, {"errors": [f'invalid role name "{body.get("role")}"']}
            if known[0] != body.get("jwt"):
                return 403, {"errors": ["permission denied"]}
            return 200, _login(vault.add_token(namespace=ns))
        if token not in vault.tokens or vault.tokens[token] != ns:
            return 403, {"errors": ["permission denied"]}
        if path == "/v1/auth/token/lookup-self":
            return 200, {
                "data": {"accessor": "fake-accessor", "policies": ["default"], "ttl": 3600}
            }
        if token in vault.denied:
            return 403, {"errors": ["1 error occurred:\n\t* permission denied\n\n"]}
        mount, rest = _split_mount(path.removeprefix("/v1/"), ns, vault)
        if (ns, mount) in vault.kv2 and rest.startswith("data/"):
            return _read_kv2(vault.kv2[(ns, mount)], rest.removeprefix("data/"), query)
        if (ns, mount) in vault.kv1 and rest in vault.kv1[(ns, mount)]:
            return 200, {"data": vault.kv1[(ns, mount)][rest], "lease_duration": 2764800}
        return 404, {"errors": []}


def _split_mount(path: str, ns: str, vault: FakeVault) -> tuple[str, str]:
    """The longest known mount the path starts with, as Vault's router does."""
    mounts = sorted({m for n, m in [*vault.kv1, *vault.kv2] if n == ns}, key=len, reverse=True)
    mount = next((m for m in mounts if path.startswith(m + "/")), path.partition("/")[0])
    return mount, path[len(mount) + 1 :]


def _login(token: str) -> dict[str, Any]:
    auth = {"client_token": token, "policies": ["default"], "lease_duration": 3600}
    return {"auth": {**auth, "renewable": True}}


def _read_kv2(
    secrets_of_mount: dict[str, list[dict[str, Any] | None]], path: str, query: dict[str, list[str]]
) -> tuple[int, dict[str, Any]]:
    versions = secrets_of_mount.get(path)
    if not versions:
        return 404, {"errors": []}
    number = int(query.get("version", ["0"])[0]) or len(versions)
    if number > len(versions):
        return 404, {"errors": []}
    data = versions[number - 1]
    deleted = "2024-01-01T00:00:00Z" if data is None else ""
    metadata = {"version": number, "deletion_time": deleted, "destroyed": False}
    return (404 if data is None else 200), {"data": {"data": data, "metadata": metadata}}
