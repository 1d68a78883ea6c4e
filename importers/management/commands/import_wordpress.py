from importers.commands import ImportCommand
from importers.wordpress import WordPressReader


class Command(ImportCommand):
    help = "Import a WordPress export (WXR): posts, authors, terms and whole discussions."
    reader_class = WordPressReader
    source_name = "WordPress (WXR)"
