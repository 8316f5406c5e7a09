"""Time the main pages, the scoring features and the award pages against the province
that bench/generate.py made.

    python bench/run.py [--repeat 30] [--heavy-repeat 5] [--target-ms 100] [--sql]

Each page is requested through django.test.Client as the user who would open it:
once to warm up, once under CaptureQueriesContext to count its queries, then
`--repeat` times with the clock running. Saving one cell of the agreed grid and
uploading the whole grid as Excel are measured the same way, with each request
prepared outside the clock so that every one of them succeeds and changes the data;
the ranking of the whole province is also timed as a direct call. The meeting, ballot,
proposal, appraisal, decision, progress, movement and register pages are those of the
measured term and its province (the progress table's target is 200 ms). Every
measurement has its own target. DEBUG is off while measuring. Prints a table, writes
bench/results-<database vendor>.json, and exits with status 1 if a median is over its
target (status 2 if a request does not answer as expected).
"""

import argparse
import io
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
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
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

import openpyxl  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from clusters.models import (  # noqa: E402
    AwardDecision,
    Ballot,
    Cluster,
    ClusterYear,
    Criterion,
    ExemplaryModel,
    Meeting,
    Membership,
    Movement,
    Period,
    Proposal,
    Province,
    RoleAssignment,
    Score,
    Submission,
    Unit,
    UnitSuccession,
)
from clusters.ranking import province_year_rankings  # noqa: E402
from clusters.score_services import members_during  # noqa: E402

Role = RoleAssignment.Role
Stage = Score.Stage

# Targets of the scoring features, in milliseconds (pages default to --target-ms).
CELL_SAVE_TARGET_MS = 30.0
UPLOAD_TARGET_MS = 2000.0
PROVINCE_RANKING_TARGET_MS = 2000.0
PROGRESS_TARGET_MS = 200.0

