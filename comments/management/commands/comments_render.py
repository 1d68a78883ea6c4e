"""Store every comment's fragment that is missing or out of date (comments.fragments).

Pages are right without it: a comment whose stored fragment no longer matches what it
shows is rendered afresh on each read. Run it after a bulk load that bypassed
Comment.save (a restore, rows copied in by hand) or a release that changes the fragment's
markup, so readers stop paying for those renders.
"""

from django.core.management.base import BaseCommand

from comments import fragments
from comments.models import Comment


class Command(BaseCommand):
    help = "Render and store comment fragments that are missing or out of date."

    def add_arguments(self, parser):
        parser.add_argument("--post", type=int, help="only the comments of this post id")

    def handle(self, *args, **options):
        comments = Comment.objects.all()
        if options["post"] is not None:
            comments = comments.filter(post_id=options["post"])
        changed = fragments.refresh(comments)
        self.stdout.write(f"{changed} comment fragment(s) rendered and stored.")
