from django.core.management.base import BaseCommand

from privacy.services import commenter_erase, commenter_export


class Command(BaseCommand):
    help = (
        "Anonymise every comment left under an email address: name becomes “Anonymous”, "
        "email, website, hashed IP and user agent are cleared; replies keep their place."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say how many comments would change."
        )

    def handle(self, *args, email, dry_run=False, **options):
        if dry_run:
            count = len(commenter_export(email=email)["comments"])
            self.stdout.write(f"Would anonymise {count} comment(s) left under {email}.")
            return
        result = commenter_erase(email=email)
        self.stdout.write(f"Anonymised {result.comments} comment(s) left under {email}.")
