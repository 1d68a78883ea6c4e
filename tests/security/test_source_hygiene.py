"""Escaping is only switched off for HTML our sanitizer produced, and never silently."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIPPED = {".venv", "staticfiles", "node_modules", "media", ".git"}
SAFE_FILTER = re.compile(r"\{\{\s*([\w.]+)[^}]*\|\s*safe\b")
MARK_SAFE = re.compile(r"\bmark_safe\(|\bSafeString\(")


def _files(pattern, skipped=frozenset()):
    for path in sorted(ROOT.glob(pattern)):
        relative = path.relative_to(ROOT)
        if not (SKIPPED | skipped) & set(relative.parts):
            yield pytest.param(path, id=str(relative))


def _html_pages():
    # Plain-text mail bodies (Django names them *_email.html) are never parsed as HTML.
    return [
        p for p in _files("**/templates/**/*.html") if not p.values[0].name.endswith("_email.html")
    ]


@pytest.mark.parametrize("path", _html_pages())
def test_templates_mark_safe_only_sanitized_html_fields(path):
    for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        for variable in SAFE_FILTER.findall(line):
            assert variable.endswith("_html"), (
                f"{path.name}:{line_number} marks {variable} safe; only *_html fields "
                "rendered by charcot.markdown may be"
            )
        assert "{% autoescape off" not in line, f"{path.name}:{line_number} turns escaping off"


@pytest.mark.parametrize("path", list(_files("**/*.py", skipped={"tests", "migrations"})))
def test_python_marks_text_safe_only_with_a_reason_on_the_same_line(path):
    for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if MARK_SAFE.search(line):
            assert "# safe:" in line, f"{path.name}:{line_number}: say why with '# safe: ...'"
