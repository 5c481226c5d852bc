"""bonus.persistence: what was kept reads back after the app restarts, and new files are kept."""

from uploads import Upload, kept, png, read_back, word

from grader.kata_api import show


def test_kept_files_survive_a_restart(api, candidate, rng, settings):
    uploads = [Upload(f"{word(rng)}.png", png(rng, rng.randrange(100, 30_000)))
               for _ in range(2)]
    ids = [kept(api, upload)["id"] for upload in uploads]
    candidate.restart_app(settings.env)
    for file_id, upload in zip(ids, uploads, strict=True):
        response = api.get(f"/files/{file_id}")
        assert response.status_code == 200, (
            f"after a restart GET /files/{file_id} answered {show(response)}: kept files "
            "live in memory only")
        assert response.content == upload.body, (
            f"after a restart GET /files/{file_id} gives other bytes than were sent")
    assert read_back(api, kept(api, uploads[0])["id"]).content == uploads[0].body, (
        "after a restart, a new upload does not read back")
