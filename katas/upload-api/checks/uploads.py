"""What the checks send and how they read the answers: multipart bodies built by hand (so a
file name may hold what a browser would never send, a NUL or a path), files whose first bytes
make them PNG, JPEG or PDF, and the statement's answer shape, checked with readable messages."""

from __future__ import annotations

import hashlib
import random
import secrets
from dataclasses import dataclass
from pathlib import Path

import httpx

from grader.kata_api import ApiClient, CandidateRun, json_of, show

SIGNATURES = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff\xe0",
              "application/pdf": b"%PDF-1.7\n"}
WORDS = ("river", "orchard", "lantern", "harbour", "meadow", "copper", "violet", "summit",
         "quarry", "willow", "ember", "tundra")


@dataclass(frozen=True)
class Settings:
    limit: int  # $MAX_UPLOAD_BYTES of this run

    @property
    def env(self) -> dict[str, str]:
        return {"MAX_UPLOAD_BYTES": str(self.limit)}


@dataclass(frozen=True)
class Upload:
    name: str
    body: bytes
    claimed: str = "application/octet-stream"  # the part's Content-Type: the client's word

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


def of_type(kind: str, rng: random.Random, size: int) -> bytes:
    """`size` bytes that begin as a file of `kind` does, the rest random."""
    head = SIGNATURES[kind]
    return head + rng.randbytes(size - len(head))


def png(rng: random.Random, size: int) -> bytes:
    return of_type("image/png", rng, size)


def text(rng: random.Random) -> bytes:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randrange(20, 200))).encode()


def word(rng: random.Random) -> str:
    return f"{rng.choice(WORDS)}-{rng.randrange(10_000)}"


def post_files(api: ApiClient, uploads: list[Upload]) -> httpx.Response:
    """POST /files with each upload as a part named `files`, its file name sent byte for byte
    (UTF-8) as the Content-Disposition's filename."""
    boundary = secrets.token_hex(16).encode()
    parts = [b"--" + boundary + b'\r\nContent-Disposition: form-data; name="files"; filename="'
             + upload.name.encode() + b'"\r\nContent-Type: ' + upload.claimed.encode()
             + b"\r\n\r\n" + upload.body + b"\r\n" for upload in uploads]
    return api.post("/files", content=b"".join(parts) + b"--" + boundary + b"--\r\n",
                    headers={"content-type": "multipart/form-data; boundary="
                             + boundary.decode()})


def entries(response: httpx.Response, count: int) -> list[dict]:
    """The answer's `files`: one entry per file sent, each with its status."""
    body = json_of(response, "POST /files")
    found = body.get("files") if isinstance(body, dict) else None
    assert isinstance(found, list) and len(found) == count, (
        f"POST /files with {count} file(s) answered {show(response)}: expected "
        f'{{"files": [...]}} with one entry per file, in order')
    assert all(isinstance(entry, dict) and isinstance(entry.get("status"), int)
               for entry in found), f"an entry of POST /files has no status: {found}"
    return found


def kept(api: ApiClient, upload: Upload) -> dict:
    """Send one file the app must keep; its entry."""
    response = post_files(api, [upload])
    assert response.status_code == 201, (
        f"POST /files with a {len(upload.body)}-byte {upload.name!r}: expected 201, "
        f"got {show(response)}")
    [entry] = entries(response, 1)
    assert isinstance(entry.get("id"), str) and entry["id"], f"no id in {entry}"
    return entry


def refused(api: ApiClient, upload: Upload, status: int) -> dict:
    """Send one file the app must refuse with `status`; its entry."""
    response = post_files(api, [upload])
    what = f"POST /files with a {len(upload.body)}-byte {upload.name!r}"
    assert response.status_code == status, f"{what}: expected {status}, got {show(response)}"
    [entry] = entries(response, 1)
    assert entry["status"] == status and "id" not in entry, (
        f"{what}: the entry should say {status} and hold no id: {entry}")
    return entry


def media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip()


def read_back(api: ApiClient, file_id: str) -> httpx.Response:
    response = api.get(f"/files/{file_id}")
    assert response.status_code == 200, f"GET /files/{file_id}: expected 200, got {show(response)}"
    return response


def run_folder(candidate: CandidateRun) -> Path:
    """The run's folder: the upload folder and the data folder are in it, and nothing the app
    writes belongs anywhere else in it."""
    return candidate.folders["uploads"].parent.parent
