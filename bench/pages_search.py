"""Search and the table downloads (issue 6), as pages for bench/run.py to measure.

    pages(scene, target_ms) -> list[Page]

Search is timed for a common syllable ("tan", which matches many units), a name typed
without accents ("hong ngu") and words found in every meeting's venue ("hoi truong"),
as provincial staff (the whole province) and as the
measured term's secretary (their cluster only); its target is `target_ms`. Each table
is downloaded as .xlsx and as CSV with the same user and target as its page: the
period's ranking and agreed grid, the province's ranking of the year and its progress
table, the award list of the year, the biggest decision and the awards of a unit.
"""

from django.db.models import Count
from django.urls import reverse

# bench/run.py is run as a script, with bench/ first on the path.
from run import PROGRESS_TARGET_MS, PROVINCE_RANKING_TARGET_MS, Page

from clusters.models import AwardDecision, AwardRecipient, Unit

# A common syllable, a name typed without accents, and words every meeting venue has.
SEARCHES = ("tan", "hong ngu", "hoi truong")


def pages(scene, target_ms: float) -> list[Page]:
    period, term, staff, secretary = scene.period, scene.term, scene.staff, scene.secretary
    search = reverse("clusters:search")
    found = []
    for user in dict.fromkeys((staff, secretary)):
        found += [
            Page(f"search '{q}'", user, f"{search}?q={q.replace(' ', '+')}") for q in SEARCHES
        ]
    for page in found:
        page.target_ms = target_ms

    decision = (
        AwardDecision.objects.filter(province=scene.province)
        .annotate(recipient_count=Count("recipients"))
        .order_by("-recipient_count", "pk")
        .first()
    )
    awarded = (
        Unit.objects.filter(province=scene.province, awards__isnull=False).order_by("pk").first()
    )
    award_year = (
        AwardRecipient.objects.filter(decision__province=scene.province)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    if decision is None or awarded is None:
        raise SystemExit(f"{scene.province} has no award decision: run bench/generate.py first.")
    tables = [
        ("ranking", "ranking_export", period.pk, staff, target_ms),
        ("agreed grid, table", "grid_export", period.pk, staff, target_ms),
        (
            "ranking of the province, year",
            "ranking_year_export",
            term.year,
            staff,
            PROVINCE_RANKING_TARGET_MS,
        ),
        ("progress table, year", "progress_export", term.year, staff, PROGRESS_TARGET_MS),
        ("award list, year", "award_list_export", award_year, staff, target_ms),
        ("decision recipients", "decision_export", decision.pk, staff, target_ms),
        ("unit awards", "unit_awards_export", awarded.pk, staff, target_ms),
    ]
    downloads = [
        Page(f"{name} (.{fmt})", user, reverse(f"clusters:{url}", args=[arg, fmt]), target)
        for name, url, arg, user, target in tables
        for fmt in ("xlsx", "csv")
    ]
    if secretary != staff:
        downloads += [
            Page(
                f"agreed grid, table (.{fmt})",
                secretary,
                reverse("clusters:grid_export", args=[period.pk, fmt]),
                target_ms,
            )
            for fmt in ("xlsx", "csv")
        ]
    return found + downloads
