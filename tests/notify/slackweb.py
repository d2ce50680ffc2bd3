"""A local stand-in for the parts of Slack's Web API that notify uses, on a real HTTP server.

It behaves as Slack's documentation says: every method answers HTTP 200 with ``{"ok": true}`` or
``{"ok": false, "error": ...}``; a request without ``Authorization: Bearer <the token>`` is
``not_authed`` / ``invalid_auth``; a token without a method's scope is ``missing_scope`` with
``needed`` and ``provided``; ``usergroups.users.update`` replaces the whole member list and refuses
an empty one; ``conversations.setTopic`` takes at most 250 characters, and the bot must be a
member of the channel (as for ``chat.postMessage`` to a channel; a user id is a direct message).
Bodies are read as JSON or as a form, by their Content-Type, as Slack does. Scripted replies
(``script``) stand for rate limits (429 with ``Retry-After``) and other refusals.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl

import pytest

from tests.notify.servers import serving

TOKEN = "xoxb-0000-SECRETxBOTxTOKENx9f8e7d"
SCOPES = {"chat.postMessage": "chat:write", "usergroups.users.update": "usergroups:write",
          "conversations.setTopic": "channels:write.topic"}


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    content_type: str
    authorization: str | None


@dataclass
class SlackApi:
    port: int = 0
    token: str = TOKEN
    scopes: set[str] = field(default_factory=lambda: set(SCOPES.values()))
    channels: set[str] = field(default_factory=lambda: {"C0TEAM", "C0TOPIC"})  # the bot is a member
    groups: dict[str, list[str]] = field(default_factory=lambda: {"S0ONCALL": ["U0OLD"]})
    topics: dict[str, str] = field(default_factory=dict)
    posts: list[dict[str, Any]] = field(default_factory=list)  # chat.postMessage calls answered ok
    calls: list[Call] = field(default_factory=list)  # every request
    script: list[tuple[int, dict[str, str], dict[str, Any]]] = field(default_factory=list)  # (status, headers, body)
    hold_after: int | None = None  # answered calls after which requests hang until released
    answered: int = 0
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def methods(self) -> list[str]:
        return [c.method for c in self.calls]

    def answer(self, method: str, args: dict[str, Any], auth: str | None) -> dict[str, Any]:
        """What Slack answers (after any scripted reply)."""
        if not auth or not auth.startswith("Bearer "):
            return {"ok": False, "error": "not_authed"}
        if auth != f"Bearer {self.token}":
            return {"ok": False, "error": "invalid_auth"}
        needed = SCOPES.get(method)
        if needed is None:
            return {"ok": False, "error": "unknown_method"}
        if needed not in self.scopes:
            return {"ok": False, "error": "missing_scope", "needed": needed, "provided": ",".join(sorted(self.scopes))}
        if method == "usergroups.users.update":
            group, users = str(args.get("usergroup", "")), str(args.get("users", ""))
            if group not in self.groups:
                return {"ok": False, "error": "no_such_subteam"}
            members = [u for u in users.split(",") if u]
            if not members:
                return {"ok": False, "error": "no_users_provided"}
            self.groups[group] = members  # the whole list is replaced
            return {"ok": True, "usergroup": {"id": group, "users": members}}
        channel = str(args.get("channel", ""))
        if method == "conversations.setTopic":
            if channel not in self.channels:
                return {"ok": False, "error": "not_in_channel"}
            topic = str(args.get("topic", ""))
            if len(topic) > 250:
                return {"ok": False, "error": "too_long"}
            self.topics[channel] = topic
            return {"ok": True, "channel": {"id": channel, "topic": {"value": topic}}}
        if not channel.startswith(("U", "W")) and channel not in self.channels:
            return {"ok": False, "error": "not_in_channel"}
        self.posts.append({"channel": channel, "text": args.get("text", "")})
        return {"ok": True, "channel": channel, "ts": f"{len(self.posts)}.000"}


@pytest.fixture
def slack_api() -> Iterator[SlackApi]:
    state = SlackApi()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            method = self.path.removeprefix("/api/")
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length).decode()
            content_type = self.headers.get("Content-Type", "")
            if content_type.startswith("application/json"):
                args = json.loads(raw or "{}")
            else:
                args = dict(parse_qsl(raw, keep_blank_values=True))
            auth = self.headers.get("Authorization")
            with state.lock:
                state.calls.append(Call(method, args, content_type, auth))
                hold = state.hold_after is not None and state.answered >= state.hold_after
            if hold:  # a request in flight when the sender dies: never answered, never applied
                state.holding.set()
                state.release.wait(30)
                return
            with state.lock:
                if state.script:
                    status, headers, body = state.script.pop(0)
                else:
                    status, headers, body = 200, {}, state.answer(method, args, auth)
                state.answered += 1
            payload = json.dumps(body).encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    with serving(Handler) as port:
        state.port = port
        try:
            yield state
        finally:
            state.release.set()
