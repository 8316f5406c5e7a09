"""The read-only API's pages for bench/run.py, requested with an API token.

    pages(scene, target_ms)  the Page objects to measure, with user "<staff> (token)"
    clients(scene)           {"<staff> (token)": a Client that sends the staff member's token}

bench/run.py measures each page with `clients[page.user]`, so the token client is added
to its clients under that name. The token is made (or reused) for the province's staff
member by either function.

Run on its own, this module measures only the API pages:

    .venv/bin/python bench/pages_api.py [--repeat 30] [--target-ms 100]
"""

import sys
from pathlib import Path


def _token_user(scene) -> str:
    return f"{scene.staff} (token)"


def _token_key(scene) -> str:
    from rest_framework.authtoken.models import Token

    token, _created = Token.objects.get_or_create(user=scene.users[scene.staff])
    return token.key


def clients(scene) -> dict:
    """The client of the API pages: no session, only the token header, as another system
    would send it."""
    from django.test import Client

    return {_token_user(scene): Client(headers={"authorization": f"Token {_token_key(scene)}"})}


def pages(scene, target_ms: float) -> list:
    """The API's lists (first page of 50 rows, and one of 200 units for information) and
    the details of the measured term's rows, as the province's staff member with a token."""
    # Imported here: bench/run.py imports this module, and may be running as __main__.
    from django.db.models import Count
    from django.urls import reverse
    from run import Page

    from clusters.models import AwardDecision, Meeting, Unit

    _token_key(scene)
    user = _token_user(scene)
    province, term, period = scene.province, scene.term, scene.period
    merged = (
        Unit.objects.filter(province=province)
        .annotate(before=Count("successions_in"))
        .order_by("-before", "pk")
        .first()
    )
    annual = Meeting.objects.filter(cluster_year=term, kind=Meeting.Kind.ANNUAL_REVIEW).first()
    decision = (
        AwardDecision.objects.filter(province=province)
        .annotate(recipient_count=Count("recipients"))
        .order_by("-recipient_count", "pk")
        .first()
    )
    units = reverse("api:unit-list")
    measured = [
        ("API units", units),
        ("API units, search 'tan'", f"{units}?q=tan"),
        ("API units, existing on 2024-12-31", f"{units}?existing_on=2024-12-31"),
        ("API clusters", reverse("api:cluster-list")),
        ("API periods", reverse("api:period-list")),
        ("API meetings", reverse("api:meeting-list")),
        ("API decisions", reverse("api:decision-list")),
        ("API documents", reverse("api:document-list")),
        ("API unit detail (merged)", reverse("api:unit-detail", args=[merged.pk])),
        ("API cluster detail", reverse("api:cluster-detail", args=[term.cluster_id])),
        ("API ranking of the period", reverse("api:period-ranking", args=[period.pk])),
    ]
    if annual is not None:
        measured.append(("API meeting detail", reverse("api:meeting-detail", args=[annual.pk])))
    if decision is not None:
        measured.append(("API decision detail", reverse("api:decision-detail", args=[decision.pk])))
    result = [Page(name, user, url, target_ms) for name, url in measured]
    # For information: the largest page a client may ask for.
    result.append(Page("API units, 200 a page", user, f"{units}?page_size=200"))
    return result


def main() -> None:
    import argparse

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import run  # sets Django up
    from django.conf import settings
    from django.test.utils import override_settings

    from clusters.models import Province

    parser = argparse.ArgumentParser(description="Time the API pages only.")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--target-ms", type=float, default=100.0)
    parser.add_argument("--province-name", default="Tỉnh Benchmark")
    options = parser.parse_args()
    province = Province.objects.filter(name=options.province_name).first()
    if province is None:
        sys.exit(f"No province {options.province_name!r}: run bench/generate.py first.")
    scene = run.scene_for(province)
    measured = pages(scene, options.target_ms)
    by_user = clients(scene)
    with override_settings(DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        for page in measured:
            run.measure(page, by_user[page.user], options.repeat)
    run.print_table(measured)
    slow = [p.name for p in measured if p.slow]
    if slow:
        sys.exit(f"Over their target: {', '.join(slow)}.")


if __name__ == "__main__":
    main()
