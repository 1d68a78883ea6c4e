import pytest
from django.contrib.auth import SESSION_KEY

from accounts import conf, throttle
from tests.factories import UserFactory

PASSWORD = "correct horse battery"


@pytest.fixture
def clock(monkeypatch):
    """A controllable clock for the limiter."""

    class Clock:
        now = 1_000_000.0

        def __call__(self):
            return self.now

        def advance(self, seconds):
            self.now += seconds

    fake = Clock()
    monkeypatch.setattr(throttle, "clock", fake)
    return fake


def _sign_in(client, username="reader", password="wrong", ip="203.0.113.7"):  # noqa: S107
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def _errors(response):
    return " ".join(response.context["form"].non_field_errors())


@pytest.mark.django_db
def test_a_few_failed_sign_ins_are_not_slowed(client, reader, clock):
    for _ in range(conf.LOGIN_ACCOUNT_SOFT_LIMIT - 1):
        assert "Too many" not in _errors(_sign_in(client))
    assert _sign_in(client, password=PASSWORD).status_code == 302


@pytest.mark.django_db
def test_repeated_failures_for_one_account_make_the_next_attempt_wait(client, reader, clock):
    for _ in range(conf.LOGIN_ACCOUNT_SOFT_LIMIT):
        _sign_in(client)
    # Even the right password is refused until the delay has passed.
    refused = _sign_in(client, password=PASSWORD)
    assert refused.status_code == 200
    assert "Too many failed sign-in attempts" in _errors(refused)
    assert "2 seconds" in _errors(refused)
    assert SESSION_KEY not in client.session
    clock.advance(conf.LOGIN_BASE_DELAY_SECONDS)
    assert _sign_in(client, password=PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_delay_doubles_with_each_further_failure(client, reader, clock):
    for _ in range(conf.LOGIN_ACCOUNT_SOFT_LIMIT):
        _sign_in(client)
    waits = []
    for _ in range(3):
        waits.append(throttle.wait_seconds(ip="", username="reader"))
        clock.advance(waits[-1])
        _sign_in(client)
    assert waits == [2, 4, 8]


@pytest.mark.django_db
def test_an_account_under_attack_is_locked_for_fifteen_minutes_from_every_address(
    client, reader, clock
):
    for attempt in range(conf.LOGIN_ACCOUNT_HARD_LIMIT):
        clock.advance(throttle.wait_seconds(ip="", username="reader"))
        _sign_in(client, ip=f"198.51.100.{attempt}")
    refused = _sign_in(client, password=PASSWORD, ip="192.0.2.99")
    assert "Too many failed sign-in attempts" in _errors(refused)
    assert "15 minutes" in _errors(refused)
    clock.advance(conf.LOGIN_WINDOW_SECONDS - 60)
    assert "Too many" in _errors(_sign_in(client, password=PASSWORD, ip="192.0.2.99"))
    clock.advance(61)
    assert _sign_in(client, password=PASSWORD, ip="192.0.2.99").status_code == 302


@pytest.mark.django_db
def test_one_address_trying_many_accounts_is_refused_but_others_still_sign_in(
    client, reader, clock
):
    UserFactory(username="other")
    for attempt in range(conf.LOGIN_IP_HARD_LIMIT):
        clock.advance(throttle.wait_seconds(ip="203.0.113.7", username=""))
        _sign_in(client, username=f"guess{attempt}", ip="203.0.113.7")
    refused = _sign_in(client, username="other", password=PASSWORD, ip="203.0.113.7")
    assert "Too many failed sign-in attempts" in _errors(refused)
    assert _sign_in(client, username="other", password=PASSWORD, ip="192.0.2.1").status_code == 302


@pytest.mark.django_db
def test_a_successful_sign_in_clears_the_accounts_failures(client, reader, clock):
    for _ in range(conf.LOGIN_ACCOUNT_SOFT_LIMIT - 1):
        _sign_in(client)
    assert _sign_in(client, password=PASSWORD).status_code == 302
    client.logout()
    _sign_in(client)
    assert throttle.wait_seconds(ip="", username="reader") == 0


@pytest.mark.django_db
def test_the_account_limit_ignores_the_case_of_the_username(client, reader, clock):
    for attempt in range(conf.LOGIN_ACCOUNT_SOFT_LIMIT):
        _sign_in(client, username="READER" if attempt % 2 else "reader", ip=f"192.0.2.{attempt}")
    assert throttle.wait_seconds(ip="", username="Reader") > 0


@pytest.mark.django_db
def test_the_admin_sign_in_is_throttled_too(client, clock):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    for _ in range(conf.LOGIN_ACCOUNT_SOFT_LIMIT):
        client.post("/admin/login/", {"username": "boss", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "boss", "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_the_cache_holds_neither_usernames_nor_addresses():
    key = throttle._key(throttle.account_limit(), "reader")
    assert "reader" not in key
    assert "203.0.113.7" not in throttle._key(throttle.ip_limit(), "203.0.113.7")


@pytest.mark.django_db
def test_the_admin_sign_in_throttles_each_client_behind_the_proxy_not_the_proxy(
    client, clock, settings
):
    settings.CHARCOT_CLIENT_IP_PROXY_COUNT = 1
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    for attempt in range(conf.LOGIN_IP_SOFT_LIMIT):
        client.post(
            "/admin/login/",
            {"username": f"guess{attempt}", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.66",
        )
    blocked = client.post(
        "/admin/login/",
        {"username": "boss", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.66",
    )
    assert "Too many failed sign-in attempts" in blocked.content.decode()
    other = client.post(
        "/admin/login/",
        {"username": "boss", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.20",
    )
    assert other.status_code == 302
    assert client.get("/admin/").status_code == 200
