"""Pytest fixtures that run the provider and register Charcot with it.

`oidc_provider` starts a second live server at 127.0.0.1 (Charcot's live server is at
localhost), creates the client application there, and configures Charcot's
SOCIALACCOUNT_PROVIDERS for it, as an operator would with OIDC_* environment variables.
"""

from dataclasses import dataclass

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread

CLIENT_ID = "charcot-test-client"
CLIENT_SECRET = "charcot-test-secret-0123456789"
PROVIDER_ID = "testid"
PROVIDER_NAME = "Test ID"


class ProviderServer(ThreadedWSGIServer):
    """Concurrent with Charcot's live server, whose request waits on the provider."""

    def _close_connections(self):
        # The test's shared in-memory SQLite connection belongs to the test, not to a request.
        for conn in connections.all(initialized_only=True):
            if conn.alias not in self.connections_override:
                conn.close()


class ProviderThread(LiveServerThread):
    server_class = ProviderServer


@dataclass
class RunningProvider:
    url: str
    application: object
    provider_id: str = PROVIDER_ID
    name: str = PROVIDER_NAME

    def configure(self, settings, *, secret: str = CLIENT_SECRET, orcid_ids: bool = True):
        settings.SOCIALACCOUNT_PROVIDERS = {
            "openid_connect": {
                "OAUTH_PKCE_ENABLED": True,
                "APPS": [
                    {
                        "provider_id": PROVIDER_ID,
                        "name": PROVIDER_NAME,
                        "client_id": CLIENT_ID,
                        "secret": secret,
                        "settings": {"server_url": f"{self.url}/o", "orcid_ids": orcid_ids},
                    }
                ],
            }
        }


@pytest.fixture
def oidc_provider(live_server, settings):
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from oauth2_provider.models import get_application_model

    settings.ROOT_URLCONF = "tests.oidc_provider.urls"
    overrides = {
        conn.alias: conn
        for conn in connections.all()
        if conn.vendor == "sqlite" and conn.is_in_memory_db()
    }
    thread = ProviderThread(
        "127.0.0.1", static_handler=StaticFilesHandler, connections_override=overrides, port=0
    )
    thread.daemon = True
    for conn in overrides.values():
        conn.inc_thread_sharing()
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    callback = f"{live_server.url}/accounts/oidc/{PROVIDER_ID}/login/callback/"
    application = get_application_model().objects.create(
        name="Charcot",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type="confidential",
        authorization_grant_type="authorization-code",
        redirect_uris=callback,
        algorithm="RS256",
        skip_authorization=True,
    )
    provider = RunningProvider(url=f"http://127.0.0.1:{thread.port}", application=application)
    provider.configure(settings)
    # As settings.base does for a configured provider: its pages may end a form's redirect
    # (and the provider, being this site at another host, sends people back to Charcot).
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "form-action": [*settings.SECURE_CSP["form-action"], provider.url, live_server.url],
    }
    yield provider
    thread.terminate()
    for conn in overrides.values():
        conn.dec_thread_sharing()
