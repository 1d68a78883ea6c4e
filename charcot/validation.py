"""Input rules every form shares: integers in ASCII digits, text that XML can carry.

`str.isdigit()` says yes to "²" and "①", which `int()` refuses, and `int()` reads "٣" and
"１２" as numbers nobody typed as such; ids and counts come only in 0-9. Text goes into
HTML, RSS/Atom, JSON-LD and mail, and one U+FFFE makes a feed unparsable, so the
characters XML 1.0 cannot carry are dropped once, when a form reads its data.
"""

import re

from django import forms
from django.http import QueryDict

ASCII_INTEGER = re.compile(r"[0-9]{1,18}")  # 18 digits: always fits a 64-bit column

# XML 1.0 §2.2: no C0 control but tab, newline and carriage return, no surrogate, no
# U+FFFE/U+FFFF; the C1 controls and the other non-characters are "discouraged" there
# and are parse errors in HTML, and nobody types them.
XML_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17))
    + "]"
)


def parse_ascii_int(value) -> int | None:
    """The integer written in ASCII digits (surrounding spaces allowed), else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if not isinstance(value, str):
        return None
    value = value.strip()
    return int(value) if ASCII_INTEGER.fullmatch(value) else None


def xml_safe(text: str) -> str:
    """The text without the characters XML 1.0 cannot carry (or discourages)."""
    return XML_UNSAFE.sub("", text)


class AsciiIntegerField(forms.IntegerField):
    """An IntegerField that reads 0-9 only: "²", "٣" or "１２" are errors, not crashes."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_ascii_int(value)
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


def _safe(value, keep: bool):
    if keep:
        return value
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list | tuple):
        return [xml_safe(item) if isinstance(item, str) else item for item in value]
    return value


def xml_safe_data(data, keep=()):
    """A copy of a form's data with every text value but those named in `keep` made safe."""
    if isinstance(data, QueryDict):
        safe = QueryDict(mutable=True, encoding=data.encoding)
        for key, values in data.lists():
            safe.setlist(key, _safe(values, key in keep))
        return safe
    return {key: _safe(value, key in keep) for key, value in data.items()}


class XmlSafeFormMixin:
    """Put first in a form's bases: every submitted text loses its XML-invalid characters
    before any field sees it, so what is stored, re-shown or mailed is valid everywhere."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            # Passwords are compared, never shown: changing one would lock its owner out.
            passwords = {
                self.add_prefix(name)
                for name, field in self.fields.items()
                if isinstance(field.widget, forms.PasswordInput)
            }
            self.data = xml_safe_data(self.data, keep=passwords)
