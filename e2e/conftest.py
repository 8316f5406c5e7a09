"""Browser tests: Debian's Chromium clicks through the real server, as a user would.

One server per session: `manage.py runserver` with DEBUG=1 on a free localhost port,
against its own temporary SQLite file filled by `migrate` and `load_demo`, whatever
DATABASE_URL the rest of the suite uses. One browser per session; each test gets a
fresh context (no cookies), and leaves a screenshot in e2e/screenshots/<test>.png.

Without Chromium every test here is skipped, with the command that installs it.
"""

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE / "screenshots"

CHROMIUM = "/usr/bin/chromium"  # Debian's package; `playwright install` is never used
DEMO_PASSWORD = "demo12345"
AXES_FAILURE_LIMIT = 5
SERVER_START_TIMEOUT = 30  # seconds

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Settings that would make the local server unusable over plain HTTP, or point it at
# another database; the e2e server never inherits them from the developer's shell.
SERVER_ENV_DROPPED = (
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "BEHIND_PROXY",
)


def chromium_path() -> str | None:
    if os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    return shutil.which("chromium")


def pytest_collection_modifyitems(config, items):
    if chromium_path():
        return
    skip = pytest.mark.skip(
        reason=f"Browser tests need Chromium, found neither {CHROMIUM} nor `chromium` on PATH."
        " Install it with: sudo apt-get install chromium"
    )
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env: dict, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.fail(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}",
            pytrace=False,
        )


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The e2e server exited:\n{log.read_text()[-3000:]}", pytrace=False)
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    pytest.fail(
        f"The e2e server did not answer {url} within {SERVER_START_TIMEOUT} s:\n"
        f"{log.read_text()[-3000:]}",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("e2e") / "e2e.sqlite3"


@pytest.fixture(scope="session")
def demo_server(demo_database) -> Iterator[str]:
    """The base URL of a real server on the demo data, e.g. http://127.0.0.1:45321."""
    env = {k: v for k, v in os.environ.items() if k not in SERVER_ENV_DROPPED}
    env.update(
        DEBUG="1",
        SQLITE_PATH=str(demo_database),
        MEDIA_ROOT=str(demo_database.parent / "media"),
        AXES_FAILURE_LIMIT=str(AXES_FAILURE_LIMIT),
        PYTHONUNBUFFERED="1",
    )
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "load_demo")

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = demo_database.parent / "server.log"
    with log.open("w") as log_file:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(f"{base_url}/login/", process, log)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def base_url(demo_server) -> str:
    """pytest-playwright resolves `page.goto("/login/")` against this."""
    return demo_server


@pytest.fixture(scope="session")
def demo_db(demo_server, demo_database):
    """Read-only SQL on the server's database, for ids a user could not discover."""

    def query(sql: str, *params):
        connection = sqlite3.connect(f"file:{demo_database}?mode=ro", uri=True)
        try:
            return connection.execute(sql, params).fetchall()
        finally:
            connection.close()

    return query


@pytest.fixture(scope="session")
def login_failure_limit() -> int:
    """django-axes' AXES_FAILURE_LIMIT, as given to the server."""
    return AXES_FAILURE_LIMIT


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, headless unless --headed; `playwright install` is not used."""
    return {
        "headless": True,
        **browser_type_launch_args,
        "executable_path": chromium_path(),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(autouse=True)
def _screenshot(request, page):
    """Leave the page each test ends on in e2e/screenshots/<test name>.png."""
    yield
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{request.node.originalname}.png", full_page=True)


@pytest.fixture
def login(page):
    """Log in through the form, as `login("canbo")`; returns the name shown in the navbar."""

    def log_in(username: str, password: str = DEMO_PASSWORD) -> str:
        page.goto("/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("main button[type=submit]")
        page.wait_for_url(lambda url: "/login/" not in url)
        return page.locator("nav .navbar-text").inner_text().strip()

    return log_in
