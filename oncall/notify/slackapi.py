"""Slack's Web API as notify uses it: which method a message calls with what, and what Slack's
answer means. Pure: the request goes out through ``deliver`` and ``http``.

Three methods: ``chat.postMessage`` (a message to a channel id, or to a person's Slack id as a
direct message; JSON), ``usergroups.users.update`` (``usergroup`` and ``users`` comma-separated;
it replaces the whole list and refuses an empty one) and ``conversations.setTopic`` (``channel``
and ``topic``, at most 250 characters; the bot must be in the channel). The last two go as a form,
as Slack's own SDK sends them. Every call carries the bot token as ``Authorization: Bearer``.

Slack answers HTTP 200 with ``{"ok": false, "error": "..."}`` when a call fails, and 429 with
``Retry-After`` when it is rate limited.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from oncall.notify.http import FORM, JSON
from oncall.notify.messages import Message

POST = "chat.postMessage"
USERGROUP = "usergroups.users.update"
TOPIC = "conversations.setTopic"
TOPIC_LIMIT = 250  # characters Slack takes in a topic

SCOPES = {
    POST: "chat:write",
    USERGROUP: "usergroups:write",
    TOPIC: "channels:write.topic (groups:write.topic for a private channel)",
}
# Errors that say the token itself is no good: every call through the channel would fail alike.
BAD_TOKEN = frozenset({"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive",
                       "no_permission", "ekm_access_denied"})
SCOPE_ERRORS = frozenset({"missing_scope", "not_allowed_token_type", "permission_denied"})


@dataclass(frozen=True)
class Call:
    method: str
    payload: dict[str, Any]
    content_type: str


def call_for(message: Message) -> Call:
    """The Web API call that delivers ``message`` (its ``to`` is one channel or user id)."""
    target = message.to[0] if message.to else ""
    if message.kind == "usergroup":
        return Call(USERGROUP, {"usergroup": target, "users": message.value or ""}, FORM)
    if message.kind == "topic":
        return Call(TOPIC, {"channel": target, "topic": message.value or ""}, FORM)
    return Call(POST, {"channel": target, "text": message.slack_text()}, JSON)


@dataclass(frozen=True)
class Reply:
    """What an HTTP 200 answer of the Web API says: ``ok``, else ``error`` (and ``needed``, the
    scope Slack says is missing)."""

    ok: bool
    error: str = ""
    needed: str = ""


def read_reply(body: str) -> Reply | None:
    """Slack's JSON answer, or None when the body is not one (a proxy's page, say)."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("ok"), bool):
        return None
    error, needed = data.get("error"), data.get("needed")
    return Reply(data["ok"], error if isinstance(error, str) else "", needed if isinstance(needed, str) else "")


def explain(call: Call, reply: Reply, token_secret: str) -> str:
    """What a failed call means and what to do, for the errors a setup meets."""
    method, error = call.method, reply.error
    target = call.payload.get("channel") or call.payload.get("usergroup") or ""
    scope = reply.needed or SCOPES[method]
    if error == "missing_scope":
        return (f"Slack refused {method}: the bot token lacks the scope {scope}; add it under OAuth & Permissions "
                f"in the Slack app, reinstall the app, and store its new token with "
                f"`oncall secret set {token_secret}`")
    if error == "not_allowed_token_type":
        return (f"Slack refused {method} with this kind of token (not_allowed_token_type); store the app's bot "
                f"token (xoxb-...) with the scope {scope} using `oncall secret set {token_secret}`")
    if error == "permission_denied":
        return (f"Slack refused {method} (permission_denied): the app needs the scope {scope}, and the workspace "
                "must let apps do this (a workspace admin can allow it under Settings & administration)")
    if error in BAD_TOKEN:
        return (f"Slack refused the bot token ({error}); store a valid bot token with "
                f"`oncall secret set {token_secret}`")
    if error == "not_in_channel":
        return f"the bot is not in channel {target}; invite it there with /invite @your-app, then run again"
    if error == "channel_not_found":
        return (f"Slack knows no channel {target} that the bot can see; check the channel id, and invite the bot "
                "if the channel is private")
    if error == "is_archived":
        return f"channel {target} is archived; unarchive it or name another channel in oncall.yaml"
    if error in ("no_such_subteam", "subteam_not_found"):
        return f"Slack knows no user group {target}; check slack_usergroup in oncall.yaml (usergroups.list shows ids)"
    if error == "invalid_users":
        return (f"Slack refused the members of user group {target} (invalid_users); check the slack: ids in "
                "people.yaml")
    if error == "too_long":
        return f"Slack refused the topic of {target} as too long; shorten the slack_topic template"
    if error == "plan_upgrade_required":
        return "Slack refused user groups: the workspace's plan does not include them (plan_upgrade_required)"
    return f"Slack refused {method} ({error or 'no error given'})"


__all__ = ["BAD_TOKEN", "FORM", "JSON", "POST", "SCOPES", "SCOPE_ERRORS", "TOPIC", "TOPIC_LIMIT", "USERGROUP",
           "Call", "Reply", "call_for", "explain", "read_reply"]
