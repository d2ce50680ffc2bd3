"""The ``slack-api`` channel against a local stand-in for Slack's Web API: request shapes, the bearer
token, Slack's error replies and rate limits, each refusal reported once with what to do, and the
token never shown."""

from __future__ import annotations

import pytest

from oncall.notify.deliver import ChannelSender, DeliveryFailed
from oncall.notify.messages import Message
from oncall.notify.settings import SlackApiChannel
from tests.notify.slackweb import TOKEN, SlackApi
from tests.notify.test_delivery import NOW, Sleeps, message
from tests.notify.test_hardening import leaked


def sender(api: SlackApi, sleeps: Sleeps | None = None, token: str | None = TOKEN) -> ChannelSender:
    channel = SlackApiChannel("bot", "slack-bot", ("C0TEAM",), api.url, timeout=5.0)
    return ChannelSender({"bot": channel}, secret={"slack-bot": token}.get if token else {}.get,
                         sleep=sleeps if sleeps is not None else Sleeps())


def post(to: str) -> Message:
    return message("bot", (to,))


def group(users: str, group_id: str = "S0ONCALL") -> Message:
    return Message(f"usergroup|{group_id}|{users}", "usergroup", "bot", (group_id,), f"user group {group_id}",
                   ("Members",), NOW, NOW, created=NOW, value=users)


def topic(text: str, channel: str = "C0TOPIC") -> Message:
    return Message(f"topic|{channel}|x", "topic", "bot", (channel,), f"topic of {channel}", (text,), NOW, NOW,
                   created=NOW, value=text)


def test_posts_are_json_with_the_bot_token_as_bearer(slack_api: SlackApi) -> None:
    bot = sender(slack_api)
    bot.send(post("C0TEAM"))
    bot.send(post("U0ALICE"))  # a direct message: the person's Slack id as the channel
    first, dm = slack_api.calls
    assert (first.method, first.authorization) == ("chat.postMessage", f"Bearer {TOKEN}")
    assert first.content_type.startswith("application/json")
    assert first.args == {"channel": "C0TEAM", "text": "*[oncall] Payments primary: handoff Alice Park → Bob Okafor* "
                          "<@U0BOB>\nHandoff now: Alice Park → Bob Okafor on Payments primary.\n"
                          "Checklist primary: all 1 passed"}
    assert dm.args["channel"] == "U0ALICE"
    assert [p["channel"] for p in slack_api.posts] == ["C0TEAM", "U0ALICE"]


def test_user_group_and_topic_go_as_forms_and_replace_what_was_there(slack_api: SlackApi) -> None:
    bot = sender(slack_api)
    bot.send(group("U0ALICE,U0BOB"))
    bot.send(topic("on call: <@U0ALICE> until Mon 16 Mar 09:00 EDT"))
    update, set_topic = slack_api.calls
    assert update.method == "usergroups.users.update" and update.content_type == "application/x-www-form-urlencoded"
    assert update.args == {"usergroup": "S0ONCALL", "users": "U0ALICE,U0BOB"}
    assert slack_api.groups["S0ONCALL"] == ["U0ALICE", "U0BOB"]  # U0OLD is gone: the list is replaced
    assert set_topic.method == "conversations.setTopic"
    assert set_topic.args == {"channel": "C0TOPIC", "topic": "on call: <@U0ALICE> until Mon 16 Mar 09:00 EDT"}
    assert slack_api.topics == {"C0TOPIC": "on call: <@U0ALICE> until Mon 16 Mar 09:00 EDT"}


def test_rate_limits_wait_as_retry_after_says(slack_api: SlackApi) -> None:
    slack_api.script = [(429, {"Retry-After": "3"}, {"ok": False, "error": "ratelimited"}),
                        (200, {"Retry-After": "1"}, {"ok": False, "error": "ratelimited"})]
    sleeps = Sleeps()
    sender(slack_api, sleeps).send(group("U0ALICE"))
    assert sleeps == [3.0, 1.0]
    assert slack_api.methods() == ["usergroups.users.update"] * 3 and slack_api.groups["S0ONCALL"] == ["U0ALICE"]


def test_a_long_rate_limit_is_reported_not_waited_for(slack_api: SlackApi) -> None:
    slack_api.script = [(429, {"Retry-After": "600"}, {"ok": False, "error": "ratelimited"})]
    sleeps = Sleeps()
    with pytest.raises(DeliveryFailed, match=r"Slack rate-limited usergroups.users.update for 600s \(429\)"):
        sender(slack_api, sleeps).send(group("U0ALICE"))
    assert sleeps == []


