"""must.types: the type comes from the file's first bytes, never from the client's word: PNG,
JPEG and PDF are kept, under an extension of their type; anything else answers 415."""

import pytest
from uploads import Upload, kept, of_type, refused, text, word

KEPT = [("image/jpeg", ".jpg"), ("image/jpeg", ".JPEG"), ("application/pdf", ".pdf"),
        ("image/png", ".Png")]


@pytest.mark.parametrize(("kind", "extension"), KEPT)
def test_each_allowed_type_is_kept_as_what_its_bytes_are(api, rng, kind, extension):
    upload = Upload(word(rng) + extension, of_type(kind, rng, rng.randrange(50, 20_000)),
                    claimed="text/plain")
    entry = kept(api, upload)
    assert entry.get("content_type") == kind, (
        f"{upload.name!r} begins as {kind} does (sent as text/plain): the answer says "
        f"{entry.get('content_type')!r}")


def test_bytes_of_no_allowed_type_answer_415(api, rng):
    for name, body in [("notes.png", text(rng)), ("anim.png", b"GIF89a" + rng.randbytes(400)),
                       ("noise.jpg", b"\x00" + rng.randbytes(900)),
                       ("almost.pdf", b"%PD" + rng.randbytes(60))]:
        refused(api, Upload(f"{word(rng)}-{name}", body, claimed="image/png"), 415)


def test_an_allowed_type_under_another_extension_answers_415(api, rng):
    for name, kind in [("photo.pdf", "image/png"), ("report.png", "application/pdf"),
                       ("picture.png", "image/jpeg"), ("tool.exe", "image/png"),
                       ("no-extension", "image/png"), ("photo.png.sh", "image/png")]:
        upload = Upload(f"{word(rng)}-{name}", of_type(kind, rng, 300), claimed=kind)
        refused(api, upload, 415)
