"""The Platform API client against a fake Heroku over real HTTP on loopback."""

from __future__ import annotations

import logging
import time

import pytest

from deploycheck import __version__
from deploycheck.families.heroku.client import HerokuAPIError, HerokuClient
from tests.heroku_fake import TOKEN, Fault, refused_url


def client_for(heroku, **options) -> HerokuClient:
    options = {"backoff": 0.01, "read_timeout": 1.0, **options}
    return HerokuClient(TOKEN, heroku.url, **options)


def test_sends_the_v3_accept_header_token_and_user_agent(heroku):
    client = client_for(heroku)
    assert client.get("/apps/weareone")["name"] == "weareone"
    request, _response = heroku.server.log[-1]
    assert request.headers["Accept"] == "application/vnd.heroku+json; version=3"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["User-Agent"] == f"deploycheck/{__version__}"
    assert request.headers["Range"] == "id ..; max=1000"


def test_follows_range_pagination_over_three_pages(heroku):
    heroku.resources["/apps/weareone/domains"] = [
        {"id": f"d{index:02d}", "hostname": f"h{index}"} for index in range(7)
    ]
    heroku.page_size = 3
    domains = client_for(heroku).get("/apps/weareone/domains")
    assert [domain["id"] for domain in domains] == [f"d{index:02d}" for index in range(7)]
    ranges = [range_header for path, range_header in heroku.requests if path == "/apps/weareone/domains"]
    assert ranges == ["id ..; max=1000", "]d02..; max=3", "]d05..; max=3"]


def test_retries_a_429_honouring_retry_after(heroku):
    heroku.fail("/apps/weareone", Fault(429, {"id": "rate_limit", "message": "Slow down."}, {"Retry-After": "1"}))
    started = time.monotonic()
    assert client_for(heroku).get("/apps/weareone")["name"] == "weareone"
    assert time.monotonic() - started >= 0.9
    assert heroku.count()["/apps/weareone"] == 2


def test_gives_up_on_429_every_time_with_heroku_error_id_and_request_id(heroku):
    heroku.fail(
        "/apps/weareone", Fault(429, {"id": "rate_limit", "message": "Your account reached the API limit."}, times=None)
    )
    with pytest.raises(HerokuAPIError) as caught:
        client_for(heroku, retries=2).get("/apps/weareone")
    error = caught.value
    assert (error.status, error.error_id) == (429, "rate_limit")
    assert error.request_id
    assert str(error) == (
        f"GET /apps/weareone: HTTP 429 (rate_limit) Your account reached the API limit. [Request-Id {error.request_id}]"
    )
    assert heroku.count()["/apps/weareone"] == 3


@pytest.mark.parametrize("status", [500, 503])
def test_retries_server_errors_then_reports_them(heroku, status):
    heroku.fail("/apps/weareone", Fault(status, {"id": "internal", "message": "Internal server error."}, times=None))
    with pytest.raises(HerokuAPIError) as caught:
        client_for(heroku, retries=1).get("/apps/weareone")
    assert caught.value.status == status
    assert heroku.count()["/apps/weareone"] == 2


def test_a_server_error_that_clears_is_retried(heroku):
    heroku.fail("/apps/weareone", Fault(503, {"id": "unavailable", "message": "Try again."}))
    assert client_for(heroku).get("/apps/weareone")["name"] == "weareone"


@pytest.mark.parametrize(("status", "error_id"), [(401, "unauthorized"), (403, "forbidden"), (404, "not_found")])
def test_client_errors_are_not_retried(heroku, status, error_id):
    heroku.fail("/apps/weareone", Fault(status, {"id": error_id, "message": "No."}))
    with pytest.raises(HerokuAPIError) as caught:
        client_for(heroku).get("/apps/weareone")
    assert (caught.value.status, caught.value.error_id) == (status, error_id)
    assert heroku.count()["/apps/weareone"] == 1


def test_wrong_token_is_a_401(heroku):
    with pytest.raises(HerokuAPIError) as caught:
        HerokuClient("HRKU-wrong", heroku.url).get("/apps/weareone")
    assert (caught.value.status, caught.value.error_id) == (401, "unauthorized")


