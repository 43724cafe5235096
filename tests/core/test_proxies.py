"""Client addresses and HTTPS: forwarding headers count only from PERMITHUB_TRUSTED_PROXIES."""

import pytest
from starlette.requests import Request

from core.config import Settings
from core.proxies import client_address, is_https


def request(peer: str, *, scheme: str = "http", **headers: str) -> Request:
    raw = [
        (name.replace("_", "-").lower().encode(), value.encode()) for name, value in headers.items()
    ]
    return Request(
        {
            "type": "http",
            "scheme": scheme,
            "method": "GET",
            "path": "/",
            "query_string": b"",
            "headers": raw,
            "client": (peer, 50000),
            "server": ("testserver", 80),
        }
    )


def test_without_a_proxy_the_peer_is_the_client():
    assert client_address(request("203.0.113.9")) == "203.0.113.9"


def test_a_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored():
    assert client_address(request("203.0.113.9", x_forwarded_for="1.1.1.1")) == "203.0.113.9"


def test_the_local_proxy_is_trusted_by_default():
    assert client_address(request("127.0.0.1", x_forwarded_for="198.51.100.7")) == "198.51.100.7"


def test_the_client_is_the_rightmost_address_not_added_by_a_trusted_proxy(configure):
    configure(trusted_proxies="10.0.0.0/8")
    forwarded = "6.6.6.6, 198.51.100.7, 10.0.0.5"  # the client wrote 6.6.6.6 itself
    assert client_address(request("10.0.0.2", x_forwarded_for=forwarded)) == "198.51.100.7"


def test_a_proxy_on_another_host_is_trusted_only_when_configured(configure):
    behind = request("10.0.0.2", x_forwarded_for="198.51.100.7")
    assert client_address(behind) == "10.0.0.2"
    configure(trusted_proxies="10.0.0.2, ::1")
    assert client_address(behind) == "198.51.100.7"


def test_garbage_in_forwarded_for_is_not_taken_as_an_address():
    assert client_address(request("127.0.0.1", x_forwarded_for="<script>")) == "127.0.0.1"


def test_https_directly_or_through_a_trusted_proxy_only():
    assert is_https(request("203.0.113.9", scheme="https"))
    assert is_https(request("127.0.0.1", x_forwarded_proto="https"))
    assert not is_https(request("203.0.113.9", x_forwarded_proto="https"))
    assert not is_https(request("127.0.0.1"))


def test_a_bad_trusted_proxies_setting_is_refused_in_chinese():
    with pytest.raises(ValueError, match="不是 IP 地址或网段"):
        Settings(trusted_proxies="10.0.0.0/8, proxy.local")
