"""Time the main pages against the province that bench/generate.py made.

    python bench/run.py [--repeat 30] [--target-ms 100]

Each page is requested through django.test.Client as the user who would open it:
once to warm up, once under CaptureQueriesContext to count its queries, then
`--repeat` times with the clock running. DEBUG is off while measuring. Prints a
table, writes bench/results-<database vendor>.json, and exits with status 1 if a
page's median is over the target (status 2 if a page does not answer 200).
"""

import argparse
import json
import math
import os
import platform
import re
import statistics
import sys
import time
import warnings
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emulation.settings")
# The settings load with DEBUG=1 (no SECRET_KEY, no HTTPS redirect, no static manifest
# needed); DEBUG itself is switched off below while the pages are measured.
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()
# WhiteNoise warns that STATIC_ROOT does not exist (no collectstatic); pages do not need it.
warnings.filterwarnings("ignore", message="No directory at")

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from clusters.models import (  # noqa: E402
    Cluster,
    ClusterYear,
    Membership,
    Province,
    RoleAssignment,
    Unit,
    UnitSuccession,
)

Role = RoleAssignment.Role


@dataclass
class Page:
    name: str
    user: str
    url: str
    status: int = 0
    queries: int = 0
    # The largest number of queries that differ only in their parameters: an N+1 shows here.
    repeated: int = 0
    median_ms: float = 0.0
    p95_ms: float = 0.0
    min_ms: float = 0.0
    max_ms: float = 0.0
    bytes: int = 0
    sql: list[str] = field(default_factory=list)


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with `fraction` of the values at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def query_shape(sql: str) -> str:
    """The query with its literals and id lists blanked, to group repeats of one query."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+\b", "?", sql)
    return re.sub(r"\((?:\?, )*\?\)", "(?)", sql)


def database_version() -> str:
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        return f"{connection.pg_version // 10000}.{connection.pg_version % 10000}"
    if connection.vendor == "sqlite":
        return connection.Database.sqlite_version
    return ""


def pages_for(province: Province) -> tuple[list[Page], dict]:
    """The pages to time, each with the user who opens it and a URL with real ids;
    and those users by username."""
    roles = RoleAssignment.objects.filter(province=province).select_related("user")
    staff = roles.filter(role=Role.PROVINCIAL_STAFF).first()
    # Both users open the same term: the latest one with the most members, the heaviest page.
    secretary = (
        roles.filter(role=Role.CLUSTER_SECRETARY)
        .annotate(members=Count("cluster_year__memberships"))
        .order_by("-members", "cluster_year__cluster__kind", "cluster_year__cluster__number")
        .first()
    )
    if staff is None or secretary is None:
        sys.exit(f"{province} has no staff or secretary: run bench/generate.py first.")
    term = secretary.cluster_year
    # The unit with the most predecessors: a commune made by the 2025 merger.
    merged = (
        Unit.objects.filter(province=province)
        .annotate(before=Count("successions_in"))
        .order_by("-before", "pk")
        .first()
    )
    if not UnitSuccession.objects.filter(successor=merged).exists():
        sys.exit(f"{province} has no reorganisation: run bench/generate.py first.")
    units = reverse("clusters:unit_list")
    users = {staff.user.username: staff.user, secretary.user.username: secretary.user}
    pages = [
        Page("unit list", staff.user.username, units),
        Page("unit list, search 'tan'", staff.user.username, f"{units}?q=tan"),
        Page("unit list, as of 31/12/2024", staff.user.username, f"{units}?as_of=31/12/2024"),
        Page("unit detail (merged)", staff.user.username, merged.get_absolute_url()),
        Page("cluster list", staff.user.username, reverse("clusters:cluster_list")),
        Page("cluster detail", staff.user.username, term.cluster.get_absolute_url()),
        Page("cluster-year detail", staff.user.username, term.get_absolute_url()),
        Page("reorganisation list", staff.user.username, reverse("clusters:reorganisation_list")),
        Page("cluster list", secretary.user.username, reverse("clusters:cluster_list")),
        Page("cluster-year detail", secretary.user.username, term.get_absolute_url()),
    ]
    return pages, users


def measure(page: Page, client: Client, repeat: int) -> None:
    def get():
        response = client.get(page.url)
        if response.status_code != 200:
            sys.stderr.write(
                f"FAILED: {page.name} as {page.user}: GET {page.url} answered "
                f"{response.status_code} {response.get('Location', '')}\n"
            )
            sys.exit(2)
        return response

    get()
    with CaptureQueriesContext(connection) as captured:
        response = get()
    page.status = response.status_code
    page.bytes = len(response.content)
    page.sql = [query["sql"] for query in captured.captured_queries]
    page.queries = len(page.sql)
    page.repeated = max(Counter(map(query_shape, page.sql)).values(), default=0)

    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        get()
        timings.append((time.perf_counter() - started) * 1000)
    page.median_ms = statistics.median(timings)
    page.p95_ms = percentile(timings, 0.95)
    page.min_ms = min(timings)
    page.max_ms = max(timings)


def page_result(page: Page) -> dict:
    """The page's figures for the JSON file, without its SQL and rounded to 0.01 ms."""
    result = asdict(page)
    del result["sql"]
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in result.items()}


