"""A unit's history across the reorganisation (issue 6), as pages for bench/run.py.

    pages(scene, target_ms) -> list[Page]

The history page (`clusters:unit_history`) of the unit with the most predecessors (a
commune made by the 2025 mergers, whose three predecessors were members of three
clusters for nine years before it), of the unit with the most cluster years and no
predecessor, both as provincial staff, and of the measured term's member with the most
predecessors as its secretary (who sees their own cluster only). Target: `target_ms`.

generate.py scores the latest year only, so most of those years have terms but no
periods. Run alone, this module measures these pages by themselves; with
`--past-scores` it first gives every earlier term of the clusters those units belonged
to the latest year's sheet, both periods and agreed scores copied from the latest
year's, locked with their rankings stored as locking stores them (it changes the
database: run generate.py again afterwards), so that the page shows ten years of
periods:

    python bench/pages_history.py [--repeat 30] [--past-scores]
"""

import argparse

from django.db.models import Count
from django.urls import reverse

# bench/run.py is run as a script, with bench/ first on the path.
from run import Page

from clusters.models import Membership, Unit


def history_units(scene) -> dict[str, Unit]:
    """The units whose history is measured, by the name of their measurement."""
    units = Unit.objects.filter(province=scene.province)
    merged = (
        units.annotate(before=Count("successions_in"))
        .filter(before__gt=0)
        .order_by("-before", "pk")
        .first()
    )
    if merged is None:
        raise SystemExit(f"{scene.province} has no reorganisation: run bench/generate.py first.")
    longest = (
        units.filter(successions_in__isnull=True)
        .annotate(years=Count("memberships"))
        .order_by("-years", "pk")
        .first()
    )
    member_ids = Membership.objects.filter(cluster_year=scene.term).values("unit_id")
    own_member = (
        units.filter(pk__in=member_ids)
        .annotate(before=Count("successions_in"))
        .order_by("-before", "pk")
        .first()
    )
    return {"merged": merged, "most years": longest, "member of the term": own_member}


def pages(scene, target_ms: float) -> list[Page]:
    units = history_units(scene)
    url = lambda unit: reverse("clusters:unit_history", args=[unit.pk])  # noqa: E731
    found = [
        Page("unit history (merged, 3 predecessors)", scene.staff, url(units["merged"])),
        Page("unit history (most years)", scene.staff, url(units["most years"])),
    ]
    if scene.secretary != scene.staff:
        found.append(
            Page(
                "unit history (member of the term)",
                scene.secretary,
                url(units["member of the term"]),
            )
        )
    for page in found:
        page.target_ms = target_ms
    return found


def copy_past_scores(scene) -> int:
    """Give the earlier terms of the measured units' clusters the latest year's sheet,
    both periods and agreed scores (each member takes a member's scores of the latest
    year in the same cluster, in turn), locked as past years are, with their rankings
    stored. Returns the number of scores created."""
    from clusters.models import Covenant, Period, Score
    from clusters.score_services import period_results_store

    units = history_units(scene)
    lineage = {u.pk for u in units.values()}
    lineage |= set(
        Unit.objects.filter(successions_out__successor__in=list(units.values())).values_list(
            "pk", flat=True
        )
    )
    terms = (
        Membership.objects.filter(unit_id__in=lineage)
        .values_list("cluster_year__cluster_id", flat=True)
        .distinct()
    )
    latest = scene.term.year
    created = 0
    locked = []
    for cluster_id in set(terms):
        source_periods = {
            p.kind: p
            for p in Period.objects.filter(
                cluster_year__cluster_id=cluster_id, cluster_year__year=latest
            )
        }
        if not source_periods:
            continue
        source_term = next(iter(source_periods.values())).cluster_year
        sheet_id = source_term.covenant.sheet_id
        for kind, source in source_periods.items():
            source_scores = list(
                Score.objects.filter(period=source, stage=Score.Stage.AGREED).order_by(
                    "unit_id", "criterion_id"
                )
            )
            by_unit: dict[int, list[Score]] = {}
            for score in source_scores:
                by_unit.setdefault(score.unit_id, []).append(score)
            donors = list(by_unit.values())
            for term in source_term.cluster.years.filter(year__lt=latest):
                Covenant.objects.get_or_create(cluster_year=term, defaults={"sheet_id": sheet_id})
                period, new = Period.objects.get_or_create(
                    cluster_year=term, kind=kind, defaults={"state": Period.State.LOCKED}
                )
                if not new:
                    continue
                members = term.memberships.values_list("unit_id", flat=True).order_by("unit_id")
                rows = [
                    Score(
                        period=period,
                        unit_id=unit_id,
                        criterion_id=score.criterion_id,
                        stage=Score.Stage.AGREED,
                        points=score.points,
                        value=score.value,
                    )
                    for n, unit_id in enumerate(members)
                    for score in donors[(n + term.year) % len(donors)]
                ]
                Score.objects.bulk_create(rows, batch_size=2000)
                created += len(rows)
                locked.append(period)
    period_results_store(locked)
    return created


def main() -> None:
    import run
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    from clusters.models import Province

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--target-ms", type=float, default=100.0)
    parser.add_argument("--province-name", default="Tỉnh Benchmark")
    parser.add_argument("--past-scores", action="store_true")
    options = parser.parse_args()
    province = Province.objects.filter(name=options.province_name).first()
    if province is None:
        raise SystemExit(f"No province {options.province_name!r}: run bench/generate.py first.")
    scene = run.scene_for(province)
    if options.past_scores:
        print(f"Copied {copy_past_scores(scene)} agreed scores into the earlier years.")
    measured = pages(scene, options.target_ms)
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts):
        clients = {}
        for username, user in scene.users.items():
            clients[username] = Client()
            clients[username].force_login(user)
        for page in measured:
            run.measure(page, clients[page.user], options.repeat)
    run.print_table(measured)


if __name__ == "__main__":
    main()
