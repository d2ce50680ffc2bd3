"""HTTP checks over real TLS: a local HTTPS server with a certificate made for the test by openssl."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from oncall.readiness.checks import Context, run_check
from tests.readiness.conftest import ALICE, item

NOW = 1_800_000_000


class _Hello(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        seen = self.headers.get("Authorization", "")
        self.send_response(200 if seen in ("", "Bearer tls-token-7Qx2") else 403)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def https(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """An HTTPS server on 127.0.0.1 whose self-signed certificate names 127.0.0.1; its URL and the
    certificate file (a CA file that trusts it)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}/", cert
    finally:
        server.shutdown()
        server.server_close()


def _ctx(token: str | None = None) -> Context:
    return Context(person=ALICE, now=NOW, get_secret=lambda name: token)


def test_an_untrusted_certificate_fails_the_check_and_says_so(https: tuple[str, Path]) -> None:
    url, _ = https
    outcome = run_check(item("tls", "http", http=url), _ctx())
    assert outcome.status == "fail"
    assert "TLS certificate of 127.0.0.1 is not trusted" in outcome.message


def test_verify_tls_false_reaches_the_server(https: tuple[str, Path]) -> None:
    url, _ = https
    outcome = run_check(item("tls", "http", http=url, verify_tls=False), _ctx())
    assert outcome.status == "pass", outcome.message


def test_a_certificate_trusted_through_ssl_cert_file_passes_and_the_token_goes_over_tls(
        https: tuple[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    url, cert = https
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # OpenSSL's default trust, as a company CA is set up
    passed = run_check(item("tls", "http", http=url, secret="grafana"), _ctx("tls-token-7Qx2"))
    assert passed.status == "pass", passed.message
    refused = run_check(item("tls", "http", http=url, secret="grafana"), _ctx("another-token-9Zk"))
    assert refused.status == "fail" and "another-token-9Zk" not in refused.message
