import json

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from blog.models import Post
from demo import accounts as accounts_demo
from demo import authoring as demo_authoring

pytestmark = pytest.mark.django_db


def test_the_authoring_demo_shows_every_feature_on_one_post_and_can_run_twice(client):
    call_command("demo")
    people = accounts_demo.seed()
    demo_authoring.seed(people)
    post = demo_authoring.seed(people)
    assert Post.objects.filter(slug=demo_authoring.SLUG).count() == 1
    assert post.references.count() == 6
    assert post.corrections.count() == 1
    assert post.body_html.count("<h2") >= 4
    soup = BeautifulSoup(client.get(post.get_absolute_url()).content, "html.parser")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "MedicalWebPage"
    assert "sameAs" in data["author"]  # the author's ORCID iD
    assert soup.find("meta", attrs={"name": "citation_author"})["content"] == "L. Ruiz"
    assert soup.select_one("#cite-text").text.startswith("Ruiz L.")
    assert soup.select(".related-posts li")
    assert "None declared." in soup.select_one(".post-notes").text
    corrections = client.get("/corrections/").content.decode()
    assert "thirty-two-fold" in corrections
