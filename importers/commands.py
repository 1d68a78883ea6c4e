"""What import_wordpress and import_blogger share: options, the progress bar, the report."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from .services import ImportOptions, import_records, parse_author_map
from .xmlstream import ImportFileError, file_size


class ProgressBar:
    """A one-line bar on a terminal, from how far into the file the reader is."""

    WIDTH = 30

    def __init__(self, stream, out):
        self.stream, self.out = stream, out
        self.size = file_size(stream) or 0

    def __call__(self, posts: int) -> None:
        done = self.stream.tell() / self.size if self.size else 0
        filled = int(done * self.WIDTH)
        self.out.write(
            f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done:4.0%}  {posts:,} posts"
        )
        self.out.flush()


class ImportCommand(BaseCommand):
    reader_class = None
    source_name = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help=f"The {self.source_name} export to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would happen; save nothing."
        )
        parser.add_argument(
            "--author-map",
            metavar="FILE",
            help="Lines “source-login = account” sending source authors to existing "
            "accounts (username or email).",
        )
        parser.add_argument(
            "--uploads",
            metavar="DIR",
            help="A local copy of the blog's images (wp-content/uploads or a Blogger image "
            "folder), imported through Charcot's image pipeline.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        try:
            author_map = {}
            if options["author_map"]:
                with open(options["author_map"], encoding="utf-8") as handle:
                    author_map = parse_author_map(handle)
            uploads = Path(options["uploads"]) if options["uploads"] else None
            if uploads is not None and not uploads.is_dir():
                raise CommandError(f"--uploads {uploads}: no such folder.")
            stream = open(options["file"], "rb")  # noqa: SIM115 (closed below)
        except (OSError, ValueError, UnicodeError) as error:
            raise CommandError(str(error)) from error
        with stream:
            show = not options["no_progress"] and sys.stderr.isatty()
            progress = ProgressBar(stream, sys.stderr) if show else None
            try:
                report = import_records(
                    self.reader_class(stream),
                    options=ImportOptions(
                        dry_run=options["dry_run"], author_map=author_map, uploads=uploads
                    ),
                    progress=progress,
                )
            except ImportFileError as error:
                raise CommandError(str(error)) from error
        if progress is not None:
            sys.stderr.write("\n")
        self.stdout.write(report.text())
        if report.fatal:
            raise CommandError(report.fatal)
