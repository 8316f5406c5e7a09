"""Throughput of the mixed read pages under 50 concurrent users, on gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/emulation_bench \
        .venv/bin/python bench/load.py [--users 50] [--seconds 30] [--workers 2]

Needs the province of bench/generate.py in that database and Debian's `wrk`. Starts
gunicorn with production settings (DEBUG off, collected static files) on a free port,
logs in as the bench staff user (one session shared by every connection), checks that
every URL answers 200, then lets wrk keep `--users` connections busy for `--seconds`
and prints requests per second, the 50th/95th/99th percentile latency and the number
of errors (connection errors and answers of 400 or more).
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emulation.settings")
os.environ.setdefault("DEBUG", "1")
# The session made here must be signed with the key the server uses.
os.environ.setdefault(
    "SECRET_KEY", "load-test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.urls import reverse  # noqa: E402

from clusters.models import ClusterYear, Period, Province, Unit, User  # noqa: E402


def mixed_urls(province: Province) -> list[str]:
    """The pages leaders and staff read most, in the proportions they are read."""
    term = (
        ClusterYear.objects.filter(cluster__province=province)
        .order_by("-year", "cluster_id")
        .first()
    )
    period = Period.objects.filter(cluster_year=term).order_by("kind").first()
    units = list(Unit.objects.filter(province=province).order_by("pk")[:10])
    urls = [reverse("home")] * 3
    urls += [reverse("clusters:cluster_list"), reverse("clusters:unit_list") + "?q=tan"]
    urls += [reverse("clusters:clusteryear_detail", args=[term.pk])]
    urls += [reverse("clusters:ranking", args=[period.pk])] if period else []
    urls += [reverse("clusters:unit_detail", args=[unit.pk]) for unit in units[:4]]
    urls += [reverse("clusters:search") + "?q=hong"] if _has_url("clusters:search") else []
    return urls


def _has_url(name: str) -> bool:
    try:
        reverse(name)
    except Exception:
        return False
    return True


def session_cookie(user: User) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=30)
    # One per core measured best on the 2-core machine (3 and 4 were not faster).
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--province-name", default="Tỉnh Benchmark")
    parser.add_argument("--url", action="append", help="measure these URLs instead of the mix")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: sudo apt-get install wrk")
    province = Province.objects.filter(name=options.province_name).first()
    if province is None:
        sys.exit(f"No province {options.province_name!r}: run bench/generate.py first.")
    staff = User.objects.get(username="bench_staff")
    cookie = session_cookie(staff)
    urls = options.url or mixed_urls(province)

    port = free_port()
    static_root = tempfile.mkdtemp(prefix="load-static-")
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATIC_ROOT": static_root,
    }
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    server = subprocess.Popen(
        [
            str(Path(python).with_name("gunicorn")),
            "emulation.wsgi",
            "--workers",
            str(options.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(base + "/login/", timeout=1)
                break
            except OSError:  # not listening yet, or still importing
                time.sleep(0.5)
        for url in urls:  # every URL must answer 200, not a redirect to the login page
            request = urllib.request.Request(base + url, headers={"Cookie": cookie})
            with urllib.request.urlopen(request, timeout=10) as response:
                if response.status != 200 or "/login/" in response.url:
                    sys.exit(f"{url} answered {response.status} at {response.url}")
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as file:
            file.write("\n".join(urls) + "\n")
        result = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{options.users}",
                f"-d{options.seconds}s",
                "--timeout",
                "10s",
                "-s",
                str(BENCH_DIR / "load.lua"),
                base,
            ],
            env={**env, "LOAD_URLS": file.name, "LOAD_COOKIE": cookie},
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)
    line = next(x for x in result.stdout.splitlines() if x.startswith("LOAD_RESULT"))
    figures = dict(re.findall(r"(\w+)=([\d.]+)", line))
    seconds = int(figures["duration_us"]) / 1e6
    print(f"{len(urls)} URLs in rotation: " + ", ".join(urls))
    print(
        f"{options.users} users, {options.workers} gunicorn workers, {seconds:.0f} s: "
        f"{int(figures['requests']) / seconds:.1f} requests/s, "
        f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, p99 {figures['p99_ms']} ms, "
        f"max {figures['max_ms']} ms, errors {figures['errors']}"
    )


if __name__ == "__main__":
    main()
