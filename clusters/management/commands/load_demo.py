from django.core.management.base import BaseCommand

from clusters import demo, page_cache


class Command(BaseCommand):
    help = "Load the demo provinces, clusters and accounts (idempotent)."

    def handle(self, *args, **options):
        accounts = demo.load()
        page_cache.bump()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Demo accounts:"))
        width = max(len(username) for username, _name in accounts)
        for username, full_name in accounts:
            self.stdout.write(f"  {username:<{width}}  {demo.PASSWORD}  {full_name}")
