"""Downloads: streamed to disk, resumed with Range after a cut, verified by sha256."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from labdesk.api import errors
from labdesk.api.client import PortalClient
from labdesk.api.tokens import TokenStore

URL = "http://portal.test"
CONTENT = bytes(range(256)) * 4096  # 1 MiB
SHA = hashlib.sha256(CONTENT).hexdigest()


class BrokenStream(httpx.SyncByteStream):
    """Yields ``upto`` bytes, then the connection drops."""

    def __init__(self, data: bytes, upto: int) -> None:
        self.data, self.upto = data, upto

    def __iter__(self) -> Iterator[bytes]:
        for start in range(0, self.upto, 64 * 1024):
            yield self.data[start : min(start + 64 * 1024, self.upto)]
        raise httpx.RemoteProtocolError("peer closed connection without sending complete body")


class FileServer:
    def __init__(self, data: bytes, *, cut_first_at: int | None = None, honour_range=True):
        self.data = data
        self.cut_first_at = cut_first_at
        self.honour_range = honour_range
        self.ranges: list[str | None] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == "Bearer tok"
        header = request.headers.get("Range")
        self.ranges.append(header)
        start = int(header.split("=")[1].rstrip("-")) if header and self.honour_range else 0
        body = self.data[start:]
        headers = {"ETag": f'"{hashlib.sha256(self.data).hexdigest()}"'}
        status = 200
        if start:
            status = 206
            headers["Content-Range"] = f"bytes {start}-{len(self.data) - 1}/{len(self.data)}"
        headers["Content-Length"] = str(len(body))
        if self.cut_first_at is not None:
            cut, self.cut_first_at = self.cut_first_at, None
            return httpx.Response(status, headers=headers, stream=BrokenStream(body, cut))
        return httpx.Response(status, headers=headers, content=body)


def client(server: FileServer) -> PortalClient:
    store = TokenStore()
    store.save(URL, "u", "tok")
    return PortalClient(
        URL, store, username="u", transport=httpx.MockTransport(server), backoff=0.001
    )


def test_interrupted_download_resumes_with_range(tmp_path: Path) -> None:
    server = FileServer(CONTENT, cut_first_at=len(CONTENT) // 2)
    progress: list[tuple[int, int]] = []
    dest = client(server).download_file(
        5,
        tmp_path / "f.part",
        expected_sha256=SHA,
        progress=lambda done, total: progress.append((done, total)),
    )
    assert dest.read_bytes() == CONTENT
    assert server.ranges == [None, f"bytes={len(CONTENT) // 2}-"]
    assert progress[-1] == (len(CONTENT), len(CONTENT))


def test_resume_from_a_partial_file_left_by_an_earlier_run(tmp_path: Path) -> None:
    partial = tmp_path / "f.part"
    partial.write_bytes(CONTENT[:1000])
    server = FileServer(CONTENT)
    client(server).download_file(5, partial, expected_sha256=SHA, offset=1000)
    assert partial.read_bytes() == CONTENT
    assert server.ranges == ["bytes=1000-"]


def test_server_ignoring_range_restarts_from_zero(tmp_path: Path) -> None:
    partial = tmp_path / "f.part"
    partial.write_bytes(b"x" * 5000)
    server = FileServer(CONTENT, honour_range=False)
    client(server).download_file(5, partial, expected_sha256=SHA, offset=5000)
    assert partial.read_bytes() == CONTENT


def test_checksum_mismatch_deletes_the_file(tmp_path: Path) -> None:
    server = FileServer(CONTENT[:-1] + b"!")
    with pytest.raises(errors.ChecksumMismatch, match="damaged"):
        client(server).download_file(5, tmp_path / "f.part", expected_sha256=SHA)
    assert not (tmp_path / "f.part").exists()


def test_gives_up_when_the_connection_keeps_dropping_without_progress(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    store = TokenStore()
    store.save(URL, "u", "tok")
    portal = PortalClient(
        URL, store, username="u", transport=httpx.MockTransport(handler), backoff=0.001
    )
    with pytest.raises(errors.Offline):
        portal.download_file(5, tmp_path / "f.part", expected_sha256=SHA)


def test_missing_file_is_not_found(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"error": {"code": "not_found", "message": "No file."}})

    store = TokenStore()
    store.save(URL, "u", "tok")
    portal = PortalClient(URL, store, username="u", transport=httpx.MockTransport(handler))
    with pytest.raises(errors.NotFound, match="No file"):
        portal.download_file(5, tmp_path / "f.part", expected_sha256=SHA)
