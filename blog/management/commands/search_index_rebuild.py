"""Index every post for search again: after bulk imports, raw SQL or restored dumps."""

from django.core.management.base import BaseCommand

from blog.search import search_index_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search index (and its words for “Did you mean”) from every post. "
        "Saves already keep it current; run this after writes that skip Model.save()."
    )

    def handle(self, *args, **options):
        count = search_index_rebuild()
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} posts for search."))
