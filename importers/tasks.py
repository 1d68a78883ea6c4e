"""Imports started from the admin run as a django.tasks task, off the request."""

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from .blogger import BloggerReader
from .models import ImportRun, Source
from .services import ImportOptions, import_records
from .wordpress import WordPressReader
from .xmlstream import file_size

READERS = {Source.WORDPRESS: WordPressReader, Source.BLOGGER: BloggerReader}


@task
def import_run(run_id: int) -> None:
    """Run one admin import and keep its progress and report on the ImportRun row."""
    run = ImportRun.objects.filter(pk=run_id, state=ImportRun.State.QUEUED).first()
    if run is None:
        return  # already taken by another worker, or deleted
    ImportRun.objects.filter(pk=run.pk).update(state=ImportRun.State.RUNNING)
    with run.file.open("rb") as stream:
        size = file_size(stream) or 0

        def progress(posts: int) -> None:
            # A dry run holds one transaction open: its progress would be rolled back too.
            if not run.dry_run and transaction.get_autocommit():
                percent = min(99, int(stream.tell() * 100 / size)) if size else 0
                ImportRun.objects.filter(pk=run.pk).update(posts_done=posts, percent=percent)

        report = import_records(
            READERS[run.source](stream),
            options=ImportOptions(dry_run=run.dry_run),
            progress=progress,
        )
    # The export held commenters' addresses: it is not kept once read.
    run.file.delete(save=False)
    run.report = report.text()
    run.posts_done = report.counts["posts imported"] + report.counts["posts already imported"]
    run.percent = 100
    run.state = ImportRun.State.FAILED if report.fatal else ImportRun.State.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["file", "report", "posts_done", "percent", "state", "finished_at"])
