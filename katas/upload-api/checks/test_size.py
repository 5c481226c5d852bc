"""must.size: a file of up to $MAX_UPLOAD_BYTES is kept, one byte more answers 413, an empty
file 400."""

from uploads import Upload, kept, png, refused, word


def test_a_file_of_exactly_the_limit_is_kept(api, rng, limit):
    entry = kept(api, Upload(f"{word(rng)}.png", png(rng, limit)))
    assert entry.get("size") == limit, f"a {limit}-byte file was answered as {entry}"


def test_one_byte_over_the_limit_answers_413(api, rng, limit):
    refused(api, Upload(f"{word(rng)}.png", png(rng, limit + 1)), 413)


def test_an_empty_file_answers_400(api, rng):
    refused(api, Upload(f"{word(rng)}.png", b""), 400)
