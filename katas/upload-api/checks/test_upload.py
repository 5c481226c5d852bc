"""must.upload: one file is kept and answered with its metadata: id, name, size, sha256, type."""

from uploads import Upload, kept, png, word


def test_a_file_is_kept_with_its_metadata(api, rng):
    upload = Upload(f"{word(rng)} photo é.png", png(rng, rng.randrange(100, 60_000)))
    entry = kept(api, upload)
    want = {"name": upload.name, "size": len(upload.body), "sha256": upload.sha256,
            "content_type": "image/png", "status": 201}
    got = {key: entry.get(key) for key in want}
    assert got == want, f"POST /files answered {got} for {upload.name!r}, expected {want}"


def test_each_file_gets_an_id_of_its_own(api, rng):
    ids = [kept(api, Upload(f"{word(rng)}.png", png(rng, rng.randrange(100, 5_000))))["id"]
           for _ in range(3)]
    assert len(set(ids)) == 3, f"three different files were given the ids {ids}"
