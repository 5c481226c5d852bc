"""must.download: GET /files/{id} gives back the bytes kept, with their type; 404 otherwise."""

import secrets
import uuid

from uploads import Upload, kept, media_type, png, read_back, word

from grader.kata_api import show


def test_a_kept_file_reads_back_byte_for_byte_with_its_type(api, rng):
    upload = Upload(f"{word(rng)}.png", png(rng, rng.randrange(1_000, 300_000)))
    entry = kept(api, upload)
    response = read_back(api, entry["id"])
    assert response.content == upload.body, (
        f"GET /files/{entry['id']} gave {len(response.content)} bytes, not the "
        f"{len(upload.body)} sent")
    assert media_type(response) == "image/png", (
        f"GET /files/{entry['id']}: Content-Type {response.headers.get('content-type')!r}, "
        "expected image/png")


def test_an_unknown_id_is_404(api):
    for unknown in (uuid.uuid4().hex, secrets.token_urlsafe(12), "1"):
        response = api.get(f"/files/{unknown}")
        assert response.status_code == 404, (
            f"GET /files/{unknown} (never given): expected 404, got {show(response)}")
