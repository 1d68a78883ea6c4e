import pytest
from django.test import Client
from django.urls import path

from charcot.urls import urlpatterns as site_urlpatterns


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [*site_urlpatterns, path("boom/", _boom)]
handler404 = "charcot.views.page_not_found"
handler500 = "charcot.views.server_error"


@pytest.mark.django_db
def test_unknown_address_shows_the_404_page_in_the_site_layout(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'class="site-header"' in html
    assert "Recent posts" not in html or "sidebar" in html


@pytest.mark.django_db
@pytest.mark.urls("tests.charcot.test_error_pages")
def test_a_server_error_shows_the_500_page_and_reassures_about_the_typed_comment():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "your text is still saved" in html
    assert "Charcot" in html
