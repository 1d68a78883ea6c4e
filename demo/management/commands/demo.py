from django.core.management.base import BaseCommand
from django.db import transaction

from comments import fragments
from comments.models import Comment
from demo import accounts as accounts_demo
from demo import authoring as authoring_demo
from demo import blog as blog_demo
from demo import comments as comments_demo
from demo import identities as identities_demo
from demo import imported as imported_demo
from demo import moderation as demo_moderation
from demo import moderation_pressure, spam_history
from demo import subscriptions as subscriptions_demo


class Command(BaseCommand):
    help = (
        "Fill the database with realistic demo content. Idempotent: running it again "
        "adds nothing that is already there."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            people = accounts_demo.seed()
            blog_demo.seed(people)
            authoring_demo.seed(people)
            comments_demo.seed(people)
            demo_moderation.seed(people)
            moderation_pressure.seed(people)
            spam_history.seed(people)
            imported_demo.seed()
            identities_demo.seed()
            subscriptions_demo.seed()
            fragments.refresh(Comment.objects.all())  # the seed bulk-inserts threads
        self.stdout.write(self.style.SUCCESS("Demo content is ready. Sign in with:"))
        for role, (username, password) in people.credentials.items():
            self.stdout.write(f"  {role:<10} username: {username:<12} password: {password}")
