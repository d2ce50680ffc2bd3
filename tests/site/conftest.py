"""Real parts for the site's tests: the test organisation, the built site, a local HTTP server that
serves it, and headless Chromium (Debian's package) driven by Playwright.

Browser tests skip, saying why, where Playwright or Chromium is not installed. Every page a test
opens is watched: a console error, an uncaught exception or a request to any host other than
the local server fails the test.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from site_helpers import BUILT, DESKTOP, ORG, WINDOW, Visit

from oncall.config.loader import load_org
from oncall.model import Org
from oncall.site import build_site


@pytest.fixture(scope="session")
def org() -> Org:
    return load_org(ORG)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A local HTTP server (127.0.0.1, any free port) serving a folder: (its URL, the folder)."""
    folder = tmp_path_factory.mktemp("served")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", folder
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def plain_site(org: Org, served: tuple[str, Path]) -> Path:
    """The test organisation's site, built at ``BUILT`` without a base URL (relative links only)."""
    out = served[1] / "plain"
    build_site(org, out, start=WINDOW[0], end=WINDOW[1], now=BUILT)
    return out


@pytest.fixture(scope="session")
def based_site(org: Org, served: tuple[str, Path]) -> tuple[str, Path]:
    """The same site built for the URL it is served at: (that URL, the folder)."""
    url = f"{served[0]}/based/"
    out = served[1] / "based"
    build_site(org, out, start=WINDOW[0], end=WINDOW[1], now=BUILT, base_url=url)
    return url, out


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium from the system (never a downloaded build)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed (pip install -e '.[test]')")
    executable = os.environ.get("ONCALL_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def artefacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: $ONCALL_SITE_ARTEFACTS, else a folder in pytest's temporary folder."""
    chosen = os.environ.get("ONCALL_SITE_ARTEFACTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("site-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder



@pytest.fixture
def visit(browser: Any, served: tuple[str, Path]) -> Iterator[Visit]:
    """``visit(url, tz=..., at=..., size=..., javascript=...)`` opens a page in a fresh browser
    context (the reader's time zone, a frozen clock) and yields it; afterwards the test fails on
    any console error, page error or request that left this machine's server and files."""
    server = served[0]
    problems: list[str] = []
    contexts: list[Any] = []

    @contextmanager
    def opener(url: str, *, tz: str = "UTC", at: int | None = None, size: tuple[int, int] = DESKTOP,
               javascript: bool = True) -> Iterator[Any]:
        context = browser.new_context(viewport={"width": size[0], "height": size[1]}, timezone_id=tz,
                                      locale="en-GB", java_script_enabled=javascript)
        contexts.append(context)

        def route(r: Any) -> None:
            if r.request.url.startswith(("file://", server + "/")):
                r.continue_()
            else:
                problems.append(f"request to another host: {r.request.url}")
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        if at is not None:
            page.clock.set_fixed_time(datetime.fromtimestamp(at, UTC))
        page.goto(url)
        yield page
        context.close()
        contexts.remove(context)

    yield opener
    for context in contexts:
        context.close()
    assert not problems, problems
