import datetime

from django.core.management.base import BaseCommand, CommandError

from clusters import notification_services


def _day(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError as e:
        raise CommandError(f"{value!r} is not a day as dd/mm/yyyy.") from e


class Command(BaseCommand):
    help = (
        "Remind cluster heads and secretaries of the deadlines of the year coming within "
        "--days or missed, and provincial staff of the proposals waiting for appraisal, in "
        "the application and by e-mail. Safe to run daily: a reminder is never sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=notification_services.REMINDER_DAYS,
            help="Remind of deadlines this many days ahead (default %(default)s).",
        )
        parser.add_argument("--year", type=int, help="The year of the steps (default: today's).")
        parser.add_argument("--today", type=_day, help="Act as if today were dd/mm/yyyy.")

    def handle(self, *args, days, year, today, **options):
        if days < 0:
            raise CommandError("--days cannot be negative.")
        created = notification_services.deadline_reminders_send(today=today, days=days, year=year)
        self.stdout.write(f"{created} notification(s) created.")
