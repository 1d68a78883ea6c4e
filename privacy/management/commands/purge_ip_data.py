from django.core.management.base import BaseCommand, CommandError

from privacy.services import ip_data_purge, ip_retention_days


class Command(BaseCommand):
    help = (
        "Clear comments' hashed IPs and user agents (and anonymous reporters' IP-based keys) "
        "older than CHARCOT_PRIVACY_IP_RETENTION_DAYS (default 90). Safe to run daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            help="Retention period in days (default: the CHARCOT_PRIVACY_IP_RETENTION_DAYS setting).",
        )

    def handle(self, *args, days=None, **options):
        if days is not None and days < 0:
            raise CommandError("--days must be zero or more.")
        result = ip_data_purge(older_than_days=days)
        kept = ip_retention_days() if days is None else days
        self.stdout.write(
            f"Cleared IP data from {result.comments} comment(s) and {result.reports} report(s) "
            f"older than {kept} day(s)."
        )
