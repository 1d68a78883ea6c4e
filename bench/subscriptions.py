"""Time queueing and sending one post's mail to 10,000 subscribers (locmem mail backend).

    .venv/bin/python bench/subscriptions.py [--subscribers 10000]

Runs on a throwaway test database (PostgreSQL at BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_subscriptions; `sqlite` for SQLite) that it
creates and drops. Queueing must stay under 5 s: it is what the every-minute command does
when a post goes public. Sending is timed in batches as the workers take them, with the
per-minute rate lifted so that the mail-building code itself is what is measured.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUEUE_LIMIT_SECONDS = 5.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    args = parser.parse_args()
    url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_subscriptions"
    )
    os.environ["DATABASE_URL"] = "" if url == "sqlite" else url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charcot.settings.test")

    import django

    django.setup()
    from django.core import mail
    from django.db import connection
    from django.test.utils import override_settings, setup_test_environment

    setup_test_environment()  # locmem mail: every message lands in mail.outbox
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        return run(args.subscribers, mail, override_settings, name)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def run(count, mail, override_settings, database) -> int:
    from django.db import connection
    from django.utils import timezone

    from subscriptions import mailing
    from subscriptions.models import Subscriber, Subscription
    from tests.factories import PostFactory

    now = timezone.now()
    subscribers = Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{n}@example.net") for n in range(count)
    )
    Subscription.objects.bulk_create(
        Subscription(
            subscriber=subscriber,
            kind=Subscription.Kind.POSTS,
            status=Subscription.Status.CONFIRMED,
            confirmed_at=now,
        )
        for subscriber in subscribers
    )
    post = PostFactory(title="A new post for ten thousand readers")

    started, cpu = time.perf_counter(), time.process_time()
    queued = mailing.new_posts_queue()
    queue_seconds = time.perf_counter() - started
    queue_cpu = time.process_time() - cpu

    batches = 0
    started, cpu = time.perf_counter(), time.process_time()
    with override_settings(CHARCOT_SUBSCRIPTIONS_RATE_PER_MINUTE=10**9):
        while mailing.deliveries_send().sent:
            batches += 1
    send_seconds = time.perf_counter() - started
    send_cpu = time.process_time() - cpu
    sent = len(mail.outbox)
    assert sent == count, (sent, count)
    assert post.mailing.recipients == count

    print(f"database: {connection.vendor} ({database})")
    print(f"subscribers: {count}")
    # Wall-clock time, and this process's CPU time (the database's own work is not in it).
    print(f"queue a post's mail: {queue_seconds:.2f} s ({queue_cpu:.2f} s CPU) for {queued} mails")
    print(
        f"send (locmem backend): {send_seconds:.2f} s ({send_cpu:.2f} s CPU) in {batches} "
        f"batches, {sent / send_seconds:.0f} mails/s"
    )
    if queue_seconds >= QUEUE_LIMIT_SECONDS:
        print(f"FAIL: queueing took {queue_seconds:.2f} s (limit {QUEUE_LIMIT_SECONDS} s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
