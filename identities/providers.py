"""Which external identity providers this site offers, read from settings without a query."""

from dataclasses import dataclass

from django.conf import settings

ORCID = "orcid"
OPENID_CONNECT = "openid_connect"
NAMES = {ORCID: "ORCID", "google": "Google"}


@dataclass(frozen=True)
class Provider:
    id: str  # allauth's provider id, or the app's provider_id for OpenID Connect
    name: str
    proves_orcid: bool


def configured() -> list[Provider]:
    """The providers with a client id in SOCIALACCOUNT_PROVIDERS, in the order they are set."""
    found = []
    for kind, config in getattr(settings, "SOCIALACCOUNT_PROVIDERS", {}).items():
        apps = config.get("APPS") or ([config["APP"]] if config.get("APP") else [])
        for app in apps:
            if not app.get("client_id"):
                continue
            if kind == OPENID_CONNECT:
                orcid = bool(app.get("settings", {}).get("orcid_ids"))
                found.append(
                    Provider(app["provider_id"], app.get("name") or "OpenID Connect", orcid)
                )
            else:
                found.append(Provider(kind, NAMES.get(kind, kind.title()), kind == ORCID))
    return found


def find(provider_id: str) -> Provider | None:
    return next((p for p in configured() if p.id == provider_id), None)


def name_of(provider_id: str) -> str:
    provider = find(provider_id)
    return provider.name if provider else NAMES.get(provider_id, provider_id)


def proves_orcid(provider_id: str) -> bool:
    """True when signing in with this provider proves the person's ORCID iD (its uid)."""
    provider = find(provider_id)
    return provider is not None and provider.proves_orcid
