"""Upload API: the skeleton. Both routes answer 501 until you build them (see STATEMENT.md)."""

import os
from pathlib import Path

from fastapi import FastAPI, HTTPException, UploadFile, status

UPLOAD_DIR = Path(os.environ.get("UPLOAD_DIR", "uploads"))
DATA_DIR = Path(os.environ.get("DATA_DIR", "data"))
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", 5 * 1024 * 1024))

app = FastAPI(title="Upload API")


def _todo() -> HTTPException:
    return HTTPException(status.HTTP_501_NOT_IMPLEMENTED, "not implemented yet")


@app.post("/files")
def upload_files(files: list[UploadFile]) -> dict:
    raise _todo()


@app.get("/files/{file_id}")
def download_file(file_id: str) -> bytes:
    raise _todo()
