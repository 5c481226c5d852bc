"""must.safe_names: the client's file name is data, never a path. Names that climb out of the
upload folder, absolute ones, a NUL, a name too long for the file system: each file is kept and
reads back, nothing is written outside the app's two folders, and no name the app writes holds
any of the client's."""

import secrets

from uploads import Upload, kept, png, read_back, run_folder

from grader.kata_api import show


def _hostile_names(candidate, token: str) -> list[str]:
    run = run_folder(candidate)
    return [f"../../{token}-up.png", f"../{token}-up.png", f"{run}/{token}-abs.png",
            f"{candidate.data_dir}/{token}-data.png", f"{token}-nul\x00.png",
            f"..\\..\\{token}-back.png", token + "-long" * 80 + ".png", f"{token}/../x.png"]


def test_hostile_names_never_write_outside_the_upload_folder(api, candidate, rng):
    token = secrets.token_hex(6)
    run = run_folder(candidate)
    before = set(candidate.list_files(run))
    for name in _hostile_names(candidate, token):
        upload = Upload(name, png(rng, rng.randrange(100, 2_000)))
        entry = kept(api, upload)
        assert read_back(api, entry["id"]).content == upload.body, (
            f"the file sent as {name!r} does not read back as sent")
    new = sorted(str(path) for path in set(candidate.list_files(run)) - before)
    outside = [path for path in new if not path.startswith(("folders/uploads/", "data/"))]
    assert not outside, f"files written outside the upload and data folders: {outside}"
    named = [path for path in new if token in path]
    assert not named, f"files named after what the client sent: {named}"


def test_two_files_sent_under_one_name_are_both_kept(api, rng):
    uploads = [Upload("photo.png", png(rng, rng.randrange(100, 3_000))) for _ in range(2)]
    ids = [kept(api, upload)["id"] for upload in uploads]
    for file_id, upload in zip(ids, uploads, strict=True):
        assert read_back(api, file_id).content == upload.body, (
            "the second photo.png overwrote the first: GET /files/{id} of the first gives "
            "other bytes")


def test_paths_that_are_not_ids_answer_404(api):
    for path in ("%2E%2E", "%2E", "%2E%2E%2Fdata"):
        response = api.get(f"/files/{path}")
        assert response.status_code == 404, f"GET /files/{path}: expected 404, got {show(response)}"
