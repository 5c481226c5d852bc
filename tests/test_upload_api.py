"""upload-api's verdict: the reference scores 100 in every tier, the starter
0, each alternative 100, and a solution broken in one item loses that item only. The broken
variants are the bugs the kata is about: a client's name in the stored name, a whole file read
at once, a partial file left behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import (
    KataContract,
    Patch,
    assert_full_marks,
    earned,
)

from grader.scaffold import start_workspace, write_solution

KATA = "upload-api"
AUTO_ITEMS = ["must.upload", "must.download", "must.types", "must.size", "must.safe_names",
              "bonus.multiple", "bonus.persistence", "extra.streaming", "extra.cleanup"]
MAIN, INTAKE, STORE = "app/main.py", "app/intake.py", "app/store.py"

BROKEN: dict[str, list[Patch]] = {
    "must.upload": [(INTAKE, "digest, size = hashlib.sha256(), 0",
                     "digest, size = hashlib.sha1(), 0")],
    "must.download": [(MAIN, 'FileResponse(path, media_type=metadata["content_type"])',
                       "FileResponse(path)")],
    "must.types": [(INTAKE, "    if extension not in EXTENSIONS[kind]:", "    if False:")],
    "must.size": [(INTAKE, "if size > limit:", "if size >= limit:")],
    # The near miss: a fresh prefix keeps names apart, but the client's name is still a path.
    "must.safe_names": [
        (STORE, "file_id = uuid.uuid4().hex",
         'file_id = f"{uuid.uuid4().hex}-{os.path.basename(filename or \'\')}"')],
    "bonus.multiple": [(MAIN, "if kept == len(outcomes):", "if kept:")],
    "bonus.persistence": [
        (STORE, "self.files, self.metadata = files, metadata",
         "self.files, self.metadata, self.kept = files, metadata, {}"),
        (STORE, '''        draft = self.metadata / f"{file_id}.json.part"
        draft.write_text(json.dumps(metadata))
        os.replace(draft, self.metadata / f"{file_id}.json")''',
         "        self.kept[file_id] = metadata"),
        (STORE, '''        record = self.metadata / f"{file_id}.json"
        if not record.is_file():
            return None
        return self.files / file_id, json.loads(record.read_text())''',
         '''        if file_id not in self.kept:
            return None
        return self.files / file_id, self.kept[file_id]''')],
    "extra.streaming": [(INTAKE, "CHUNK = 64 * 1024", "CHUNK = 64 * 1024 * 1024")],
    "extra.cleanup": [(INTAKE, "        path.unlink(missing_ok=True)\n", "")],
}


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    return write_solution(KATA, tmp_path / "reference").path


def test_reference_scores_full_marks_in_every_tier(grade, reference):
    """One seed: `kata selftest upload-api` grades it under more."""
    card = grade(reference, seed=20261202)
    assert_full_marks(card)
    assert [(t.id, t.score, t.max) for t in card.tiers] == \
        [("must", 60, 60), ("bonus", 20, 20), ("extra", 20, 20)]
    assert card.database == "none"


def test_starter_scores_nothing(grade, tmp_path):
    card = grade(start_workspace(KATA, tmp_path / "starter").path, seed=4)
    assert earned(card) == dict.fromkeys(AUTO_ITEMS, 0.0)
    assert "501" in next(i.reason for i in card.items if i.id == "must.upload")


class TestContract(KataContract):
    kata, broken = KATA, BROKEN
    alternative_seed, broken_seed = 8, 6
