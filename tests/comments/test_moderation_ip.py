"""Readers are told apart by a salted hash of their address, taken from the right header."""

from django.test import RequestFactory

from charcot.clientip import client_ip, hash_ip, ip_hash


def request(remote="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_the_hash_is_stable_salted_and_never_the_address(settings):
    first = hash_ip("203.0.113.5")
    assert first == hash_ip("203.0.113.5")
    assert len(first) == 32
    assert "203" not in first
    settings.SECRET_KEY = "another-secret-key-for-this-test-only"  # noqa: S105
    assert hash_ip("203.0.113.5") != first


def test_no_address_gives_an_empty_hash():
    assert hash_ip("") == ""


def test_without_proxies_forwarded_headers_are_ignored():
    assert client_ip(request(forwarded="198.51.100.9")) == "10.0.0.1"


def test_behind_one_proxy_the_address_it_appended_is_used(settings):
    settings.CHARCOT_CLIENT_IP_PROXY_COUNT = 1
    forged_then_real = request(forwarded="1.2.3.4, 198.51.100.9")
    assert client_ip(forged_then_real) == "198.51.100.9"
    assert ip_hash(forged_then_real) == hash_ip("198.51.100.9")


def test_a_malformed_forwarded_header_falls_back_to_the_remote_address(settings):
    settings.CHARCOT_CLIENT_IP_PROXY_COUNT = 1
    assert client_ip(request(forwarded="not-an-ip")) == "10.0.0.1"
    assert client_ip(request(forwarded="")) == "10.0.0.1"
