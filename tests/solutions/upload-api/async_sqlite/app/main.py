"""An async upload API: each file streamed to disk with anyio's async files, its metadata in
SQLite under $DATA_DIR, ids from secrets.token_urlsafe, stored as `<id><extension>`."""

import hashlib
import os
import secrets
import sqlite3
from pathlib import Path, PurePath

import anyio
from fastapi import FastAPI, HTTPException, UploadFile
from fastapi.responses import FileResponse, JSONResponse

UPLOAD_DIR = Path(os.environ.get("UPLOAD_DIR", "uploads"))
DATA_DIR = Path(os.environ.get("DATA_DIR", "data"))
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", 5 * 1024 * 1024))

KINDS = [  # (signature, type, the extensions it may have)
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
    (b"%PDF-", "application/pdf", (".pdf",)),
]

app = FastAPI(title="Upload API")
UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
DATA_DIR.mkdir(parents=True, exist_ok=True)
db = sqlite3.connect(DATA_DIR / "files.db", check_same_thread=False, isolation_level=None)
db.execute("CREATE TABLE IF NOT EXISTS files (id TEXT PRIMARY KEY, name TEXT, size INTEGER,"
           " sha256 TEXT, content_type TEXT, stored TEXT)")


class Refusal(Exception):
    def __init__(self, status: int, error: str) -> None:
        self.status, self.error = status, error


def kind_of(head: bytes, name: str) -> tuple[str, str]:
    for signature, kind, extensions in KINDS:
        if head.startswith(signature):
            suffix = PurePath(name.replace("\x00", "")).suffix.lower()
            if suffix not in extensions:
                raise Refusal(415, f"{kind} files are named {', '.join(extensions)}")
            return kind, suffix
    raise Refusal(415, "not a PNG, JPEG or PDF file")


async def save(upload: UploadFile) -> dict:
    first = await upload.read(1 << 16)
    if len(first) == 0:
        raise Refusal(400, "empty file")
    kind, suffix = kind_of(first, upload.filename or "")
    file_id = secrets.token_urlsafe(12)
    target = UPLOAD_DIR / (file_id + suffix)
    digest, size = hashlib.sha256(), 0
    try:
        async with await anyio.open_file(target, "wb") as out:
            chunk = first
            while chunk:
                size += len(chunk)
                if size > MAX_UPLOAD_BYTES:
                    raise Refusal(413, f"over {MAX_UPLOAD_BYTES} bytes")
                digest.update(chunk)
                await out.write(chunk)
                chunk = await upload.read(1 << 16)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    row = (file_id, upload.filename, size, digest.hexdigest(), kind, target.name)
    db.execute("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?)", row)
    return {"id": file_id, "name": upload.filename, "size": size, "sha256": row[3],
            "content_type": kind, "status": 201}


@app.post("/files")
async def upload_files(files: list[UploadFile]) -> JSONResponse:
    entries = []
    for upload in files:
        try:
            entries.append(await save(upload))
        except Refusal as refusal:
            entries.append({"name": upload.filename, "status": refusal.status,
                            "error": refusal.error})
    statuses = {entry["status"] for entry in entries}
    if statuses == {201}:
        code = 201
    elif 201 in statuses:
        code = 207
    else:
        code = entries[0]["status"]
    return JSONResponse({"files": entries}, status_code=code)


@app.get("/files/{file_id}")
async def download_file(file_id: str) -> FileResponse:
    row = db.execute("SELECT stored, content_type FROM files WHERE id = ?", (file_id,)).fetchone()
    if row is None:
        raise HTTPException(404, "unknown file")
    return FileResponse(UPLOAD_DIR / row[0], media_type=row[1])
