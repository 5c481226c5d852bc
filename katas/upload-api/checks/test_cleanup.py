"""extra.cleanup: a refused file leaves nothing behind, not even the part of it read before the
refusal: once the app has kept one file, refusals add no file anywhere in the run's folder."""

from uploads import Upload, entries, kept, png, post_files, run_folder, text, word

from grader.kata_api import show


def test_refused_files_leave_nothing_behind(api, candidate, rng, limit):
    kept(api, Upload(f"{word(rng)}.png", png(rng, 500)))  # whatever the app makes once is made
    run = run_folder(candidate)
    before = set(candidate.list_files(run))
    sent = [(Upload(f"{word(rng)}.png", png(rng, limit + rng.randrange(1, 300_000))), 413),
            (Upload(f"{word(rng)}.png", text(rng), claimed="image/png"), 415),
            (Upload(f"{word(rng)}.png", b""), 400)]
    for upload, status in sent:
        response = post_files(api, [upload])
        assert response.status_code == status, (
            f"{upload.name!r} ({len(upload.body)} bytes): expected {status}, got "
            f"{show(response)}")
        assert [entry["status"] for entry in entries(response, 1)] == [status]
    left = sorted(str(path) for path in set(candidate.list_files(run)) - before)
    assert not left, f"refused files left {left} behind"
