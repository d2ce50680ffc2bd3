"""The one way notify makes HTTP requests: a JSON POST with urllib (the Slack webhook seam)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class HttpResponse:
    status: int
    retry_after: str | None
    body: str  # the start of the body, for error messages


def post_json(url: str, payload: Any, timeout: float) -> HttpResponse:
    """POST ``payload`` as JSON; any HTTP status is returned, network failures raise ``OSError``.

    Redirects are not followed: a webhook that redirects has moved and must be updated.
    """
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "oncall-notify"},
        method="POST",
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return HttpResponse(response.status, response.headers.get("Retry-After"), _head(response.read(500)))
    except urllib.error.HTTPError as exc:
        body = exc.read(500) if exc.fp is not None else b""
        return HttpResponse(exc.code, exc.headers.get("Retry-After") if exc.headers else None, _head(body))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> None:
        return None


def _head(body: bytes) -> str:
    return body.decode("utf-8", "replace").strip()[:200]
