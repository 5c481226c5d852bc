"""Kept files: the bytes in the upload folder under a random id, and beside them in the data
folder a JSON file of their metadata, so both survive a restart."""

import json
import os
import uuid
from pathlib import Path

from app.intake import Received


class FileStore:
    def __init__(self, files: Path, metadata: Path) -> None:
        self.files, self.metadata = files, metadata
        files.mkdir(parents=True, exist_ok=True)
        metadata.mkdir(parents=True, exist_ok=True)

    def keep(self, received: Received, filename: str | None) -> dict:
        """Name the received file by a new id, then record what it is (written whole first,
        then moved into place: a reader never sees half of it)."""
        file_id = uuid.uuid4().hex
        received.path.rename(self.files / file_id)
        metadata = {"id": file_id, "name": filename, "size": received.size,
                    "sha256": received.sha256, "content_type": received.content_type}
        draft = self.metadata / f"{file_id}.json.part"
        draft.write_text(json.dumps(metadata))
        os.replace(draft, self.metadata / f"{file_id}.json")
        return metadata

    def find(self, file_id: str) -> tuple[Path, dict] | None:
        """The file and its metadata; None for an id we never gave. Only the metadata file
        names where the bytes are: `..` is looked up as `...json`, which is no file of ours."""
        record = self.metadata / f"{file_id}.json"
        if not record.is_file():
            return None
        return self.files / file_id, json.loads(record.read_text())
