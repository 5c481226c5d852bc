"""Reading one uploaded file: its type from its first bytes, its size as it streams, never more
than one chunk of it in memory. What is refused leaves no file behind."""

import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from fastapi import UploadFile, status

CHUNK = 64 * 1024
SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"%PDF-": "application/pdf",
}
EXTENSIONS = {
    "image/png": {".png"},
    "image/jpeg": {".jpg", ".jpeg"},
    "application/pdf": {".pdf"},
}


class Refused(Exception):
    def __init__(self, status_code: int, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status_code, detail


@dataclass(frozen=True)
class Received:
    path: Path  # a file of our own naming in the upload folder, not yet kept
    size: int
    sha256: str
    content_type: str


def sniff(head: bytes) -> str | None:
    """The allowed type these first bytes begin, if any: the client's word is not taken."""
    return next((kind for magic, kind in SIGNATURES.items() if head.startswith(magic)), None)


def _checked_type(head: bytes, filename: str | None) -> str:
    kind = sniff(head)
    if kind is None:
        raise Refused(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
                      "only PNG, JPEG and PDF files are accepted")
    extension = os.path.splitext(filename or "")[1].lower()
    if extension not in EXTENSIONS[kind]:
        raise Refused(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
                      f"a {kind} file must be named {' or '.join(sorted(EXTENSIONS[kind]))}")
    return kind


def receive(upload: UploadFile, folder: Path, limit: int) -> Received:
    """Copy the upload into a new file of `folder`, checking it on the way."""
    head = upload.file.read(CHUNK)
    if not head:
        raise Refused(status.HTTP_400_BAD_REQUEST, "the file is empty")
    kind = _checked_type(head, upload.filename)
    digest, size = hashlib.sha256(), 0
    path = folder / f"{uuid.uuid4().hex}.part"
    try:
        with path.open("xb") as out:
            chunk = head
            while chunk:
                size += len(chunk)
                if size > limit:
                    raise Refused(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
                                  f"the file is larger than {limit} bytes")
                digest.update(chunk)
                out.write(chunk)
                chunk = upload.file.read(CHUNK)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Received(path, size, digest.hexdigest(), kind)
