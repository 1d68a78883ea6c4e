"""What the moderation desk shows of a member's external identities."""

from allauth.socialaccount.models import SocialAccount
from django.db.models import OuterRef, StringAgg, Subquery, Value

from . import providers


def linked_providers(user_field: str) -> Subquery:
    """The provider ids a row's member signs in with, newline-separated, in the row's query."""
    return Subquery(
        SocialAccount.objects.filter(user=OuterRef(user_field))
        .order_by()
        .values("user")
        .annotate(ids=StringAgg("provider", delimiter=Value("\n")))
        .values("ids")
    )


def provider_names(ids: str | None) -> str:
    """ "ORCID, Google" for the ids linked_providers gave."""
    return ", ".join(sorted(providers.name_of(pid) for pid in (ids or "").split("\n") if pid))
