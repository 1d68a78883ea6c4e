"""Reading an export safely: no DTD, no entities, bounded text, streamed, with line numbers.

Every problem with the file itself becomes an ImportFileError whose message names the
line and the element, so the command and the admin page can show it instead of a traceback.
"""

import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from . import conf

CHUNK_BYTES = 64 * 1024
LINE = "{urn:charcot:import}line"


class ImportFileError(Exception):
    """The export cannot be read; the message says where and why, for a person."""


class _LineBuilder(ET.TreeBuilder):
    """Remembers on each element the line where it starts (expat knows it only then)."""

    expat = None

    def start(self, tag, attrs):
        element = super().start(tag, attrs)
        element.set(LINE, str(self.expat.CurrentLineNumber))
        return element


def line_of(element) -> int:
    return int(element.get(LINE, "0"))


def check_size(size: int | None) -> None:
    """Refuse a file (or an upload's claimed size) above CHARCOT_IMPORTERS_MAX_FILE_BYTES."""
    limit = conf.MAX_FILE_BYTES
    if size is not None and size > limit:
        raise ImportFileError(
            f"The file is {size / 1024**2:,.0f} MB; imports take files up to "
            f"{limit / 1024**2:,.0f} MB (CHARCOT_IMPORTERS_MAX_FILE_BYTES)."
        )


def file_size(stream) -> int | None:
    try:
        return os.fstat(stream.fileno()).st_size
    except (AttributeError, OSError, ValueError):
        return getattr(stream, "size", None)


def iter_events(stream, *, roots: dict[str, str]) -> Iterator[tuple[str, ET.Element]]:
    """Yield ("start"/"end", element) pairs from a binary stream.

    `roots` maps the accepted root tags to a name for messages; another root is refused.
    The caller clears elements it has finished with, so memory stays bounded.
    """
    check_size(file_size(stream))
    builder = _LineBuilder()
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    builder.expat = parser.parser
    pull = ET.XMLPullParser(events=("start", "end"), _parser=parser)
    limit = conf.MAX_FIELD_CHARS
    first = True
    while True:
        try:
            chunk = stream.read(CHUNK_BYTES)
        except (OSError, UnicodeError) as error:
            raise ImportFileError(f"The file could not be read: {error}.") from error
        if isinstance(chunk, str):
            chunk = chunk.encode()
        try:
            if chunk:
                pull.feed(chunk)
            else:
                pull.close()
            events = list(pull.read_events())
        except ET.ParseError as error:
            line, column = error.position
            raise ImportFileError(
                f"The file is not well-formed XML at line {line}, column {column + 1}: "
                f"{str(error).split(':')[0]}. Is it complete (not cut short) and an export "
                "as the blog wrote it?"
            ) from error
        except DefusedXmlException as error:
            raise ImportFileError(
                f"The file was refused at line {builder.expat.CurrentLineNumber}: it declares "
                f"a DTD or entities ({type(error).__name__}), which exports never need and "
                "which can expand to gigabytes or read files from this server."
            ) from error
        for event, element in events:
            if first:
                first = False
                if element.tag not in roots:
                    raise ImportFileError(
                        f"The root element at line {line_of(element)} is <{local(element.tag)}>; "
                        f"expected {' or '.join(roots.values())}."
                    )
            if event == "end" and element.text and len(element.text) > limit:
                raise ImportFileError(
                    f"The <{local(element.tag)}> element at line {line_of(element)} holds "
                    f"{len(element.text):,} characters; the limit is {limit:,}."
                )
            yield event, element
        if not chunk:
            if first:
                raise ImportFileError("The file is empty.")
            return


def local(tag: str) -> str:
    return tag.rpartition("}")[2]


def text(element, path: str, namespaces: dict[str, str] | None = None) -> str:
    found = element.find(path, namespaces)
    return (found.text or "").strip() if found is not None else ""
