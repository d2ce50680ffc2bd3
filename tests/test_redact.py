"""Secrets masked in every form a peer echoes them; terminal controls made visible."""

from __future__ import annotations

import base64
import json
import re
from urllib.parse import quote, quote_plus

import pytest

from oncall.redact import MASK, peer_text, redact, secret_parts, terminal_safe

WEBHOOK = "https://hooks.slack.com/services/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"
TOKEN = "aBcD3fGh1jKlMn0pQrStUvWx"


def test_every_part_of_a_webhook_url_is_masked_but_plain_words_stay() -> None:
    text = "no webhook at /services/T0123ABCD/B0456EFGH/aBcD3fGh1jKlMn0pQrStUvWx"
    shown = redact(text, [WEBHOOK])
    assert "aBcD3fGh1jKlMn0pQrStUvWx" not in shown and "T0123ABCD" not in shown and "B0456EFGH" not in shown
    assert shown == f"no webhook at /services/{MASK}/{MASK}/{MASK}"
    assert "services" not in secret_parts(WEBHOOK)


@pytest.mark.parametrize("form", [
    TOKEN,
    quote(TOKEN, safe=""),
    quote(WEBHOOK, safe=""),
    re.sub("%[0-9A-F]{2}", lambda m: m.group(0).lower(), quote(WEBHOOK, safe="")),  # lower-case hex
    quote_plus(WEBHOOK),
    json.dumps(WEBHOOK).replace("/", "\\/"),  # JSON with escaped slashes
    base64.b64encode(WEBHOOK.encode()).decode(),
    base64.urlsafe_b64encode(b"x" + WEBHOOK.encode()).decode(),  # shifted by one byte, URL-safe
])
def test_encoded_forms_are_masked(form: str) -> None:
    shown = redact(f"error: {form} rejected", [WEBHOOK])
    assert shown.startswith("error: ") and shown.endswith(" rejected")
    assert TOKEN not in shown and form not in shown


def test_query_values_and_userinfo_of_a_url() -> None:
    url = "https://user:Pa55word-x@example.com/api?key=K3yValue99&mode=full"
    shown = redact("got user:Pa55word-x and key=K3yValue99 and K3yValue99%21", [url])
    assert "Pa55word-x" not in shown and "K3yValue99" not in shown
    assert "mode=full" not in redact(url, [url])  # the whole URL goes


def test_auth_plain_base64_echoed_by_an_smtp_server() -> None:
    password = "s3cret-SMTP-pa55word"
    for user in ("a", "ab", "abc", "oncall@example.com"):  # every alignment of the password
        blob = base64.b64encode(f"\0{user}\0{password}".encode()).decode()
        shown = redact(f"535 5.7.8 {blob} rejected ({user}|{password})", [password])
        assert blob not in shown and password not in shown
        assert shown.startswith("535 5.7.8 ") and MASK in shown


def test_a_secret_cut_off_by_a_bounded_read_is_masked() -> None:
    shown = redact("body: no webhook at /services/T0123ABCD/B0456EFGH/aBcD3fGh1jK", [WEBHOOK])
    assert "aBcD3fGh1jK" not in shown


def test_a_secret_cut_by_a_message_limit_is_masked_when_it_becomes_known_later() -> None:
    # A program's output is cut to one line before a later check hands out the secret it printed:
    # the final pass over the message still finds the beginning in front of the "…".
    cut = peer_text(f"token {TOKEN} accepted", [], limit=16)
    assert cut.endswith("…") and TOKEN[:8] in cut
    shown = redact(cut, [TOKEN])
    assert TOKEN[:6] not in shown and shown == f"token {MASK}…"


def test_url_that_does_not_parse_still_masks_its_parts() -> None:
    bad = "http://[::1/services/T0123ABCD/B0456EFGH/aBcD3fGh1jKlMn0pQrStUvWx"
    assert "aBcD3fGh1jKlMn0pQrStUvWx" not in redact("path /services/T0123ABCD/B0456EFGH/aBcD3fGh1jKlMn0pQrStUvWx", [bad])


def test_nothing_to_mask_leaves_text_alone() -> None:
    assert redact("all good", []) == "all good"
    assert redact("all good", ["", "   "]) == "all good"


def test_terminal_controls_become_visible_escapes() -> None:
    assert terminal_safe("Alice\x1b[2J\x07") == "Alice\\x1b[2J\\x07"
    assert terminal_safe("\x1b]0;pwned\x07title") == "\\x1b]0;pwned\\x07title"
    assert terminal_safe("C1 \x9b31m") == "C1 \\x9b31m"
    assert terminal_safe("bidi \u202eevil") == "bidi \\u202eevil"
    assert terminal_safe("tab\tkept") == "tab\tkept"
    assert terminal_safe("two\nlines") == "two\\x0alines"
    assert terminal_safe("two\nlines", newlines=True) == "two\nlines"
    assert terminal_safe("Zoë 👩‍💻") == "Zoë 👩‍💻"  # printable text, emoji joiners included


def test_peer_text_is_one_bounded_masked_line() -> None:
    body = ("no webhook at /services/T0123ABCD/B0456EFGH/aBcD3fGh1jKlMn0pQrStUvWx\n\x1b[31mred\n" * 20).encode()
    shown = peer_text(body, [WEBHOOK], limit=100)
    assert len(shown) <= 100 and "\n" not in shown and "\x1b" not in shown
    assert TOKEN not in shown and "aBcD3f" not in shown
