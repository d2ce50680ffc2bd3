"""``checklists/<id>.yaml`` → ``Checklist`` objects: items, their checks and their review dates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oncall.config import codes
from oncall.config import format as fmt
from oncall.config.marked import MarkedMap, MarkedSeq, line_of
from oncall.config.people import People
from oncall.config.reader import FileReader, read_file
from oncall.config.schedules import read_playbook
from oncall.errors import Problem
from oncall.model import Checklist, ChecklistItem

DEFAULT_TIMEOUT = 10.0  # seconds


def load_checklist(path: Path, name: str, problems: list[Problem], people: People, root: Path) -> Checklist | None:
    """Read one checklist file; its id is the file stem."""
    cid = path.stem
    f, data = read_file(path, name, problems, "a checklist needs `items:` (see `oncall init`)")
    if data is None:
        return None
    what = f"checklist {cid!r}"
    f.keys(data, "checklist", what)
    display = f.text(data, "name", what) or cid
    owner = None
    if data.get("owner") is not None:
        owner = f.ref(data["owner"], data, "owner", "owner:")
        if owner is not None:
            people.known(f, data, "owner", owner)
    reviewed = None
    if data.get("reviewed") is not None:
        parsed = f.time(data, "reviewed")
        if parsed is not None and not parsed.is_date:
            f.error(data, "reviewed", f"reviewed: {data['reviewed']!r} is not a date; write YYYY-MM-DD")
        elif parsed is not None:
            reviewed = parsed.wall.date()
    review_every = f.duration(data, "review_every")
    max_age = f.duration(data, "max_age")
    items: list[ChecklistItem] = []
    raw = data.get("items")
    seq = f.sequence(raw, data, "items", "items:") if raw is not None else None
    if seq is not None:
        if not seq:
            f.error(data, "items", "items: is empty; add at least one item with an id and a check")
        ids: dict[str, int] = {}
        for i, entry in enumerate(seq):
            item = _item(f, seq, i, entry, root)
            if item is None:
                continue
            if item.id in ids:
                f.error(seq, i, f"duplicate item id {item.id!r} (first on line {ids[item.id]}); "
                                "give each item its own id", codes.DUPLICATE)
                continue
            ids[item.id] = line_of(seq, i)
            items.append(item)
        for item in items:
            for need in item.needs:
                if need == item.id:
                    message, code = f"item {item.id!r} needs itself; remove it from needs:", codes.CYCLE
                elif need not in ids:
                    message = f"item {item.id!r} needs unknown item {need!r}; write one of: {', '.join(ids)}"
                    code = codes.UNKNOWN_REFERENCE
                else:
                    continue
                problems.append(Problem(message, item.location, code=code))
    if seq is None or raw is None:
        return None
    where = "reviewed" if "reviewed" in data else "review_every" if "review_every" in data else None
    return Checklist(id=cid, name=display, items=tuple(items), owner=owner, reviewed=reviewed,
                     review_every=review_every, max_age=max_age, path=path, review_location=f.at(data if where else None, where))


def _item(f: FileReader, seq: MarkedSeq, i: int, entry: Any, root: Path) -> ChecklistItem | None:
    m = f.mapping(entry, seq, i, f"item {i + 1}")
    if m is None:
        return None
    iid = f.ref(m["id"], m, "id", "id:") if m.get("id") is not None else None
    what = f"item {iid or i + 1!r}"
    if not f.keys(m, "item", what) or iid is None:
        return None
    title = f.text(m, "title", what) or iid
    kind, check = _check(f, m, what)
    if kind == "command":
        _person_in_code(f, seq, i, check.get("command"), what)
    # The timeout and the severity may sit inside check: (next to what they qualify) or on the item.
    raw_check = m.get("check")
    inner = raw_check if isinstance(raw_check, MarkedMap) else MarkedMap(0)
    timeout = f.duration(inner if "timeout" in inner else m, "timeout")
    severity = f.choice(inner if "severity" in inner else m, "severity", what, (*fmt.SEVERITIES, "warning"))
    retries = f.integer(m, "retries", what, maximum=100, example=2) or 0
    needs = tuple(ref for ref, _, _ in f.refs(m, "needs", what))
    when: dict[str, Any] = {}
    if m.get("when") is not None:
        when_map = f.mapping(m["when"], m, "when", "when:")
        when = dict(when_map) if when_map is not None else {}
    valid_for = f.duration(m, "valid_for")
    playbook = read_playbook(f, m, "playbook", what, root)
    if kind is None:
        return None
    return ChecklistItem(
        id=iid, title=title, kind=kind, check={k: v for k, v in check.items() if k != "severity"},
        fix=f.text(m, "fix", what), timeout=float(timeout.seconds) if timeout else DEFAULT_TIMEOUT,
        retries=retries, needs=needs, when=when, playbook=playbook, valid_for=valid_for,
        severity="warn" if severity == "warning" else severity or "block", location=f.at(seq, i),
    )


def _person_in_code(f: FileReader, seq: MarkedSeq, i: int, argv: Any, what: str) -> None:
    """A ``{person.<field>}`` inside code a program runs (``sh -c`` scripts...) is an error at the
    item's line. The rule is the checks' own; its module is imported only for a command that
    interpolates a person's field at all (most never do, and every command loads checklists)."""
    if not isinstance(argv, list) or not any("{person." in str(word) for word in argv):
        return
    from oncall.readiness.checks import person_in_code

    refused = person_in_code(argv)
    if refused:
        f.error(seq, i, f"{what}: {refused}")


def _check(f: FileReader, m: MarkedMap, what: str) -> tuple[str | None, dict[str, Any]]:
    kinds = ", ".join(f"{k}:" for k in fmt.CHECK_KINDS)
    has_check, has_confirm = m.get("check") is not None, m.get("confirm") is not None
    if has_check and has_confirm:
        f.error(m, "confirm", f"{what} has both check: and confirm:; keep one (split it into two items)")
        return None, {}
    if has_confirm:
        text = f.text(m, "confirm", what)
        return ("confirm", {"confirm": text}) if text else (None, {})
    if not has_check:
        f.error(m, None, f"{what} needs `check:` (with one of {kinds}) or `confirm: <statement>`", codes.MISSING_KEY)
        return None, {}
    check = f.mapping(m["check"], m, "check", f"check: in {what}")
    if check is None:
        return None, {}
    f.keys(check, "check", f"check: in {what}")
    if "confirm" in check:
        return "confirm", dict(check)
    for kind in fmt.CHECK_KINDS:
        if kind in check:
            if check[kind] is None:
                f.error(check, kind, f"{kind}: in {what} has no value; write what to check")
                return None, {}
            if not _runnable(f, check, kind, what):
                return None, {}
            return kind, dict(check)
    f.error(m, "check", f"check: in {what} names no check kind; write one of {kinds}", codes.MISSING_KEY)
    return None, {}



def _runnable(f: FileReader, check: MarkedMap, kind: str, what: str) -> bool:
    """The shape a check's value needs whoever runs it: an error at its line when it has not."""
    value = check[kind]
    if kind == "command" and (not isinstance(value, list) or not value
                              or any(isinstance(word, dict | list) or word is None for word in value)):
        f.error(check, kind, f"command: in {what} must be a list of words, e.g. [kubectl, auth, can-i, get, pods]; "
                             "it is never run by a shell")
        return False
    if kind == "tcp" and "{person." not in str(value) and fmt.host_port(str(value)) is None:
        f.error(check, kind, f"tcp: {str(value)!r} in {what} is not host:port; write e.g. {fmt.TCP_EXAMPLE}")
        return False
    return True