# The layout of the agreed-grid workbook (clusters/views/grid.py): A1 holds the marker,
# row 2 the criterion ids, column A the unit ids; members from row 7, points from column C.
GRID_MARKER = "agreed-scores"
ID_ROW, ID_COLUMN = 2, 1
FIRST_ROW, FIRST_COLUMN = 7, 3
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Statements longer than this are cut when --sql prints them (a bulk update of a whole
# grid is one statement of tens of kilobytes).
SQL_SHOWN = 600


@dataclass
class Page:
    name: str
    user: str
    url: str
    # The median this measurement must stay under; None for a figure shown for information.
    target_ms: float | None = None
    method: str = "GET"
    repeat: int = 0
    status: int | None = None
    queries: int = 0
    # The largest number of queries that differ only in their parameters: an N+1 shows here.
    repeated: int = 0
    median_ms: float = 0.0
    p95_ms: float = 0.0
    min_ms: float = 0.0
    max_ms: float = 0.0
    bytes: int = 0
    sql: list[str] = field(default_factory=list)

    @property
    def slow(self) -> bool:
        return self.target_ms is not None and self.median_ms > self.target_ms


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


@dataclass
class Scene:
    """What the scoring measurements work on: the biggest cluster year of the latest year,
    its annual period, and who opens it."""

    province: Province
    term: ClusterYear
    period: Period
    staff: str
    # The term's secretary, or the staff member when the term has none.
    secretary: str
    sheet_id: int
    members: list[Unit]
    criteria: list[Criterion]
    users: dict


def failed(page: Page, message: str):
    sys.stderr.write(f"FAILED: {page.name} as {page.user}: {page.method} {page.url} {message}\n")
    sys.exit(2)


def scene_for(province: Province) -> Scene:
    roles = RoleAssignment.objects.filter(province=province).select_related("user")
    staff = roles.filter(role=Role.PROVINCIAL_STAFF).first()
    # The latest term with the most members: the heaviest pages.
    term = (
        ClusterYear.objects.filter(cluster__province=province)
        .annotate(members=Count("memberships"))
        .order_by("-year", "-members", "cluster__kind", "cluster__number")
        .select_related("cluster")
        .first()
    )
    if staff is None or term is None:
        sys.exit(f"{province} has no staff or cluster year: run bench/generate.py first.")
    secretary = roles.filter(role=Role.CLUSTER_SECRETARY, cluster_year=term).first() or staff
    period = Period.objects.filter(cluster_year=term, kind=Period.Kind.ANNUAL).first()
    covenant = getattr(term, "covenant", None)
    if period is None or covenant is None:
        sys.exit(f"{term} has no covenant or annual period: run bench/generate.py first.")
    criteria = list(
        Criterion.objects.filter(sheet_id=covenant.sheet_id)
        .exclude(kind=Criterion.Kind.GROUP)
        .order_by("position", "pk")
    )
    return Scene(
        province=province,
        term=term,
        period=period,
        staff=staff.user.username,
        secretary=secretary.user.username,
        sheet_id=covenant.sheet_id,
        members=list(members_during(period)),
        criteria=criteria,
        users={staff.user.username: staff.user, secretary.user.username: secretary.user},
    )


def pages_for(scene: Scene, target_ms: float) -> list[Page]:
    """The pages to time, each with the user who opens it and a URL with real ids."""
    province, term, period = scene.province, scene.term, scene.period
    # The unit with the most predecessors: a commune made by the 2025 merger.
    merged = (
        Unit.objects.filter(province=province)
        .annotate(before=Count("successions_in"))
        .order_by("-before", "pk")
        .first()
    )
    if not UnitSuccession.objects.filter(successor=merged).exists():
        sys.exit(f"{province} has no reorganisation: run bench/generate.py first.")
    # Self-scoring of the first member that has not handed its scores in: a form to fill.
    submitted = set(
        Submission.objects.filter(period=period, stage=Stage.SELF).values_list("unit_id", flat=True)
    )
    scoring_unit = next((u for u in scene.members if u.pk not in submitted), scene.members[0])
    staff, secretary = scene.staff, scene.secretary
    units = reverse("clusters:unit_list")
    grid = reverse("clusters:agreed_grid", args=[period.pk])
    ranking = reverse("clusters:ranking", args=[period.pk])
    detail = reverse("clusters:period_detail", args=[period.pk])
    pages = [
        Page("unit list", staff, units),
        Page("unit list, search 'tan'", staff, f"{units}?q=tan"),
        Page("unit list, as of 31/12/2024", staff, f"{units}?as_of=31/12/2024"),
        Page("unit detail (merged)", staff, merged.get_absolute_url()),
        Page("cluster list", staff, reverse("clusters:cluster_list")),
        Page("cluster detail", staff, term.cluster.get_absolute_url()),
        Page("cluster-year detail", staff, term.get_absolute_url()),
        Page("reorganisation list", staff, reverse("clusters:reorganisation_list")),
        Page("agreed grid", staff, grid),
        Page("agreed grid, transposed", staff, f"{grid}?transpose=1"),
        Page("ranking", staff, ranking),
        Page("period detail", staff, detail),
        Page(
            "self-scoring",
            staff,
            reverse("clusters:self_score", args=[period.pk, scoring_unit.pk]),
        ),
        Page("score sheet detail", staff, reverse("clusters:sheet_detail", args=[scene.sheet_id])),
    ]
    if secretary != staff:
        pages += [
            Page("cluster list", secretary, reverse("clusters:cluster_list")),
            Page("cluster-year detail", secretary, term.get_absolute_url()),
            Page("agreed grid", secretary, grid),
            Page("agreed grid, transposed", secretary, f"{grid}?transpose=1"),
            Page("ranking", secretary, ranking),
            Page("period detail", secretary, detail),
        ]
    for page in pages:
        page.target_ms = target_ms
    return pages


def award_pages(scene: Scene, target_ms: float) -> list[Page]:
    """The pages of the measured term's meetings, ballots and proposal, the province's
    appraisal, decisions, progress table, movements and exemplary models, and the page
    of a unit with awards. The secretary opens those of the term."""
    province, term = scene.province, scene.term
    meetings = {
        m.kind: m for m in Meeting.objects.filter(cluster_year=term).order_by("date", "start_time")
    }
    annual = meetings.get(Meeting.Kind.ANNUAL_REVIEW)
    deliberation = meetings.get(Meeting.Kind.DELIBERATION)
    # The term's proposal, returned for completion (its ballots are open again), and a
    # proposal waiting for the province's appraisal, whose page has a form per item.
    proposal = Proposal.objects.filter(cluster_year=term).first()
    to_appraise = (
        Proposal.objects.filter(
            cluster_year__cluster__province=province,
            cluster_year__year=term.year,
            state=Proposal.State.SUBMITTED,
        )
        .order_by("cluster_year__cluster__kind", "cluster_year__cluster__number")
        .first()
    )
    # The flag ballot: the first award form, first round.
    ballot = (
        Ballot.objects.filter(meeting=deliberation)
        .order_by("award_form__position", "round")
        .first()
    )
    # The decision with the most recipients.
    decision = (
        AwardDecision.objects.filter(province=province)
        .annotate(recipient_count=Count("recipients"))
        .order_by("-recipient_count", "pk")
        .first()
    )
    # A unit with awards, one made by a reorganisation if any received one.
    awarded = (
        Unit.objects.filter(province=province, awards__isnull=False)
        .annotate(before=Count("successions_in", distinct=True))
        .order_by("-before", "pk")
        .first()
    )
    if None in (annual, deliberation, proposal, to_appraise, ballot, decision, awarded):
        sys.exit(f"{term} has no meetings, ballots, proposal or decision: run bench/generate.py.")
    staff, secretary = scene.staff, scene.secretary
    year = term.year
    term_pages = [
        ("meeting list", reverse("clusters:meeting_list", args=[term.pk])),
        ("meeting detail (annual review)", annual.get_absolute_url()),
        ("attendance form", reverse("clusters:attendance_edit", args=[annual.pk])),
        ("ballot list", reverse("clusters:ballot_list", args=[deliberation.pk])),
        ("ballot detail", reverse("clusters:ballot_detail", args=[ballot.pk])),
        ("ballot tally form", reverse("clusters:ballot_tally", args=[ballot.pk])),
        ("new ballot form", reverse("clusters:ballot_create", args=[deliberation.pk])),
        ("proposal detail", proposal.get_absolute_url()),
    ]
    registers = [
        ("movement list", reverse("clusters:movement_list")),
        ("exemplary model register", reverse("clusters:exemplary_list")),
    ]
    pages = [Page(name, staff, url, target_ms) for name, url in term_pages]
    pages += [
        Page("appraisal list", staff, reverse("clusters:appraisal_list", args=[year]), target_ms),
        Page(
            "appraisal detail",
            staff,
            reverse("clusters:appraisal_detail", args=[proposal.pk]),
            target_ms,
        ),
        Page(
            "appraisal detail (submitted, other cluster)",
            staff,
            reverse("clusters:appraisal_detail", args=[to_appraise.pk]),
            target_ms,
        ),
        Page("decision list", staff, reverse("clusters:decision_list", args=[year]), target_ms),
        Page("decision detail", staff, decision.get_absolute_url(), target_ms),
        Page(
            "progress table, year",
            staff,
            reverse("clusters:progress", args=[year]),
            PROGRESS_TARGET_MS,
        ),
    ]
    pages += [Page(name, staff, url, target_ms) for name, url in registers]
    pages.append(Page("unit detail (awarded)", staff, awarded.get_absolute_url(), target_ms))
    if secretary != staff:
        pages += [Page(name, secretary, url, target_ms) for name, url in term_pages + registers]
    return pages


def measure(
    page: Page,
    client: Client,
    repeat: int,
    request: Callable[[Client, object], object] | None = None,
    prepare: Callable[[], object] = lambda: None,
) -> None:
    """Warm up, count the queries of one request, then time `repeat` requests.

    `request(client, prepared)` makes one request and checks its answer (by default a
    GET of page.url that must answer 200); `prepare()` runs before each request, outside
    the clock, and its result is passed to `request`.
    """

    def get(client, _prepared):
        response = client.get(page.url)
        if response.status_code != 200:
            failed(page, f"answered {response.status_code} {response.get('Location', '')}")
        return response

    request = request or get
    page.repeat = repeat
    request(client, prepare())
    prepared = prepare()
    with CaptureQueriesContext(connection) as captured:
        response = request(client, prepared)
    if response is not None:
        page.status = response.status_code
        page.bytes = len(response.getvalue())
    page.sql = [query["sql"] for query in captured.captured_queries]
    page.queries = len(page.sql)
    page.repeated = max(Counter(map(query_shape, page.sql)).values(), default=0)

    timings = []
    for _ in range(repeat):
        prepared = prepare()
        started = time.perf_counter()
        request(client, prepared)
        timings.append((time.perf_counter() - started) * 1000)
    page.median_ms = statistics.median(timings)
    page.p95_ms = percentile(timings, 0.95)
    page.min_ms = min(timings)
    page.max_ms = max(timings)


def measure_cell_save(scene: Scene, client: Client, repeat: int) -> Page:
    """Save one agreed cell as the grid page does, alternating "12,5" and "13"."""
    period = scene.period
    unit = scene.members[0]
    criterion = next(
        c for c in scene.criteria if c.kind != Criterion.Kind.VETO and c.max_points >= 13
    )
    page = Page(
        f"save one grid cell ({criterion.code})",
        scene.secretary,
        reverse("clusters:grid_cell_save", args=[period.pk]),
        target_ms=CELL_SAVE_TARGET_MS,
        method="POST",
    )
    typed = iter(["12,5", "13"] * (repeat + 2))

    def prepare():
        version = (
            Score.objects.filter(period=period, unit=unit, criterion=criterion, stage=Stage.AGREED)
            .values_list("version", flat=True)
            .first()
        )
        return {
            "criterion": criterion.pk,
            "unit": unit.pk,
            "points": next(typed),
            "version": version or 0,
        }

    def save(client, data):
        response = client.post(page.url, data)
        if response.status_code != 200 or not response.json().get("ok"):
            failed(page, f"answered {response.status_code} {response.content[:300]!r}")
        return response

    measure(page, client, repeat, save, prepare)
    return page


def grid_cells(workbook) -> list:
    """The point cells of the downloaded grid: rows with a unit id, columns with a criterion
    id. Returns (cell, criterion id) pairs."""
    for sheet in workbook.worksheets:
        if sheet.cell(1, ID_COLUMN).value == GRID_MARKER:
            break
    else:
        return []
    rows = [r for r in range(FIRST_ROW, sheet.max_row + 1) if sheet.cell(r, ID_COLUMN).value]
    columns = [c for c in range(FIRST_COLUMN, sheet.max_column + 1) if sheet.cell(ID_ROW, c).value]
    return [(sheet.cell(r, c), int(sheet.cell(ID_ROW, c).value)) for r in rows for c in columns]


def measure_upload(scene: Scene, client: Client, repeat: int) -> tuple[Page, Page]:
    """Download the grid, change every point cell, upload it: the upload is timed.

    Each cell takes one of two values within its criterion's range, the one it does not
    hold, so that every upload changes every point cell. Veto cells (1 or 0, not points)
    are left as they are. The downloads are timed as a page of their own, for information.
    """
    period = scene.period
    criteria = {c.pk: c for c in scene.criteria}
    download = Page(
        "agreed grid download (xlsx)",
        scene.secretary,
        reverse("clusters:grid_download", args=[period.pk]),
    )
    measure(download, client, repeat)
    members, scorable = len(scene.members), len(scene.criteria)
    page = Page(
        f"agreed grid upload ({members} × {scorable} xlsx)",
        scene.secretary,
        reverse("clusters:grid_upload", args=[period.pk]),
        target_ms=UPLOAD_TARGET_MS,
        method="POST",
    )
    changed = []

    def choices(criterion: Criterion) -> tuple[Decimal, Decimal]:
        # 90 % of the maximum and half a point less; 5 and 2.5 for an uncapped penalty.
        high = (criterion.max_points * Decimal("0.9")).quantize(Decimal("0.5"))
        high = high or Decimal(5)
        return high, high - Decimal("0.5")

    def prepare():
        response = client.get(download.url)
        if response.status_code != 200:
            failed(download, f"answered {response.status_code}")
        workbook = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
        cells = grid_cells(workbook)
        written = []
        for cell, criterion_id in cells:
            criterion = criteria.get(criterion_id)
            if criterion is None or criterion.kind == Criterion.Kind.VETO:
                continue
            high, low = choices(criterion)
            current = None if cell.value is None else Decimal(str(cell.value))
            new = low if current == high else high
            cell.value = int(new) if new == int(new) else float(new)
            written.append((cell, criterion_id, new))
        if not written:
            failed(download, "has no point cells")
        output = io.BytesIO()
        workbook.save(output)
        changed[:] = written
        return SimpleUploadedFile("grid.xlsx", output.getvalue(), content_type=XLSX)

    def upload(client, file):
        response = client.post(page.url, {"file": file})
        if response.status_code != 302:
            failed(page, f"answered {response.status_code} instead of redirecting")
        return response

    measure(page, client, repeat, upload, prepare)
    # The last upload was applied: its last cell holds what was written.
    cell, criterion_id, new = changed[-1]
    unit_id = cell.parent.cell(cell.row, ID_COLUMN).value
    stored = Score.objects.get(
        period=period, unit_id=unit_id, criterion_id=criterion_id, stage=Stage.AGREED
    ).points
    if stored != new:
        failed(page, f"was not applied: {cell.coordinate} holds {stored}, not {new}")
    page.name += f", {len(changed)} cells changed"
    return download, page


def measure_province_rankings(scene: Scene, repeat: int) -> Page:
    """clusters.ranking.province_year_rankings for the latest year, called directly."""
    province, year = scene.province, scene.term.year
    page = Page(
        "province_year_rankings()",
        "-",
        f"province_year_rankings({province.name}, {year})",
        target_ms=PROVINCE_RANKING_TARGET_MS,
        method="call",
    )

    def call(_client, _prepared):
        rankings = province_year_rankings(province, year)
        if not rankings or any(r.error for r in rankings):
            failed(page, "returned no ranking or an error")

    measure(page, None, repeat, call)
    return page


def page_result(page: Page) -> dict:
    """The page's figures for the JSON file, without its SQL and rounded to 0.01 ms."""
    result = asdict(page)
    del result["sql"]
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in result.items()}


