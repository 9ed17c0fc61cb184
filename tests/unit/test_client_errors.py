"""Narrow error-path tests of the portal client, with httpx.MockTransport.

Everything that works is tested against the real portal in tests/integration; here we make
the portal answer what a real one rarely does on demand (429, 5xx, garbage, cut connections,
certificate failures) and check the typed error a person will be shown.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from labdesk.api import errors
from labdesk.api.client import PortalClient
from labdesk.api.schemas import ActionRequest, CasePatch, wire_body
from labdesk.api.tokens import TokenStore
from labdesk.domain.lifecycle import Action
from tests.integration.sync_helpers import make_case

URL = "http://portal.test"
Handler = Callable[[httpx.Request], httpx.Response]


def client_for(handler: Handler, *, signed_in: bool = True, **kw: Any) -> PortalClient:
    store = TokenStore()
    if signed_in:
        store.save(URL, "reviewer", "secret-token")
    kw.setdefault("backoff", 0.001)
    return PortalClient(
        URL, store, username="reviewer", transport=httpx.MockTransport(handler), **kw
    )


def error(status: int, code: str, message: str = "", **details: Any) -> httpx.Response:
    body = {"error": {"code": code, "message": message or code, "details": details}}
    return httpx.Response(status, json=body)


def test_login_stores_the_token_and_sends_it_afterwards() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/api/v1/auth/login":
            assert json.loads(request.content) == {"username": "ceramist", "password": "demo"}
            user = {
                "id": 3,
                "username": "ceramist",
                "display_name": "Cera Mist",
                "roles": ["ceramist"],
                "organization": {"id": 1, "name": "Lab", "kind": "lab"},
            }
            return httpx.Response(
                200, json={"token": "t0k", "expires_at": "2030-01-01T00:00:00Z", "user": user}
            )
        raise AssertionError(f"unexpected {request.url}")

    store = TokenStore()
    client = PortalClient(URL, store, transport=httpx.MockTransport(handler))
    assert not client.signed_in
    result = client.login("ceramist", "demo")
    assert result.user.username == "ceramist"
    assert store.get(URL, "ceramist") == "t0k"
    assert client.username == "ceramist"
    assert "authorization" not in seen[0].headers


def test_wrong_password_is_login_failed_and_never_retried() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return error(401, "invalid_credentials", "Wrong username or password.")

    client = client_for(handler, signed_in=False)
    with pytest.raises(errors.LoginFailed, match="Wrong username or password"):
        client.login("reviewer", "nope")
    assert calls == 1


def test_lockout_is_too_many_attempts() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        response = error(429, "too_many_attempts", "Locked for 15 minutes.")
        response.headers["Retry-After"] = "900"
        return response

    with pytest.raises(errors.TooManyAttempts) as caught:
        client_for(handler, signed_in=False).login("reviewer", "demo")
    assert caught.value.retry_after == 900


def test_login_is_not_retried_when_the_connection_drops() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        raise httpx.RemoteProtocolError("Server disconnected", request=request)

    with pytest.raises(errors.Offline):
        client_for(handler, signed_in=False).login("reviewer", "demo")
    assert calls == 1


def test_expired_token_is_auth_expired_and_forgotten() -> None:
    client = client_for(lambda r: error(401, "token_expired", "Your sign-in has expired."))
    with pytest.raises(errors.AuthExpired):
        client.me()
    assert client.token_store.get(URL, "reviewer") is None
    with pytest.raises(errors.AuthExpired):  # no request without a token
        client.list_cases(0)


def test_not_signed_in_raises_without_a_request() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request expected")

    with pytest.raises(errors.AuthExpired, match="not signed in"):
        client_for(handler, signed_in=False).me()


@pytest.mark.parametrize(
    ("status", "code", "kind"),
    [
        (403, "forbidden", errors.Forbidden),
        (404, "not_found", errors.NotFound),
        (409, "transition_not_allowed", errors.Conflict),
        (500, "internal", errors.ServerError),
        (418, "teapot", errors.ServerError),
    ],
)
def test_status_mapping(status: int, code: str, kind: type[errors.PortalError]) -> None:
    client = client_for(lambda r: error(status, code, "Words for a person."))
    with pytest.raises(kind, match="Words for a person") as caught:
        client.get_case(7)
    assert caught.value.code == code
    assert caught.value.status == status


def test_stale_version_carries_the_current_case() -> None:
    current = make_case(7, version=5, status="design")

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["If-Match"] == "4"
        assert request.headers["Idempotency-Key"] == "key-1"
        return error(412, "stale_version", current=current.model_dump(mode="json"))

    client = client_for(handler)
    with pytest.raises(errors.StaleVersion) as caught:
        client.act(7, ActionRequest(action=Action.ACCEPT), version=4, idempotency_key="key-1")
    assert caught.value.current == current


def test_stale_version_without_body_fetches_the_current_case() -> None:
    current = make_case(7, version=6)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, json=current.model_dump(mode="json"))
        return error(412, "stale_version")

    client = client_for(handler)
    with pytest.raises(errors.StaleVersion) as caught:
        client.patch_case(7, CasePatch(memo="x"), version=5)
    assert caught.value.current.version == 6


def test_invalid_carries_field_messages() -> None:
    def ours(request: httpx.Request) -> httpx.Response:
        return error(422, "missing_fields", "Say why.", fields={"reason_code": "Required."})

    with pytest.raises(errors.Invalid) as caught:
        client_for(ours).act(1, ActionRequest(action="reject"), version=1, idempotency_key="k")
    assert caught.value.fields == {"reason_code": "Required."}

    def fastapi_style(request: httpx.Request) -> httpx.Response:
        detail = [{"loc": ["body", "tracking_number"], "msg": "Field required"}]
        return httpx.Response(422, json={"detail": detail})

    with pytest.raises(errors.Invalid) as caught:
        client_for(fastapi_style).act(
            1, ActionRequest(action="ship"), version=1, idempotency_key="k"
        )
    assert caught.value.fields == {"tracking_number": "Field required"}


def test_unreadable_answer_is_a_server_error() -> None:
    client = client_for(lambda r: httpx.Response(200, text="<html>proxy login</html>"))
    with pytest.raises(errors.ServerError, match="cannot read"):
        client.list_cases(0)
    client = client_for(lambda r: httpx.Response(200, json={"cases": "nope"}))
    with pytest.raises(errors.ServerError):
        client.list_cases(0)


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ConnectError("Connection refused"),
        httpx.ConnectTimeout("timed out"),
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.ReadError("reset"),
    ],
)
def test_network_problems_are_offline(exc: Exception) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    with pytest.raises(errors.Offline, match=r"portal\.test"):
        client_for(handler, retries=0).me()


def test_certificate_failure_says_so_and_is_not_retried() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        cause = ssl.SSLCertVerificationError(1, "certificate verify failed: self-signed")
        raise httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED]") from cause

    with pytest.raises(errors.CertificateError, match="certificate"):
        client_for(handler).me()
    assert calls == 1


def test_unreadable_ca_bundle_is_a_certificate_error(tmp_path: Path) -> None:
    with pytest.raises(errors.CertificateError, match="cannot be read"):
        PortalClient(URL, TokenStore(), verify=str(tmp_path / "missing.pem"))


def test_get_is_retried_then_succeeds() -> None:
    calls = 0
    page = {"cases": [], "next_since": 0, "has_more": False}

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise httpx.ConnectError("refused")
        if calls == 2:
            return error(503, "unavailable")
        return httpx.Response(200, json=page)

    assert client_for(handler).list_cases(0).has_more is False
    assert calls == 3


def test_action_is_retried_with_the_same_key_and_body() -> None:
    seen: list[tuple[str, str, bytes]] = []
    result = make_case(1, version=2, status="design")

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(
            (request.headers["Idempotency-Key"], request.headers["If-Match"], request.content)
        )
        if len(seen) == 1:
            raise httpx.RemoteProtocolError("Server disconnected", request=request)
        return httpx.Response(200, json=result.model_dump(mode="json"))

    request = ActionRequest(action=Action.ACCEPT)
    case = client_for(handler).act(1, request, version=1, idempotency_key="same-key")
    assert case.version == 2
    assert len(seen) == 2
    assert seen[0] == seen[1] == ("same-key", "1", wire_body(request).encode())


def test_patch_and_upload_are_never_retried(tmp_path: Path) -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        raise httpx.ReadError("reset", request=request)

    client = client_for(handler)
    with pytest.raises(errors.Offline):
        client.patch_case(1, CasePatch(memo="m"), version=1)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff")
    with pytest.raises(errors.Offline):
        client.upload_attachment(1, photo)
    assert calls == 2


def test_upload_sends_multipart_file(tmp_path: Path) -> None:
    photo = tmp_path / "shade photo.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\nfake")

    def handler(request: httpx.Request) -> httpx.Response:
        assert b'name="file"; filename="shade photo.png"' in request.content
        assert b"Content-Type: image/png" in request.content
        meta = {
            "id": 9,
            "case_id": 1,
            "kind": "attachment",
            "filename": "shade photo.png",
            "media_type": "image/png",
            "size": 12,
            "sha256": "0" * 64,
            "uploaded_at": "2026-03-02T09:00:00Z",
            "uploaded_by": "reviewer",
        }
        return httpx.Response(201, json=meta)

    assert client_for(handler).upload_attachment(1, photo).id == 9


def test_wire_body_sends_only_what_was_set() -> None:
    request = ActionRequest(action=Action.REJECT, reason_code="unclear_margin", note="see 21")
    body = json.loads(wire_body(request).encode())
    assert body == {"action": "reject", "reason_code": "unclear_margin", "note": "see 21"}
    again = ActionRequest.model_validate_json(wire_body(request).encode())
    assert wire_body(again).encode() == wire_body(request).encode()
