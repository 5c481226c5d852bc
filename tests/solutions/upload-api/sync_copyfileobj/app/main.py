"""A synchronous upload API: shutil.copyfileobj through a reader that counts, hashes and stops
at the limit; content-addressed ids (the sha256), metadata in a JSON file beside the bytes."""

import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from fastapi import FastAPI, HTTPException, UploadFile
from fastapi.responses import FileResponse, JSONResponse

UPLOAD_DIR = Path(os.environ.get("UPLOAD_DIR", "uploads"))
DATA_DIR = Path(os.environ.get("DATA_DIR", "data"))
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", 5 * 1024 * 1024))

MAGIC = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff",
         "application/pdf": b"%PDF-"}
SUFFIXES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
            ".pdf": "application/pdf"}
HEX = re.compile(r"^[0-9a-f]{64}$")

app = FastAPI(title="Upload API")
UPLOAD_DIR.mkdir(parents=True, exist_ok=True)


class TooLarge(Exception):
    pass


class Bounded:
    """A file-like view of the upload that refuses to give more than `limit` bytes."""

    def __init__(self, source, limit: int) -> None:
        self.source, self.limit, self.count = source, limit, 0
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(min(size, 1 << 20) if size > 0 else 1 << 20)
        self.count += len(data)
        if self.count > self.limit:
            raise TooLarge
        self.digest.update(data)
        return data


def refusal(upload: UploadFile, status: int, error: str) -> dict:
    return {"name": upload.filename, "status": status, "error": error}


def store(upload: UploadFile) -> dict:
    head = upload.file.read(16)
    upload.file.seek(0)
    if not head:
        return refusal(upload, 400, "the file is empty")
    kind = next((kind for kind, magic in MAGIC.items() if head.startswith(magic)), None)
    if kind is None:
        return refusal(upload, 415, "the content is not PNG, JPEG or PDF")
    suffix = os.path.splitext(upload.filename or "")[1].lower()
    if SUFFIXES.get(suffix) != kind:
        return refusal(upload, 415, f"{suffix or 'no extension'} is not an extension of {kind}")
    reader = Bounded(upload.file, MAX_UPLOAD_BYTES)
    with tempfile.NamedTemporaryFile(dir=UPLOAD_DIR, delete=False) as out:
        try:
            shutil.copyfileobj(reader, out)
        except TooLarge:
            out.close()
            os.unlink(out.name)
            return refusal(upload, 413, f"larger than {MAX_UPLOAD_BYTES} bytes")
    file_id = reader.digest.hexdigest()
    os.replace(out.name, UPLOAD_DIR / file_id)
    meta = {"id": file_id, "name": upload.filename, "size": reader.count, "sha256": file_id,
            "content_type": kind}
    (UPLOAD_DIR / f"{file_id}.json").write_text(json.dumps(meta))
    return {**meta, "status": 201}


@app.post("/files")
def upload_files(files: list[UploadFile]) -> JSONResponse:
    results = [store(upload) for upload in files]
    kept = [result for result in results if result["status"] == 201]
    status = 201 if len(kept) == len(results) else 207 if kept else results[0]["status"]
    return JSONResponse({"files": results}, status_code=status)


@app.get("/files/{file_id}")
def download_file(file_id: str) -> FileResponse:
    meta = UPLOAD_DIR / f"{file_id}.json"
    if not HEX.match(file_id) or not meta.exists():
        raise HTTPException(404, "no such file")
    return FileResponse(UPLOAD_DIR / file_id, media_type=json.loads(meta.read_text())[
        "content_type"])
