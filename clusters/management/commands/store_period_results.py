from django.core.management.base import BaseCommand
from django.db import transaction

from clusters import page_cache, score_services
from clusters.models import Period

# Periods ranked per batch: each batch reads its periods' scores in one query.
BATCH = 50


class Command(BaseCommand):
    help = (
        "Store the ranking of every locked period that has none stored yet (periods locked "
        "before results were stored, or set to locked without the period services). With "
        "--replace, rank every locked period again under today's rules and replace what "
        "was stored: the official results of closed periods then change."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Recompute the periods that already have a stored result too.",
        )

    def handle(self, *args, replace, **options):
        periods = Period.objects.filter(state=Period.State.LOCKED).select_related(
            "cluster_year__cluster", "cluster_year__covenant__sheet"
        )
        if not replace:
            periods = periods.filter(result__isnull=True)
        periods = list(periods.order_by("pk"))
        stored = 0
        for start in range(0, len(periods), BATCH):
            with transaction.atomic():
                stored += score_services.period_results_store(periods[start : start + BATCH])
        page_cache.bump()
        self.stdout.write(
            f"{stored} result(s) stored for {len(periods)} locked period(s) "
            f"({len(periods) - stored} without a score sheet or that cannot be ranked)."
        )
