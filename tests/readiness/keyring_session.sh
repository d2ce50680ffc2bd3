#!/bin/sh
# Run a command inside a private D-Bus session with an unlocked gnome-keyring (a real Secret
# Service), the way a headless Linux machine or CI can. HOME, XDG_RUNTIME_DIR and XDG_DATA_HOME
# should point at temp folders (the caller sets them). Usage: keyring_session.sh CMD [ARGS...]
set -eu
mkdir -p "${XDG_RUNTIME_DIR:?set XDG_RUNTIME_DIR to a temp folder}"
chmod 700 "$XDG_RUNTIME_DIR"
exec dbus-run-session -- sh -c '
  printf "%s" "oncall-test-login" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  exec "$@"' sh "$@"
