"""command checks: argv only, stdin closed, the whole process group killed at the timeout."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from oncall.readiness import proc
from oncall.readiness.checks import Context, run_check
from tests.readiness.conftest import ALICE, item

CTX = Context(person=ALICE, now=1_800_000_000)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purposes; it waits for init to reap it.
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return True


def test_grandchild_is_killed_at_the_timeout(tmp_path: Path) -> None:
    pidfile = tmp_path / "grandchild.pid"
    script = (
        "import subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        f"open({str(pidfile)!r}, 'w').write(str(child.pid))\n"
        "time.sleep(60)\n"
    )
    check = item("sleepy", "command", timeout=1.0, command=[sys.executable, "-c", script])
    outcome = run_check(check, CTX)
    assert outcome.status == "fail" and "did not finish within 1s" in outcome.message
    grandchild = int(pidfile.read_text())
    for _ in range(50):  # the kill is sent; give the kernel a moment to finish it
        if not _alive(grandchild):
            break
        time.sleep(0.05)
    assert not _alive(grandchild)


def test_stdin_is_closed() -> None:
    result = proc.run([sys.executable, "-c", "import sys; print(repr(sys.stdin.read()))"], timeout=10)
    assert result.stdout.strip() == "''"


def test_argv_is_never_a_shell() -> None:
    check = item("echo", "command", command=["echo", "$HOME; rm -rf /"], expect_output="$HOME; rm -rf /")
    assert run_check(check, CTX).status == "pass"
    as_string = item("str", "command", command="echo hi")
    outcome = run_check(as_string, CTX)
    assert outcome.status == "error" and "list" in outcome.message


def test_expect_exit_and_output() -> None:
    no = [sys.executable, "-c", "print('no'); raise SystemExit(1)"]
    outcome = run_check(item("k", "command", command=no, expect_output="yes"), CTX)
    assert outcome.status == "fail" and "exited 1" in outcome.message
    outcome = run_check(item("k", "command", command=no, expect_exit=[0, 1], expect_output="/^yes$/"), CTX)
    assert outcome.status == "fail" and "does not match" in outcome.message
    yes = [sys.executable, "-c", "import sys; sys.stderr.write('yes\\n')"]
    assert run_check(item("k", "command", command=yes, expect_output="/^yes$/"), CTX).status == "pass"


def test_missing_program_fails_with_a_reason() -> None:
    outcome = run_check(item("x", "command", command=["no-such-program-oncall"]), CTX)
    assert outcome.status == "fail" and "not installed" in outcome.message


def test_person_fields_in_argv() -> None:
    check = item("t", "command", command=["echo", "{person.id} {person.slack}"], expect_output="alice U024BE7LH")
    assert run_check(check, CTX).status == "pass"
    unknown = item("u", "command", command=["echo", "{person.pager}"])
    outcome = run_check(unknown, CTX)
    assert outcome.status == "error" and "person.pager" in outcome.message
