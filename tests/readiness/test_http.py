"""http checks against a real threaded server on 127.0.0.1 that demands a token."""

from __future__ import annotations

from pathlib import Path

from oncall.readiness.checks import Context, run_check
from oncall.readiness.runner import plan, run
from oncall.readiness.secrets import set_secret
from tests.readiness.conftest import ALICE, TOKEN, Server, checklist, item


def _ctx(secret: str | None = TOKEN) -> Context:
    return Context(person=ALICE, now=1_800_000_000, get_secret=lambda name: secret)


def test_right_token_passes_and_is_sent_as_bearer(server: Server) -> None:
    outcome = run_check(item("api", "http", http=f"{server.url}/me", secret="pd", expect_status=200), _ctx())
    assert outcome.status == "pass", outcome.message
    assert server.seen[-1]["authorization"] == f"Bearer {TOKEN}"


def test_pagerduty_style_scheme_and_custom_header(server: Server) -> None:
    pd = item("pd", "http", http=f"{server.url}/me", secret="pd", scheme="Token token=")
    assert run_check(pd, _ctx()).status == "pass"
    assert server.seen[-1]["authorization"] == f"Token token={TOKEN}"
    key = item("k", "http", http=f"{server.url}/me", secret="k", header="X-Api-Key")
    assert run_check(key, _ctx()).status == "pass"
    assert "authorization" not in server.seen[-1]


def test_body_match_uses_person_fields(server: Server) -> None:
    ok = item("b", "http", http=f"{server.url}/me", secret="pd", expect_body="{person.email}")
    assert run_check(ok, _ctx()).status == "pass"
    regex = item("r", "http", http=f"{server.url}/open", expect_body="/hello [a-z]+@/")
    assert run_check(regex, _ctx()).status == "pass"
    wrong = item("w", "http", http=f"{server.url}/open", expect_body="goodbye")
    outcome = run_check(wrong, _ctx())
    assert outcome.status == "fail" and "does not contain" in outcome.message


def test_wrong_token_is_invalid_or_expired(server: Server) -> None:
    outcome = run_check(item("api", "http", http=f"{server.url}/me", secret="pd"), _ctx("wrong-token"))
    assert outcome.status == "fail"
    assert "token invalid or expired" in outcome.message and "401" in outcome.message
    assert "wrong-token" not in outcome.message


def test_403_is_missing_permission(server: Server) -> None:
    outcome = run_check(item("api", "http", http=f"{server.url}/forbidden", secret="pd"), _ctx())
    assert outcome.status == "fail" and "missing permission" in outcome.message


def test_expect_status_list(server: Server) -> None:
    outcome = run_check(item("s", "http", http=f"{server.url}/forbidden", expect_status=[200, 403]), _ctx())
    assert outcome.status == "pass"


def test_timeout_is_a_failure_within_the_budget(server: Server) -> None:
    outcome = run_check(item("slow", "http", timeout=0.5, http=f"{server.url}/slow"), _ctx())
    assert outcome.status == "fail" and "timed out" in outcome.message


def test_redirect_is_not_followed_by_default(server: Server, other_server: Server) -> None:
    server.redirect_to = f"{other_server.url}/me"
    outcome = run_check(item("r", "http", http=f"{server.url}/redirect", secret="pd"), _ctx())
    assert outcome.status == "fail" and "redirected" in outcome.message
    assert other_server.seen == []


def test_token_never_sent_to_another_host_on_redirect(server: Server, other_server: Server) -> None:
    server.redirect_to = f"{other_server.url}/me"
    outcome = run_check(
        item("r", "http", http=f"{server.url}/redirect", secret="pd", follow_redirects=True), _ctx()
    )
    # The other origin got the request without the token, so it answers 401.
    assert outcome.status == "fail" and "401" in outcome.message
    assert server.seen[0]["authorization"] == f"Bearer {TOKEN}"
    assert len(other_server.seen) == 1
    assert all(TOKEN not in value for value in other_server.seen[0].values())


def test_redirect_to_a_login_page_means_sso(server: Server) -> None:
    outcome = run_check(item("sso", "http", http=f"{server.url}/login-redirect", secret="pd"), _ctx())
    assert outcome.status == "fail" and "SSO session needed" in outcome.message
    assert "state=abc" not in outcome.message


def test_missing_secret_fails_without_sending(server: Server) -> None:
    outcome = run_check(item("api", "http", http=f"{server.url}/me", secret="pd"), _ctx(None))
    assert outcome.status == "fail" and outcome.message == "secret 'pd' is not in the keyring"
    assert outcome.fix == "oncall secret set pd"
    assert server.seen == []


def test_echoed_token_is_masked_by_the_runner(server: Server) -> None:
    echo = item("echo", "http", http=f"{server.url}/echo", secret="pd", expect_status=200)
    [result] = run(plan([checklist(echo)]), _ctx())
    assert result.status == "fail"
    assert TOKEN not in result.message


def test_keyring_secret_reaches_the_server(server: Server, state_home: Path) -> None:
    set_secret("pd", TOKEN)
    ctx = Context(person=ALICE, now=1_800_000_000)  # the real keyring seam
    assert run_check(item("api", "http", http=f"{server.url}/me", secret="pd"), ctx).status == "pass"


def test_unreachable_port_fails_cleanly() -> None:
    outcome = run_check(item("x", "http", timeout=2, http="http://127.0.0.1:9/"), _ctx())
    assert outcome.status == "fail"


def test_a_charset_that_is_no_text_encoding_is_read_as_utf8(server: Server) -> None:
    """``base64`` and ``zlib`` are Python codecs but not charsets: the body is read as UTF-8."""
    for charset in ("base64", "zlib", "no-such-charset", "utf-8"):
        check = item("c", "http", http=f"{server.url}/charset/{charset}", expect_body="héllo")
        outcome = run_check(check, _ctx())
        assert outcome.status == "pass", (charset, outcome.message)
