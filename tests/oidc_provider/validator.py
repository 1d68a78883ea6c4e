from oauth2_provider.oauth2_validators import OAuth2Validator

IDP_PREFIX = "idp+"


class OrcidLikeValidator(OAuth2Validator):
    """Claims like ORCID's own OpenID Connect service: `sub` is the person's ORCID iD.

    The provider's people are rows of the same user table (one test database). Their
    address is stored as "idp+<address>" and claimed without the prefix, so no Charcot
    member shares it unless a test means it to.
    """

    def get_claim_dict(self, request):
        user = request.user
        return {
            "sub": user.orcid or f"user-{user.pk}",
            "name": user.get_full_name() or user.username,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "email": user.email.removeprefix(IDP_PREFIX),
            "email_verified": True,
        }
