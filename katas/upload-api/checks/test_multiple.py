"""bonus.multiple: several files in one request each get their own entry, in the order sent; a
refused file never costs the others. 201 when all are kept, 207 when some are, and when none
is, the first file's status."""

from uploads import Upload, entries, png, post_files, read_back, text, word

from grader.kata_api import show


def _goods(rng, count: int) -> list[Upload]:
    return [Upload(f"{word(rng)}.png", png(rng, rng.randrange(100, 40_000)))
            for _ in range(count)]


def _check_kept(api, entry: dict, upload: Upload) -> None:
    """The entry is this file's: its name, kept, and its id reads back its bytes (what else an
    entry says is must.upload's)."""
    got = {key: entry.get(key) for key in ("name", "status")}
    assert got == {"name": upload.name, "status": 201}, (
        f"the entry of {upload.name!r} is {entry}: expected it kept, under its name")
    assert read_back(api, entry["id"]).content == upload.body, f"{upload.name!r} reads back wrong"


def test_several_files_are_all_kept_in_order(api, rng):
    uploads = _goods(rng, rng.randrange(3, 6))
    response = post_files(api, uploads)
    assert response.status_code == 201, f"{len(uploads)} good files: expected 201, got " \
        f"{show(response)}"
    for entry, upload in zip(entries(response, len(uploads)), uploads, strict=True):
        _check_kept(api, entry, upload)


def test_a_refused_file_never_drops_the_others(api, rng, limit):
    sent = [(upload, 201) for upload in _goods(rng, 3)] + [
        (Upload(f"{word(rng)}.png", b""), 400),
        (Upload(f"{word(rng)}.txt", text(rng), claimed="text/plain"), 415),
        (Upload(f"{word(rng)}.png", png(rng, 2 * limit)), 413)]
    rng.shuffle(sent)
    response = post_files(api, [upload for upload, _ in sent])
    assert response.status_code == 207, f"good and refused files together: expected 207, got " \
        f"{show(response)}"
    found = entries(response, len(sent))
    statuses = [entry["status"] for entry in found]
    assert statuses == [status for _, status in sent], (
        f"entries say {statuses}, expected {[status for _, status in sent]} for "
        f"{[upload.name for upload, _ in sent]}")
    for entry, (upload, status) in zip(found, sent, strict=True):
        if status == 201:
            _check_kept(api, entry, upload)


def test_when_no_file_is_kept_the_first_ones_status_answers(api, rng):
    empty, plain = (Upload(f"{word(rng)}.png", b""),
                    Upload(f"{word(rng)}.txt", text(rng), claimed="text/plain"))
    for uploads, status in (([plain, empty], 415), ([empty, plain], 400)):
        response = post_files(api, uploads)
        assert response.status_code == status, (
            f"POST /files with {[u.name for u in uploads]}, all refused: expected {status} "
            f"(the first file's), got {show(response)}")
        assert [entry["status"] for entry in entries(response, 2)] == [
            400 if upload is empty else 415 for upload in uploads]
