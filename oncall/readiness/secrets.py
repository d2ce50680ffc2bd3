"""The keyring seam: every read or write of a checklist secret goes through here.

Secrets live in the OS keyring under the service name ``oncall``. A keyring cannot list its
entries, so the names (never the values) are also kept in an index in the state directory,
which is what ``oncall secret list`` shows.

Public API (used by the readiness checks and by notifications)::

    get_secret(name) -> str | None      # None when not stored
    set_secret(name, value) -> None
    delete_secret(name) -> bool         # False when there was nothing to delete
    list_secrets() -> list[StoredSecret]
    backend_info() -> BackendInfo       # which backend, where, whether it is a plain file

Every failure of the keyring becomes one ``SecretError`` whose message says how to fix it and
never contains a secret's value. A backend that would prompt for a password (keyrings.alt's
encrypted file) is refused when stdin is not a terminal, so a script or CI job never hangs.
"""

from __future__ import annotations

import re
import sys
import threading
from dataclasses import dataclass
from typing import Any

from oncall.errors import SecretError, StateError
from oncall.readiness.state import locked, read_json, state_dir, write_json

SERVICE = "oncall"
INDEX_FILE = "secrets.json"
INDEX_LOCK = "secrets.lock"

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$")
_lock = threading.Lock()  # keyring backends are not all safe to call from several threads

HEADLESS_HELP = (
    "no usable keyring backend. On a desktop, unlock your login keyring. On a headless Linux machine "
    "either run a Secret Service: install gnome-keyring and dbus, then start the command inside "
    "`dbus-run-session -- sh -c 'echo PASSWORD | gnome-keyring-daemon --unlock --components=secrets; oncall ...'`; "
    "or use a file backend: `pip install keyrings.alt` and set "
    "PYTHON_KEYRING_BACKEND=keyrings.alt.file.PlaintextKeyring (stores secrets base64-encoded, not encrypted)"
)


@dataclass(frozen=True)
class BackendInfo:
    """Which keyring backend is in use and where it keeps secrets."""

    name: str  # e.g. "keyring.backends.SecretService.Keyring"
    where: str  # a file path or a description of the store
    plaintext: bool  # True when secrets sit readable in a file


@dataclass(frozen=True)
class StoredSecret:
    name: str
    where: str  # the backend that held it when it was set
    stored_at: int | None  # epoch seconds, when known


def check_name(name: str) -> str:
    """Return ``name`` if it is a valid secret name, else raise ``SecretError`` saying what to write."""
    if not _NAME.match(name):
        raise SecretError(
            f"{name!r} is not a secret name; use letters, digits, '.', '_', '-' or '@' "
            "(at most 128), starting with a letter or digit, e.g. 'pagerduty'"
        )
    return name


def _backend() -> Any:
    """The keyring backend, or ``SecretError`` when none can be used without a prompt."""
    try:
        import keyring
        from keyring.errors import KeyringError

        backend = keyring.get_keyring()
    except ModuleNotFoundError as exc:
        raise SecretError(
            f"PYTHON_KEYRING_BACKEND names a module that is not installed ({exc.name}); "
            f"check the spelling, or unset it. {HEADLESS_HELP}"
        ) from None
    except (RuntimeError, KeyringError) as exc:
        raise SecretError(f"the keyring backend cannot start ({_short(exc)}): {HEADLESS_HELP}") from None
    cls = type(backend)
    qualified = f"{cls.__module__}.{cls.__name__}"
    if qualified.startswith("keyring.backends.fail") or cls.__name__ == "ChainerBackend" and not getattr(
        backend, "backends", True
    ):
        raise SecretError(HEADLESS_HELP)
    if "Encrypted" in cls.__name__ and not _stdin_is_terminal():
        raise SecretError(
            f"the keyring backend {qualified} asks for a password and stdin is not a terminal; "
            "run the command in a terminal, or set PYTHON_KEYRING_BACKEND to a backend that does not prompt "
            "(keyring.backends.SecretService.Keyring with gnome-keyring unlocked)"
        )
    return backend


def _stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):
        return False


def _short(exc: BaseException) -> str:
    # Backend errors describe the backend, never a value; still keep them to one line.
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


