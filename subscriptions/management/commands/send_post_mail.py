"""Run every minute (cron, a systemd timer): queue what is due, then send within the rate."""

import math

from django.core.management.base import BaseCommand

from subscriptions import conf, mailing, services
from subscriptions.tasks import deliveries_send


class Command(BaseCommand):
    help = (
        "Queue the mail of newly public posts, weekly digests and followed discussions, "
        "then enqueue sending tasks for as many batches as the per-minute rate allows."
    )

    def handle(self, *args, **options):
        posts = mailing.new_posts_queue()
        digests = mailing.digests_queue()
        discussions = mailing.discussions_queue()
        purged = services.unsubscribed_purge()
        due = min(mailing.due_count(), mailing.rate_budget())
        batches = math.ceil(due / conf.BATCH_SIZE) if due else 0
        for _ in range(batches):
            deliveries_send.enqueue()
        self.stdout.write(
            f"Queued {posts} post mail(s), {digests} digest(s), {discussions} discussion "
            f"mail(s); {purged} old address(es) deleted; {batches} sending batch(es) enqueued."
        )
