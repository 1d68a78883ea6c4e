"""Import settings: every knob once, with a sentence, read from CHARCOT_IMPORTERS_* settings."""

from charcot.conf import settings_reader

DEFAULTS = {
    "MAX_FILE_BYTES": (
        2 * 1024**3,
        "The largest export file an import reads; larger files (or uploads claiming more) are refused.",
    ),
    "MAX_FIELD_CHARS": (
        2_000_000,
        "The longest text one element of an export may hold (a post body, a comment).",
    ),
    "UPLOAD_ROOT": (
        None,
        "Where exports uploaded in the admin wait for their import (default: private-imports "
        "beside MEDIA_ROOT); never a public folder.",
    ),
    "MAX_COMMENT_CHARS": (
        100_000,
        "Imported comments longer than this are cut, with a note in the report.",
    ),
}


__getattr__ = settings_reader("CHARCOT_IMPORTERS_", DEFAULTS)
