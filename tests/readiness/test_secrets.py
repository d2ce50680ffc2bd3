"""The keyring seam against real backends: a keyrings.alt file in a temp folder, and gnome-keyring
under dbus-run-session where it is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from oncall.errors import SecretError
from oncall.readiness import secrets
from oncall.readiness.state import state_dir

HERE = Path(__file__).parent
VALUE = "s3cr3t-value-never-shown"


def test_file_backend_round_trip_and_index(state_home: Path) -> None:
    assert secrets.get_secret("pagerduty") is None
    info = secrets.set_secret("pagerduty", VALUE, at=1_800_000_000)
    assert info.plaintext
    assert secrets.get_secret("pagerduty") == VALUE
    assert [s.name for s in secrets.list_secrets()] == ["pagerduty"]
    index = (state_dir() / "secrets.json").read_text()
    assert VALUE not in index
    assert secrets.delete_secret("pagerduty") is True
    assert secrets.delete_secret("pagerduty") is False
    assert secrets.list_secrets() == []


def test_bad_name_is_refused(state_home: Path) -> None:
    with pytest.raises(SecretError, match="not a secret name"):
        secrets.set_secret("../etc", VALUE)


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)


def test_no_backend_gives_one_message(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", XDG_STATE_HOME=str(tmp_path))
    code = ("from oncall.readiness import secrets\n"
            "from oncall.errors import SecretError\n"
            "try:\n    secrets.get_secret('x')\nexcept SecretError as e:\n    print(e.message)\n")
    out = _python(code, env)
    assert "PYTHON_KEYRING_BACKEND" in out.stdout and "gnome-keyring" in out.stdout and "keyrings.alt" in out.stdout
    typo = _python(code, dict(env, PYTHON_KEYRING_BACKEND="keyrings.nope.Keyring"))
    assert "not installed" in typo.stdout


def test_encrypted_backend_is_refused_without_a_terminal(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyrings.alt.file.EncryptedKeyring",
               XDG_STATE_HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path))
    code = ("from oncall.readiness import secrets\nfrom oncall.errors import SecretError\n"
            "try:\n    secrets.set_secret('x', 'v')\nexcept SecretError as e:\n    print(e.message)\n")
    out = _python(code, env)  # stdin is /dev/null: must not hang on a password prompt
    # Without pycryptodome the backend cannot start; with it, it would prompt: both end in one message.
    assert "asks for a password" in out.stdout or "cannot start" in out.stdout
    assert out.returncode == 0 and "Traceback" not in out.stderr


@pytest.mark.skipif(
    not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")),
    reason="gnome-keyring and dbus are not installed (.ci/run installs them with apt)",
)
def test_gnome_keyring_round_trip(tmp_path: Path) -> None:
    env = dict(os.environ, HOME=str(tmp_path / "home"), XDG_RUNTIME_DIR=str(tmp_path / "run"),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_STATE_HOME=str(tmp_path / "state"),
               PYTHON_KEYRING_BACKEND="keyring.backends.SecretService.Keyring")
    (tmp_path / "home").mkdir()
    script = (
        "from oncall.readiness import secrets\n"
        f"info = secrets.set_secret('pd', {VALUE!r})\n"
        "print(info.name, info.plaintext)\n"
        f"print(secrets.get_secret('pd') == {VALUE!r})\n"
        "print(secrets.delete_secret('pd'), secrets.get_secret('pd'))\n"
    )
    out = subprocess.run([str(HERE / "keyring_session.sh"), sys.executable, "-c", script], env=env,
                         capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["keyring.backends.SecretService.Keyring", "False", "True", "True", "None"]
    assert VALUE not in out.stderr
