import pytest
from allauth.socialaccount.models import SocialAccount

from demo import identities as demo


@pytest.mark.django_db
def test_the_demo_member_shows_a_verified_orcid_on_their_profile(client):
    member = demo.seed()
    assert demo.seed() == member  # idempotent
    assert SocialAccount.objects.filter(user=member, provider="orcid").count() == 1
    page = client.get(member.get_absolute_url()).text
    assert "verified by ORCID sign-in" in page
    assert "(demo)" in page
