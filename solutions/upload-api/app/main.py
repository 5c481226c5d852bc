"""Upload API: files in by multipart, checked by their bytes, kept under names of our own."""

import os
from pathlib import Path

from fastapi import FastAPI, HTTPException, UploadFile, status
from fastapi.responses import FileResponse, JSONResponse

from app.intake import Refused, receive
from app.store import FileStore

UPLOAD_DIR = Path(os.environ.get("UPLOAD_DIR", "uploads"))
DATA_DIR = Path(os.environ.get("DATA_DIR", "data"))
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", 5 * 1024 * 1024))

app = FastAPI(title="Upload API")
store = FileStore(UPLOAD_DIR, DATA_DIR)


def _outcome(upload: UploadFile) -> dict:
    """One file's entry of the answer: its metadata once kept, else why it was refused."""
    try:
        received = receive(upload, UPLOAD_DIR, MAX_UPLOAD_BYTES)
    except Refused as refusal:
        return {"name": upload.filename, "status": refusal.status, "error": refusal.detail}
    return {**store.keep(received, upload.filename), "status": status.HTTP_201_CREATED}


def _overall(outcomes: list[dict]) -> int:
    """201 when every file was kept, 207 when some were, else the first file's refusal."""
    kept = sum(outcome["status"] == status.HTTP_201_CREATED for outcome in outcomes)
    if kept == len(outcomes):
        return status.HTTP_201_CREATED
    return status.HTTP_207_MULTI_STATUS if kept else outcomes[0]["status"]


@app.post("/files")
def upload_files(files: list[UploadFile]) -> JSONResponse:
    outcomes = [_outcome(upload) for upload in files]
    return JSONResponse({"files": outcomes}, status_code=_overall(outcomes))


@app.get("/files/{file_id}")
def download_file(file_id: str) -> FileResponse:
    found = store.find(file_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no file with id {file_id}")
    path, metadata = found
    return FileResponse(path, media_type=metadata["content_type"])
