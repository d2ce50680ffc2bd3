"""Run checklists: every item at once, honouring ``when:``, ``needs:`` and retries.

Checks wait on the network or on a program, not on the CPU. Checks that only wait on the network
(``http``, ``tcp``, ``dns``) wait together on one asyncio event loop, so 2,000 checks that each
wait 200 ms take a little over 200 ms of waiting, and cost little CPU beyond their own work: no
thread per connection (a host name is looked up on a short-lived thread of its own). The others (programs, files, the keyring) block,
so they run on a pool of ``PROCESS_SLOTS`` threads; programs cost a process each (memory, CPU), so
at most that many run at once.

Every item is a task from the start. An item first waits for the items it needs, which come
before it in the plan (a ``needs:`` that points forward is a cycle, reported, never waited on), and
only then takes one of the places of ``at_once`` checks running, so waiting never holds a place
and the run cannot deadlock.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date

from oncall import collector
from oncall.errors import SecretError
from oncall.model import Checklist, ChecklistItem
from oncall.readiness import net
from oncall.readiness.checks import (
    SOCKET_KINDS,
    CheckParamError,
    Context,
    Outcome,
    ago,
    missing_secret,
    outcome_of,
    run_check,
    run_socket_check,
    skip_reason,
)
from oncall.readiness.results import ERROR, FAIL, NOT_READY, PASS, SKIP, WARN, CheckResult, SavedRun, item_key
from oncall.redact import MASK as MASK  # what a masked secret looks like, for callers of mask()
from oncall.redact import redact, terminal_safe

MAX_WORKERS = 4096  # checks run at once at most: each holds a socket (or a pipe, or a thread)
PROCESS_SLOTS = 32  # threads for checks that block, so programs run at once at most: each costs a process
RETRY_PAUSE = 0.5  # seconds between attempts: enough for a flaky VPN, short enough to not stall a run


@dataclass(frozen=True)
class Planned:
    """One item of one checklist, as it will be run."""

    checklist: Checklist
    item: ChecklistItem

    @property
    def key(self) -> str:
        return item_key(self.checklist.id, self.item.id)


def plan(checklists: Sequence[Checklist]) -> list[Planned]:
    """Every item of ``checklists`` (each checklist once), prerequisites first, else in file order."""
    out: list[Planned] = []
    seen: set[str] = set()
    for checklist in checklists:
        if checklist.id not in seen:
            seen.add(checklist.id)
            out.extend(Planned(checklist, item) for item in _prerequisites_first(checklist))
    return out


def _prerequisites_first(checklist: Checklist) -> list[ChecklistItem]:
    by_id = {item.id: item for item in checklist.items}
    ordered: list[ChecklistItem] = []
    placed: set[str] = set()
    visiting: set[str] = set()

    def place(item: ChecklistItem) -> None:
        if item.id in placed or item.id in visiting:
            return  # a cycle is reported when the item runs
        visiting.add(item.id)
        for need in item.needs:
            if need in by_id:
                place(by_id[need])
        visiting.discard(item.id)
        placed.add(item.id)
        ordered.append(item)

    for item in checklist.items:
        place(item)
    return ordered


def severity(item: ChecklistItem) -> str:
    """``warn`` when a failure of this item is a warning, not a blocker (``severity: warn``)."""
    return WARN if item.severity == "warn" else FAIL


def _with_severity(item: ChecklistItem, outcome: Outcome) -> Outcome:
    if outcome.status in NOT_READY and severity(item) == WARN:
        return Outcome(WARN, outcome.message, outcome.fix)
    return outcome


def mask(text: str, secrets: set[str]) -> str:
    """``text`` fit to show and save: every form of every secret value masked (``MASK``), as a
    peer may echo it (URL-encoded, base64...), and terminal control characters escaped."""
    return terminal_safe(redact(text, secrets))


def fix_for(item: ChecklistItem, outcome: Outcome) -> str | None:
    """What to do about a result; none when it passed or was skipped.

    An outcome's own fix (store the secret, confirm the statement) comes first: an item's ``fix:``
    is written for its check failing, and "Re-login to Grafana" does not help while the token is
    not even stored. Where the item is itself about that secret or statement, its ``fix:`` says
    how to get there and is kept in front of the command (once).
    """
    if outcome.status in (PASS, SKIP):
        return None
    if outcome.fix is None or item.fix is None:
        return outcome.fix or item.fix
    if outcome.fix in item.fix:
        return item.fix
    if item.kind in ("secret", "confirm"):
        return f"{item.fix.rstrip(' .')}, then: {outcome.fix}"
    return outcome.fix


def pool_size(count: int, workers: int | None = None) -> int:
    """Checks run at once for ``count`` checks: all of them, at most ``workers`` (default and
    ceiling ``MAX_WORKERS``), and at most half as many as this process may open files (a socket
    is one; the other half is left for everything else)."""
    limit = MAX_WORKERS if workers is None else min(workers, MAX_WORKERS)
    return max(1, min(count, limit, _open_files() // 2))


def _open_files() -> int:
    """How many files this process may have open at once (``ulimit -n``)."""
    try:
        import resource
    except ImportError:  # Windows: no such limit on sockets
        return 2 * MAX_WORKERS
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return soft if soft != resource.RLIM_INFINITY else 2 * MAX_WORKERS


def run(
    planned: Sequence[Planned],
    ctx: Context,
    *,
    workers: int | None = None,
    clock: Callable[[], int] | None = None,
    on_start: Callable[[Planned], None] | None = None,
    on_result: Callable[[CheckResult], None] | None = None,
) -> list[CheckResult]:
    """Run every planned item for ``ctx.person``; results come back in plan order.

    At most ``pool_size(len(planned), workers)`` checks run at once, and of those at most
    ``PROCESS_SLOTS`` that block (programs, files, the keyring). ``on_start``/``on_result`` are
    called one at a time, from the event loop's thread (for progress displays).
    """
    # Thousands of checks under way hold tens of thousands of objects (tasks, connections, h11's
    # state): the cyclic collector's passes over them took a sixth of the CPU of 2,000 http checks.
    with collector.paused():
        return net.run_to_end(_run(planned, ctx, workers, clock or (lambda: ctx.now), on_start, on_result))


async def _run(planned: Sequence[Planned], ctx: Context, workers: int | None, tick: Callable[[], int],
               on_start: Callable[[Planned], None] | None,
               on_result: Callable[[CheckResult], None] | None) -> list[CheckResult]:
    loop = asyncio.get_running_loop()
    at_once = asyncio.Semaphore(pool_size(len(planned), workers))
    order = {p.key: i for i, p in enumerate(planned)}
    tasks: dict[str, asyncio.Task[CheckResult]] = {}

    async def attempt(p: Planned, item_ctx: Context) -> Outcome:
        try:
            if p.item.kind in SOCKET_KINDS:
                return await run_socket_check(p.item, item_ctx)
            return await loop.run_in_executor(blocking, run_check, p.item, item_ctx)
        except Exception as exc:  # a bug in one check must not take the others down
            return Outcome(ERROR, f"the check crashed ({type(exc).__name__})")

    async def one(p: Planned) -> CheckResult:
        item_ctx = replace(ctx, checklist=p.checklist.id)
        started_at = tick()
        t0 = time.monotonic()
        attempts = 0
        outcome = await _blocked(p, tasks, order)
        if outcome is None and p.item.when:
            try:  # ``when:`` may ask the keyring or look for files
                reason = await loop.run_in_executor(blocking, skip_reason, p.item, item_ctx)
            except CheckParamError as exc:
                outcome = Outcome(ERROR, str(exc))
            else:
                if reason is not None:
                    outcome = Outcome(SKIP, reason)
        if outcome is None:
            async with at_once:
                if on_start is not None:
                    on_start(p)
                while True:
                    attempts += 1
                    outcome = await attempt(p, item_ctx)
                    if outcome.status not in NOT_READY or attempts > p.item.retries:
                        break
                    await asyncio.sleep(RETRY_PAUSE)
            outcome = _with_severity(p.item, outcome)
        result = CheckResult(
            checklist=p.checklist.id, item=p.item.id, title=p.item.title, kind=p.item.kind,
            status=outcome.status, message=mask(outcome.message, ctx.used_secrets),
            fix=fix_for(p.item, outcome), playbook=p.item.playbook,
            at=started_at, duration=time.monotonic() - t0, attempts=max(attempts, 1),
        )
        if on_result is not None:
            on_result(result)
        return result

    with ThreadPoolExecutor(PROCESS_SLOTS, thread_name_prefix="check") as blocking:
        for p in planned:
            tasks[p.key] = asyncio.create_task(one(p))
        results = await asyncio.gather(*tasks.values())
    # A check that finished before another one fetched a secret could not mask that value (a
    # program printing a token an http check sends): every message is masked again with every
    # value handed out in the run.
    return [replace(r, message=mask(r.message, ctx.used_secrets)) for r in results]


async def _blocked(p: Planned, tasks: dict[str, asyncio.Task[CheckResult]], order: dict[str, int]) -> Outcome | None:
    """A skip when a prerequisite did not pass; None when all passed. (``order`` holds every item
    of every planned checklist.)"""
    for need in p.item.needs:
        key = item_key(p.checklist.id, need)
        if key not in order:
            return Outcome(ERROR, f"needs {need!r}, which is not an item of checklist {p.checklist.id!r}")
        if order[key] >= order[p.key]:
            return Outcome(ERROR, f"needs {need!r}, which needs this item back (a cycle); remove one of them")
        prerequisite = await tasks[key]
        if prerequisite.status != PASS:
            return Outcome(SKIP, f"needs {need!r}, which did not pass ({prerequisite.status})")
    return None


def review_findings(checklists: Sequence[Checklist], today: date, at: int) -> list[CheckResult]:
    """A warning for each checklist that is stale on ``today`` (the caller's calendar date; the
    rule is ``Checklist.overdue_days``), stamped ``at``. Stale checklists mislead."""
    out = []
    for checklist in checklists:
        overdue = checklist.overdue_days(today)
        if overdue is None or checklist.reviewed is None:
            continue
        owner = f"; ask {checklist.owner} to review it" if checklist.owner else ""
        late = "due today" if overdue == 0 else f"overdue by {overdue} day{'s' if overdue != 1 else ''}"
        out.append(CheckResult(
            checklist=checklist.id, item="review", title=f"Checklist {checklist.name} is current",
            kind="review", status=WARN,
            message=f"stale: last reviewed {checklist.reviewed.isoformat()}, due every {checklist.review_every} "
                    f"({late}){owner}",
            fix="Review the checklist, then update `reviewed:` in checklists/" + checklist.id + ".yaml",
            at=at,
        ))
    return out


def static(planned: Sequence[Planned], ctx: Context, saved: SavedRun | None) -> list[CheckResult]:
    """Readiness without running access checks: secrets present, attestations valid, ``when:``,
    and for everything else what the last saved ``--check-access`` run found."""
    last = {r.key: r for r in saved.results} if saved else {}
    last_passed = saved.last_passed if saved else {}
    out = []
    status: dict[str, str] = {}
    for p in planned:
        item_ctx = replace(ctx, checklist=p.checklist.id)
        unmet = [n for n in p.item.needs if status.get(item_key(p.checklist.id, n)) != PASS]
        try:
            reason = skip_reason(p.item, item_ctx)
            if unmet:
                outcome = Outcome(SKIP, f"needs {unmet[0]!r}, which did not pass")
            elif reason is not None:
                outcome = Outcome(SKIP, reason)
            elif p.item.kind in ("secret", "confirm"):
                outcome = run_check(p.item, item_ctx)
            elif p.item.kind == "http" and p.item.check.get("secret") and not item_ctx.secret(
                str(p.item.check["secret"])
            ):
                outcome = missing_secret(str(p.item.check["secret"]))
            else:
                outcome = _from_history(last.get(p.key), last_passed.get(p.key), ctx.now)
        except (CheckParamError, SecretError) as exc:
            outcome = outcome_of(exc)
        outcome = _with_severity(p.item, outcome)
        status[p.key] = outcome.status
        out.append(CheckResult(
            checklist=p.checklist.id, item=p.item.id, title=p.item.title, kind=p.item.kind,
            status=outcome.status, message=mask(outcome.message, ctx.used_secrets),
            fix=fix_for(p.item, outcome), playbook=p.item.playbook,
            at=ctx.now, last_passed=last_passed.get(p.key),
        ))
    return out


def _from_history(last: CheckResult | None, passed_at: int | None, now: int) -> Outcome:
    if last is None:
        return Outcome(SKIP, "not verified yet; `oncall ready --check-access` runs the checks")
    when = f"{ago(now - last.at)} ago"
    if last.status == PASS:
        return Outcome(PASS, f"passed when last checked, {when}")
    if last.status in NOT_READY:
        verb = "failed" if last.status == FAIL else "could not run"
        since = f"; last passed {ago(now - passed_at)} ago" if passed_at else ""
        return Outcome(last.status, f"{verb} when last checked, {when}: {last.message}{since}", last.fix)
    return Outcome(last.status, f"when last checked, {when}: {last.message}", last.fix)
