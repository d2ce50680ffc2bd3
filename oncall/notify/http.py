"""The one way notify makes HTTP requests: a JSON POST through the network seam (``readiness.net``).

The request has a wall-clock deadline (``timeout`` covers the whole request, however slowly the
server answers). Redirects are not followed: a webhook that redirects has moved and must be updated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from oncall.readiness import net

BadUrl = net.BadUrl
check_url = net.check_url
NetError = net.NetError
NetTimeout = net.NetTimeout


@dataclass(frozen=True)
class HttpResponse:
    status: int
    retry_after: str | None
    body: str  # the body as the server sent it (up to net.MAX_BODY); mask secrets before showing it


def post_json(url: str, payload: Any, timeout: float, name: str = "the webhook") -> HttpResponse:
    """POST ``payload`` as JSON; any HTTP status is returned.

    Raises ``BadUrl`` when ``url`` cannot be sent (nothing went out), ``NetTimeout`` when the
    whole request took longer than ``timeout`` seconds, ``NetError`` for other network failures.
    Messages name the request ``name``, never the URL (a webhook's URL is its secret).
    """
    response = net.http_request(
        "POST", url,
        {"Content-Type": "application/json; charset=utf-8", "User-Agent": "oncall-notify"},
        timeout,
        body=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        name=name,
        secrets=(url,),
    )
    return HttpResponse(response.status, response.headers.get("retry-after"), response.body)
