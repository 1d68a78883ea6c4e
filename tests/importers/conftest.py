import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command


class Imported:
    """What a run of an import command printed, or the error it stopped with."""

    def __init__(self, output: str, error: str = ""):
        self.output, self.error = output, error

    def __contains__(self, text):
        return text in self.output or text in self.error


@pytest.fixture
def run_import(tmp_path, db):
    """Write `data` to a file and run the import command on it; returns what it said."""

    def run(data: bytes, *args, command="import_wordpress", name="export.xml") -> Imported:
        path = tmp_path / name
        path.write_bytes(data)
        out = io.StringIO()
        try:
            call_command(command, str(path), *args, stdout=out)
        except CommandError as error:
            return Imported(out.getvalue(), str(error))
        return Imported(out.getvalue())

    return run


def page(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def thread_shape(response) -> list[tuple[int, str]]:
    """Each shown comment as (depth, text) in page order: the discussion as a reader sees it."""
    soup = page(response)
    shape = []
    for article in soup.select(".comment-list article"):
        depth = len(article.find_parents("article"))
        body = article.select_one(".comment__body")
        text = body.get_text(" ", strip=True) if body else "[placeholder]"
        shape.append((depth, text))
    return shape
