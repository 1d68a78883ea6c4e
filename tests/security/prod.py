"""Apply the real production settings module's security values to a test."""

import importlib
import sys

PROD_ENV = {
    "SECRET_KEY": "x9!" + "k" * 60 + "-a-real-looking-production-secret",
    "ALLOWED_HOSTS": "blog.example.org",
    "SITE_URL": "https://blog.example.org",
}
HOST = "blog.example.org"
SECURITY_PREFIXES = ("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_", "X_FRAME_OPTIONS")
_MODULES = ("charcot.settings.base", "charcot.settings.prod")


def production_security_settings(monkeypatch) -> dict:
    """Import charcot.settings.prod afresh with production-like env; return its security values.

    Base is re-imported too, because prod reads SECRET_KEY from it; the test's own settings
    modules are put back afterwards.
    """
    for key, value in PROD_ENV.items():
        monkeypatch.setenv(key, value)
    saved = {name: sys.modules.pop(name, None) for name in _MODULES}
    try:
        prod = importlib.import_module("charcot.settings.prod")
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    values = {name: getattr(prod, name) for name in dir(prod) if name.startswith(SECURITY_PREFIXES)}
    values.update(DEBUG=prod.DEBUG, ALLOWED_HOSTS=prod.ALLOWED_HOSTS, MIDDLEWARE=prod.MIDDLEWARE)
    return values
