"""Demo data: a small WordPress export bundled with the demo, imported as any other.

The demo then shows an imported post with its thread (the author's replies badged, a
held comment waiting on the moderation desk) and an old link, /?p=1001, that redirects.
"""

from pathlib import Path

from importers.report import Report
from importers.services import ImportOptions, import_records
from importers.wordpress import WordPressReader

FIXTURE = Path(__file__).parent / "fixtures" / "demo-wordpress.xml"
OLD_LINK = "/?p=1001"


def seed() -> Report:
    """Import the bundled export; a second call changes nothing (imports are idempotent)."""
    with FIXTURE.open("rb") as stream:
        return import_records(WordPressReader(stream), options=ImportOptions())