def test_connection_refused():
    url = refused_url()
    with pytest.raises(HerokuAPIError, match=f"cannot connect to {url}"):
        HerokuClient(TOKEN, url, retries=1, backoff=0.01).get("/apps/weareone")


def test_read_timeout(heroku):
    heroku.fail("/apps/weareone", Fault(0, delay=1.5, times=None))
    with pytest.raises(HerokuAPIError, match="no answer within the read timeout"):
        client_for(heroku, read_timeout=0.3, retries=0).get("/apps/weareone")


def test_malformed_json(heroku):
    heroku.fail("/apps/weareone", Fault(200, "{not json"))
    with pytest.raises(HerokuAPIError, match=r"HTTP 200 the answer is not JSON \(text/html\)"):
        client_for(heroku).get("/apps/weareone")


def test_an_html_error_page(heroku):
    heroku.fail("/apps/weareone", Fault(502, "<html><body>Bad gateway</body></html>", times=None))
    with pytest.raises(HerokuAPIError, match=r"HTTP 502 an error page that is not Heroku's JSON \(text/html\)"):
        client_for(heroku, retries=0).get("/apps/weareone")


def test_the_deadline_bounds_retry_after(heroku):
    heroku.fail(
        "/apps/weareone", Fault(429, {"id": "rate_limit", "message": "Wait."}, {"Retry-After": "60"}, times=None)
    )
    started = time.monotonic()
    with pytest.raises(HerokuAPIError):
        client_for(heroku, deadline=time.monotonic() + 0.5).get("/apps/weareone")
    assert time.monotonic() - started < 2


def test_the_token_appears_in_no_repr_error_or_log(heroku, caplog):
    caplog.set_level(logging.DEBUG)
    client = client_for(heroku, retries=1)
    heroku.fail("/apps/weareone", Fault(500, {"id": "boom", "message": "Boom."}, times=None))
    with pytest.raises(HerokuAPIError) as caught:
        client.get("/apps/weareone")
    for text in (repr(client), str(caught.value), repr(caught.value), caplog.text):
        assert TOKEN not in text


# Each request starts from a copy of one prepared once per client (deploycheck.core.json_client.RunSession):
# what reaches Heroku is what requests' own Session.request sends, cookies, .netrc and redirects included.


def test_a_request_prepared_once_is_the_one_requests_would_send(heroku):
    client = client_for(heroku)
    client.get("/apps/weareone")
    client.session.request(
        "GET", f"{heroku.url}/apps/weareone", headers={"Range": "id ..; max=1000"}, timeout=(1, 1), stream=True
    ).close()
    (fast, _answer), (requests_own, _same) = heroku.server.log[-2:]
    assert (fast.method, fast.full_path) == (requests_own.method, requests_own.full_path)
    assert list(fast.headers.items()) == list(requests_own.headers.items())


def test_a_cookie_an_answer_sets_goes_with_the_next_requests(heroku):
    heroku.fail("/apps/weareone", Fault(200, {"name": "weareone"}, {"Set-Cookie": "route=eu; Path=/"}))
    client = client_for(heroku)
    client.get("/apps/weareone")
    client.get("/apps/weareone/formation")
    request, _response = heroku.server.log[-1]
    assert request.headers["Cookie"] == "route=eu"


def test_credentials_in_a_netrc_for_the_host_are_sent_as_requests_sends_them(heroku, tmp_path, monkeypatch):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone@example.com password other-token\n")
    monkeypatch.setenv("NETRC", str(netrc))
    with pytest.raises(HerokuAPIError, match="HTTP 401"):  # the fake knows the token only
        client_for(heroku).get("/apps/weareone")
    request, _response = heroku.server.log[-1]
    assert request.headers["Authorization"] == "Basic c29tZW9uZUBleGFtcGxlLmNvbTpvdGhlci10b2tlbg=="


def test_a_redirect_is_followed(heroku):
    heroku.fail("/apps/old-name", Fault(308, {}, {"Location": f"{heroku.url}/apps/weareone"}))
    assert client_for(heroku).get("/apps/old-name")["name"] == "weareone"
    assert heroku.count()["/apps/weareone"] == 1