def print_table(pages: list[Page]) -> None:
    headers = ("page", "user", "queries", "repeated", "median ms", "p95 ms", "target ms", "")
    rows = [
        (
            p.name,
            p.user,
            str(p.queries),
            str(p.repeated),
            f"{p.median_ms:.1f}",
            f"{p.p95_ms:.1f}",
            "–" if p.target_ms is None else f"{p.target_ms:g}",
            "" if p.target_ms is None else "SLOW" if p.slow else "ok",
        )
        for p in pages
    ]
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    numeric = {2, 3, 4, 5, 6}

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
    # The measurements of the later issues, one module each; they import Page from here.
    import pages_api
    import pages_documents
    import pages_documents_batch
    import pages_history
    import pages_overview
    import pages_search

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page (30)")
    parser.add_argument(
        "--heavy-repeat",
        type=int,
        default=5,
        help="timed runs of the grid upload and the province rankings (5)",
    )
    parser.add_argument(
        "--target-ms", type=float, default=100.0, help="median target of the pages (100)"
    )
    parser.add_argument("--province-name", default="Tỉnh Benchmark")
    parser.add_argument("--sql", action="store_true", help="print each measurement's queries")
    options = parser.parse_args()
    if options.repeat < 1 or options.heavy_repeat < 1:
        parser.error("--repeat and --heavy-repeat must be at least 1")

    province = Province.objects.filter(name=options.province_name).first()
    if province is None:
        sys.exit(f"No province {options.province_name!r}: run bench/generate.py first.")
    scene = scene_for(province)
    pages = pages_for(scene, options.target_ms) + award_pages(scene, options.target_ms)
    pages += pages_overview.pages(scene, options.target_ms, Page)
    pages += pages_history.pages(scene, options.target_ms)
    pages += pages_search.pages(scene, options.target_ms)
    pages += pages_api.pages(scene, options.target_ms)
    year_ranking = Page(
        "ranking of the province, year",
        scene.staff,
        reverse("clusters:ranking_year", args=[scene.term.year]),
        target_ms=PROVINCE_RANKING_TARGET_MS,
    )

    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    # Each page is drawn from the data every time, not taken from the cache of page bodies
    # (clusters.page_cache); bench/load.py measures the pages as served, cache included.
    no_cache = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts, CACHES=no_cache):
        clients = {}
        for username, user in scene.users.items():
            clients[username] = Client()
            clients[username].force_login(user)
        clients.update(pages_api.clients(scene))
        for page in pages:
            measure(page, clients[page.user], options.repeat)
        measure(year_ranking, clients[scene.staff], options.heavy_repeat)
        pages.append(year_ranking)
        # The writes come after the pages, which thus show the generated scores.
        writer = clients[scene.secretary]
        pages.append(measure_cell_save(scene, writer, options.repeat))
        download, upload = measure_upload(scene, writer, options.heavy_repeat)
        pages += [download, upload]
        pages.append(measure_province_rankings(scene, options.heavy_repeat))
        documents, overhead = pages_documents.pages(
            scene, Page, measure, clients[scene.staff], options.heavy_repeat * 2
        )
        pages += documents
        pages += pages_documents_batch.measure(scene, options.heavy_repeat)

    vendor = connection.vendor
    version = database_version()
    print(
        f"{options.province_name} on {vendor} {version}: median and 95th percentile of "
        f"{options.repeat} requests per page ({options.heavy_repeat} for the province "
        f"ranking and the grid upload); {scene.term.cluster.name} {scene.term.year}, "
        f"{len(scene.members)} members × {len(scene.criteria)} criteria"
    )
    print_table(pages)
    overhead_ok = overhead <= pages_documents.OVERHEAD_TARGET_PERCENT
    print(
        f"Documents: our overhead over WeasyPrint alone on the minutes is {overhead:.1f} percent "
        f"(target {pages_documents.OVERHEAD_TARGET_PERCENT:g}): {'ok' if overhead_ok else 'SLOW'}"
    )
    if options.sql:
        for page in pages:
            print(f"\n== {page.name} as {page.user}: {page.queries} queries")
            for sql in page.sql:
                if len(sql) > SQL_SHOWN:
                    sql = f"{sql[:SQL_SHOWN]} … ({len(sql)} characters)"
                print(f"  {sql}")

    slow = [p for p in pages if p.slow]
    periods = Period.objects.filter(cluster_year__cluster__province=province)
    results = {
        "database": vendor,
        "database_version": version,
        "django": django.get_version(),
        "python": platform.python_version(),
        "province": options.province_name,
        "repeat": options.repeat,
        "heavy_repeat": options.heavy_repeat,
        "target_ms": options.target_ms,
        "measured": {
            "cluster_year": str(scene.term),
            "period": scene.period.pk,
            "members": len(scene.members),
            "criteria": len(scene.criteria),
        },
        "counts": {
            "units": Unit.objects.filter(province=province).count(),
            "clusters": Cluster.objects.filter(province=province).count(),
            "cluster_years": ClusterYear.objects.filter(cluster__province=province).count(),
            "memberships": Membership.objects.filter(unit__province=province).count(),
            "reorganisation_links": UnitSuccession.objects.filter(
                predecessor__province=province
            ).count(),
            "periods": periods.count(),
            "scores": Score.objects.filter(period__in=periods).count(),
            "meetings": Meeting.objects.filter(cluster_year__cluster__province=province).count(),
            "ballots": Ballot.objects.filter(
                meeting__cluster_year__cluster__province=province
            ).count(),
            "proposals": Proposal.objects.filter(cluster_year__cluster__province=province).count(),
            "award_decisions": AwardDecision.objects.filter(province=province).count(),
            "movements": Movement.objects.filter(province=province).count(),
            "exemplary_models": ExemplaryModel.objects.filter(province=province).count(),
        },
        "pages": [page_result(p) for p in pages],
        "document_overhead_percent": round(overhead, 1),
    }
    path = BENCH_DIR / f"results-{vendor}.json"
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    print(f"Wrote {path.relative_to(BENCH_DIR.parent)}.")
    if slow:
        names = ", ".join(f"{p.name} ({p.user}, {p.median_ms:.0f} ms)" for p in slow)
        print(f"Over their target: {names}.")
    if slow or not overhead_ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
