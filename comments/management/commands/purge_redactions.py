from django.core.management.base import BaseCommand

from comments import conf
from comments.moderation.services import redactions_purge


class Command(BaseCommand):
    help = (
        "Delete the original text of redacted comments from the moderation log once it is "
        "older than CHARCOT_COMMENTS_REDACTION_RETENTION_DAYS. Run it daily (cron or a scheduler)."
    )

    def handle(self, *args, **options):
        purged = redactions_purge()
        days = conf.REDACTION_RETENTION_DAYS
        self.stdout.write(f"Purged {purged} redacted original(s) older than {days} days.")