def backend_info() -> BackendInfo:
    """Describe the backend in use (raises ``SecretError`` when there is none)."""
    backend = _backend()
    cls = type(backend)
    name = f"{cls.__module__}.{cls.__name__}"
    path = getattr(backend, "file_path", None)
    plaintext = cls.__name__ == "PlaintextKeyring" or (
        cls.__module__.startswith("keyrings.alt") and "Encrypted" not in cls.__name__ and path is not None
    )
    if path:
        where = str(path)
    elif "SecretService" in name:
        where = "Secret Service (gnome-keyring / KWallet) over D-Bus"
    elif "macOS" in name or "OS_X" in name:
        where = "macOS Keychain"
    elif "Windows" in name:
        where = "Windows Credential Manager"
    else:
        where = getattr(backend, "name", name)
    return BackendInfo(name=name, where=str(where), plaintext=plaintext)


def _call(action: str, name: str, fn: Any) -> Any:
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        with _lock:
            return fn()
    except PasswordDeleteError:
        raise
    except (KeyringError, RuntimeError, OSError, EOFError) as exc:
        # The exception text comes from the backend; it is about the store, but it is kept out of
        # the message anyway in case a backend ever echoes what it was given.
        raise SecretError(f"cannot {action} secret {name!r}: the keyring failed ({type(exc).__name__}). "
                          f"{HEADLESS_HELP}") from None


def get_secret(name: str) -> str | None:
    """The value of secret ``name`` from the keyring, or None when it is not stored.

    Callers must never print, log or raise the returned value.
    """
    check_name(name)
    backend = _backend()
    value = _call("read", name, lambda: backend.get_password(SERVICE, name))
    return value if isinstance(value, str) and value != "" else None


def set_secret(name: str, value: str, *, at: int | None = None) -> BackendInfo:
    """Store ``value`` under ``name`` and record the name in the index; returns the backend used.

    The index is written first, under a lock shared by every oncall process: a state folder that
    cannot be written stops the command before the keyring changes, a keyring that fails puts the
    index back, and two ``secret set`` at once both land (in the keyring and in the index).
    """
    check_name(name)
    if not value:
        raise SecretError(f"refusing to store an empty value for secret {name!r}")
    backend = _backend()
    info = backend_info()
    with locked(state_dir() / INDEX_LOCK, f"storing secret {name!r}"):
        before = _read_index()
        entry = {"where": f"{info.name} ({info.where})" if info.where != info.name else info.name, "stored_at": at}
        _write_index({**before, name: entry})
        try:
            _call("store", name, lambda: backend.set_password(SERVICE, name, value))
        except BaseException:
            _restore_index(before)
            raise
    return info


def delete_secret(name: str) -> bool:
    """Delete secret ``name``; False when the keyring held nothing under that name.

    Like ``set_secret``: the index changes first, and is put back if the keyring fails.
    """
    from keyring.errors import PasswordDeleteError

    check_name(name)
    backend = _backend()
    with locked(state_dir() / INDEX_LOCK, f"deleting secret {name!r}"):
        before = _read_index()
        if name in before:
            _write_index({k: v for k, v in before.items() if k != name})
        try:
            _call("delete", name, lambda: backend.delete_password(SERVICE, name))
            deleted = True
        except PasswordDeleteError:
            deleted = False
        except BaseException:
            if name in before:
                _restore_index(before)
            raise
    return deleted


def list_secrets() -> list[StoredSecret]:
    """Names of the secrets oncall stored, with where (never values), sorted by name."""
    index = _read_index()
    out = []
    for name in sorted(index):
        entry = index[name] if isinstance(index[name], dict) else {}
        stored_at = entry.get("stored_at")
        out.append(StoredSecret(name, str(entry.get("where", "")), stored_at if isinstance(stored_at, int) else None))
    return out


def _read_index() -> dict[str, Any]:
    data = read_json(state_dir() / INDEX_FILE)
    return data.get("secrets", {}) if isinstance(data, dict) and isinstance(data.get("secrets"), dict) else {}


def _write_index(index: dict[str, Any]) -> None:
    write_json(state_dir() / INDEX_FILE, {"version": 1, "secrets": dict(sorted(index.items()))})


def _restore_index(index: dict[str, Any]) -> None:
    try:
        _write_index(index)
    except StateError:
        pass  # it was written a moment ago; the keyring's own error is the one to report
