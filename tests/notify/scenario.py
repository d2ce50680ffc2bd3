"""A team on disk for the notify tests that run ``notify.run`` several times with an injected clock:
people with Slack ids and emails, the weekly payments rotation, a Slack Web API stand-in and an SMTP
server, and edits to the schedule between runs (an override, time off) as a person would make."""

from __future__ import annotations

from pathlib import Path

from oncall.config import load_org
from oncall.model import Org, Person
from oncall.notify import ChannelSender, Readiness, RunReport, run
from oncall.notify.settings import load_settings
from tests.notify.servers import CHECKLIST, PAYMENTS, Mailbox
from tests.notify.servers import PEOPLE as BASE_PEOPLE
from tests.notify.slackweb import TOKEN, SlackApi

HANDOFF = 1_773_061_200  # Mon 9 Mar 2026 09:00 EDT (13:00Z): alice → bob
H = 3600
DAY = 86400

# The people of the other notify tests, where bob has a Slack id and carol an email too.
PEOPLE = (BASE_PEOPLE.replace("    timezone: Europe/Berlin\n", "    timezone: Europe/Berlin\n    slack: U0BOB\n")
          .replace("    name: Carol Diaz\n", "    name: Carol Diaz\n    email: carol@example.com\n"))


SECONDARY = """\
name: Payments secondary
timezone: America/New_York
avoid: [payments]
layers:
  - name: weekly
    people: [carol, alice, bob]
    start: 2026-03-02T09:00
    every: 1w
"""

# bob alone since long before the engine's reach (2020): a shift with no known start.
SOLO = """\
name: Solo
timezone: UTC
layers:
  - name: one
    people: [bob]
    start: 2020-01-01T00:00
    every: 1w
"""


def settings_yaml(api: SlackApi, mail: Mailbox, extra: str = "", route: str = "", leads: str = "[24h, 1h]") -> str:
    return f"""\
notify:
  remind_before: {leads}
  catch_up: 1d
  team: [bot, mail]
  direct: [bot, mail]
  channels:
    bot:
      type: slack-api
      token_secret: slack-bot
      api_url: {api.url}
      to: C0TEAM
      timeout: 5s
    mail:
      type: email
      host: 127.0.0.1
      port: {mail.port}
      security: none
      sender: oncall@example.com
      to: [payments@example.com]
      timeout: 5s
{extra}  schedules:
    payments:
      playbook: https://wiki.example.com/payments
{route}"""


class Team:
    """The config root, its state folder, and runs of ``notify run`` at chosen instants."""

    def __init__(self, root: Path, api: SlackApi, mail: Mailbox, *, extra: str = "", route: str = "",
                 schedules: dict[str, str] | None = None) -> None:
        self.root, self.api, self.mail = root, api, mail
        self.state = root.parent / "state"
        (root / "schedules").mkdir(parents=True, exist_ok=True)
        (root / "checklists").mkdir(exist_ok=True)
        (root / "schedules" / "people.yaml").write_text(PEOPLE)
        for sid, text in (schedules or {"payments": PAYMENTS}).items():
            (root / "schedules" / f"{sid}.yaml").write_text(text)
        (root / "checklists" / "primary.yaml").write_text(CHECKLIST)
        (root / "oncall.yaml").write_text(settings_yaml(api, mail, extra, route))
        self.readiness: dict[str, Readiness] = {}

    def org(self) -> Org:
        org = load_org(self.root)
        assert org.settings.errors == [], org.settings.errors
        return org

    def lookup(self, person: Person, checklist: str | None) -> Readiness | None:
        return self.readiness.get(person.id)

    def sender(self, org: Org) -> ChannelSender:
        settings, _ = load_settings(org)
        return ChannelSender(settings.channels, secret={"slack-bot": TOKEN}.get, sleep=lambda s: None)

    def run(self, now: int, sender: object = None, dry_run: bool = False) -> RunReport:
        org = self.org()
        return run(org, now, self.state, sender or self.sender(org), dry_run,  # type: ignore[arg-type]
                   readiness=self.lookup)

    def append(self, relative: str, text: str) -> None:
        path = self.root / relative
        path.write_text(path.read_text() + text)

    def override(self, person: str, start: str, end: str, reason: str = "", schedule: str = "payments") -> None:
        why = f"\n    reason: {reason}" if reason else ""
        path = self.root / "schedules" / f"{schedule}.yaml"
        text = path.read_text()
        if "overrides:" not in text:
            text += "overrides:\n"
        path.write_text(text + f"  - person: {person}\n    from: {start}\n    to: {end}{why}\n")

    def drop_overrides(self, schedule: str = "payments") -> None:
        path = self.root / "schedules" / f"{schedule}.yaml"
        path.write_text(path.read_text().split("overrides:")[0])

    def dms(self, user: str) -> list[str]:
        return [p["text"] for p in self.api.posts if p["channel"] == user]

    def mails_to(self, address: str) -> list[tuple[str, str]]:
        return [(m["Subject"], m.get_content().replace("\r\n", "\n")) for m in self.mail.messages()
                if m["To"] == address]
