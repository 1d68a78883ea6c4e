from importers.blogger import BloggerReader
from importers.commands import ImportCommand


class Command(ImportCommand):
    help = "Import a Blogger backup (Atom): posts, labels and whole discussions."
    reader_class = BloggerReader
    source_name = "Blogger (Atom)"
