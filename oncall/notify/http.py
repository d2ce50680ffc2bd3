"""The one way notify makes HTTP requests: a POST through the network seam (``readiness.net``).

The request has a wall-clock deadline (``timeout`` covers the whole request, however slowly the
server answers). Redirects are not followed: a webhook that redirects has moved and must be updated,
and a bot token is never sent anywhere but the API it was made for.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from oncall.readiness import net

BadUrl = net.BadUrl
check_url = net.check_url
NetError = net.NetError
NetTimeout = net.NetTimeout

JSON = "application/json; charset=utf-8"
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class HttpResponse:
    status: int
    retry_after: str | None
    body: str  # the body as the server sent it (up to net.MAX_BODY); mask secrets before showing it


def post_json(url: str, payload: Any, timeout: float, name: str = "the webhook") -> HttpResponse:
    """POST ``payload`` as JSON to a URL that is itself a secret (a webhook); any HTTP status is
    returned.

    Raises ``BadUrl`` when ``url`` cannot be sent (nothing went out), ``NetTimeout`` when the
    whole request took longer than ``timeout`` seconds, ``NetError`` for other network failures.
    Messages name the request ``name``, never the URL (a webhook's URL is its secret).
    """
    return post(url, encode(payload, JSON), JSON, {}, timeout, name, (url,))


def encode(payload: Mapping[str, Any], content_type: str) -> bytes:
    """``payload`` as the body of a request of ``content_type`` (JSON, or a form)."""
    if content_type == FORM:
        return urlencode({k: str(v) for k, v in payload.items()}).encode("ascii")
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def post(url: str, body: bytes, content_type: str, headers: Mapping[str, str], timeout: float, name: str,
         secrets: Sequence[str]) -> HttpResponse:
    """POST ``body``; any HTTP status is returned. Errors as ``post_json``'s; ``secrets`` (a token
    in ``headers``, a secret URL) are masked in anything quoted from the server."""
    response = net.http_request(
        "POST", url,
        {"Content-Type": content_type, "User-Agent": "oncall-notify", **headers},
        timeout,
        body=body,
        name=name,
        secrets=secrets,
    )
    return HttpResponse(response.status, response.headers.get("retry-after"), response.body)
