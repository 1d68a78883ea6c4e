"""Privacy settings: each knob once, with a sentence; override with CHARCOT_PRIVACY_<NAME>."""

from charcot.conf import settings_reader

DEFAULTS = {
    "IP_RETENTION_DAYS": (
        90,
        "Days a comment's hashed IP and user agent are kept against abuse "
        "(`manage.py purge_ip_data` forgets older ones).",
    ),
    "CONTACT": (
        "",
        "The address the privacy page gives for data requests; empty: privacy@ the site's host.",
    ),
}

__getattr__ = settings_reader("CHARCOT_PRIVACY_", DEFAULTS)
