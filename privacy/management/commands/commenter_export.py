import json

from django.core.management.base import BaseCommand

from privacy.services import commenter_export


class Command(BaseCommand):
    help = "Print, as JSON, everything stored under an anonymous commenter's email address."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        data = commenter_export(email=email)
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
        self.stderr.write(f"{len(data['comments'])} comment(s) found for {email}.")