@pytest.mark.parametrize(("scope", "refused", "needed"), [
    ("usergroups:write", group("U0ALICE"), "usergroups:write"),
    ("channels:write.topic", topic("on call"), "channels:write.topic"),
    ("chat:write", post("C0TEAM"), "chat:write"),
])
def test_a_missing_scope_is_reported_once_naming_the_scope_and_the_rest_goes_on(
    slack_api: SlackApi, scope: str, refused: Message, needed: str
) -> None:
    slack_api.scopes.discard(scope)
    bot = sender(slack_api)
    with pytest.raises(DeliveryFailed) as first:
        bot.send(refused)
    assert str(first.value) == (
        f"Slack refused {slack_api.calls[0].method}: the bot token lacks the scope {needed}; add it under OAuth & "
        "Permissions in the Slack app, reinstall the app, and store its new token with `oncall secret set slack-bot`")
    with pytest.raises(DeliveryFailed) as second:
        bot.send(refused)
    assert str(second.value).startswith("not tried: Slack refused")
    assert needed not in str(second.value)  # said once, above
    assert len(slack_api.calls) == 1  # not asked again
    others = [m for m in (group("U0ALICE"), topic("on call"), post("C0TEAM")) if m.kind != refused.kind]
    for other in others:
        bot.send(other)  # the channel's other methods still work
    assert len(slack_api.calls) == 3


@pytest.mark.parametrize(("error", "expected"), [
    ("not_allowed_token_type", "Slack refused usergroups.users.update with this kind of token "
     "(not_allowed_token_type); store the app's bot token (xoxb-...) with the scope usergroups:write using "
     "`oncall secret set slack-bot`"),
    ("permission_denied", "Slack refused usergroups.users.update (permission_denied): the app needs the scope "
     "usergroups:write, and the workspace must let apps do this"),
    ("no_such_subteam", "Slack knows no user group S0ONCALL; check slack_usergroup in oncall.yaml"),
])
def test_refusals_say_what_to_do(slack_api: SlackApi, error: str, expected: str) -> None:
    slack_api.script = [(200, {}, {"ok": False, "error": error})]
    with pytest.raises(DeliveryFailed) as caught:
        sender(slack_api).send(group("U0ALICE"))
    assert str(caught.value).startswith(expected)


def test_the_bot_must_be_in_the_channel(slack_api: SlackApi) -> None:
    slack_api.channels.discard("C0TOPIC")
    bot = sender(slack_api)
    with pytest.raises(DeliveryFailed, match=r"^the bot is not in channel C0TOPIC; invite it there with /invite"):
        bot.send(topic("on call"))
    with pytest.raises(DeliveryFailed, match="the bot is not in channel C0TOPIC"):
        bot.send(post("C0TOPIC"))
    bot.send(post("C0TEAM"))  # only that channel is affected


def test_a_refused_token_stops_the_channel_and_is_never_shown(slack_api: SlackApi) -> None:
    slack_api.token = "xoxb-some-other-token"
    bot = sender(slack_api)
    with pytest.raises(DeliveryFailed) as first:
        bot.send(post("C0TEAM"))
    assert str(first.value) == ("Slack refused the bot token (invalid_auth); store a valid bot token with "
                                "`oncall secret set slack-bot`")
    assert first.value.channel_down
    with pytest.raises(DeliveryFailed, match="^not tried: channel bot failed earlier in this run"):
        bot.send(group("U0ALICE"))
    assert len(slack_api.calls) == 1


@pytest.mark.parametrize("reply", [
    (200, {}, {"ok": False, "error": f"invalid_auth for {TOKEN}"}),
    (403, {}, {"message": f"proxy refused Bearer {TOKEN}"}),
    (200, {}, {"ok": False, "error": "missing_scope", "needed": f"usergroups:write {TOKEN}"}),
])
def test_a_token_echoed_by_the_server_is_masked(slack_api: SlackApi, reply: tuple[int, dict[str, str], dict[str, object]]) -> None:
    slack_api.script = [reply]
    with pytest.raises(DeliveryFailed) as caught:
        sender(slack_api).send(group("U0ALICE"))
    assert leaked(str(caught.value), TOKEN) == [] and "SECRETxBOT" not in str(caught.value)


def test_a_missing_token_says_how_to_store_it(slack_api: SlackApi) -> None:
    with pytest.raises(DeliveryFailed) as caught:
        sender(slack_api, token=None).send(post("C0TEAM"))
    assert str(caught.value) == ("secret 'slack-bot' (the Slack bot token) is not in the keyring; store it with "
                                 "`oncall secret set slack-bot`")
    assert slack_api.calls == []


def test_an_answer_that_is_not_slacks_json_is_reported(slack_api: SlackApi) -> None:
    slack_api.script = [(200, {}, ["not", "an", "object"])]  # type: ignore[list-item]
    with pytest.raises(DeliveryFailed, match="Slack answered 200 to chat.postMessage without its JSON reply"):
        sender(slack_api).send(post("C0TEAM"))