def print_table(pages: list[Page], target_ms: float) -> None:
    headers = ("page", "user", "queries", "repeated", "median ms", "p95 ms", "")
    rows = [
        (
            p.name,
            p.user,
            str(p.queries),
            str(p.repeated),
            f"{p.median_ms:.1f}",
            f"{p.p95_ms:.1f}",
            "SLOW" if p.median_ms > target_ms else "ok",
        )
        for p in pages
    ]
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    numeric = {2, 3, 4, 5}

    def line(cells):
        return "  ".join(
            cell.rjust(width) if i in numeric else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    print(line(headers))
    print(line(["-" * w for w in widths]))
    for row in rows:
        print(line(row))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page (30)")
    parser.add_argument("--target-ms", type=float, default=100.0, help="median target (100)")
    parser.add_argument("--province-name", default="Tỉnh Benchmark")
    parser.add_argument("--sql", action="store_true", help="print each page's queries")
    options = parser.parse_args()
    if options.repeat < 1:
        parser.error("--repeat must be at least 1")

    province = Province.objects.filter(name=options.province_name).first()
    if province is None:
        sys.exit(f"No province {options.province_name!r}: run bench/generate.py first.")
    pages, users = pages_for(province)

    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts):
        clients = {}
        for page in pages:
            if page.user not in clients:
                clients[page.user] = Client()
                clients[page.user].force_login(users[page.user])
            measure(page, clients[page.user], options.repeat)

    vendor = connection.vendor
    version = database_version()
    print(
        f"{options.province_name} on {vendor} {version}: median and 95th percentile "
        f"of {options.repeat} requests per page, target {options.target_ms:g} ms"
    )
    print_table(pages, options.target_ms)
    if options.sql:
        for page in pages:
            print(f"\n== {page.name} as {page.user}: {page.queries} queries")
            for sql in page.sql:
                print(f"  {sql}")

    slow = [p for p in pages if p.median_ms > options.target_ms]
    results = {
        "database": vendor,
        "database_version": version,
        "django": django.get_version(),
        "python": platform.python_version(),
        "province": options.province_name,
        "repeat": options.repeat,
        "target_ms": options.target_ms,
        "counts": {
            "units": Unit.objects.filter(province=province).count(),
            "clusters": Cluster.objects.filter(province=province).count(),
            "cluster_years": ClusterYear.objects.filter(cluster__province=province).count(),
            "memberships": Membership.objects.filter(unit__province=province).count(),
            "reorganisation_links": UnitSuccession.objects.filter(
                predecessor__province=province
            ).count(),
        },
        "pages": [page_result(p) for p in pages],
    }
    path = BENCH_DIR / f"results-{vendor}.json"
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    print(f"Wrote {path.relative_to(BENCH_DIR.parent)}.")
    if slow:
        names = ", ".join(f"{p.name} ({p.user})" for p in slow)
        print(f"Over the {options.target_ms:g} ms target: {names}.")
        sys.exit(1)


if __name__ == "__main__":
    main()
