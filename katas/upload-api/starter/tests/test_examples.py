"""Examples to start from: run `pytest` in the workspace folder. Add your own beside them."""

from fastapi.testclient import TestClient

from app.main import app

client = TestClient(app)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # the signature is what counts, not a whole image


def test_a_png_is_stored_and_reads_back():
    answer = client.post("/files", files=[("files", ("dot.png", PNG, "image/png"))])
    assert answer.status_code == 201
    stored = answer.json()["files"][0]
    assert stored["size"] == len(PNG) and stored["content_type"] == "image/png"
    again = client.get(f"/files/{stored['id']}")
    assert again.content == PNG and again.headers["content-type"] == "image/png"


def test_text_named_png_is_refused():
    answer = client.post("/files", files=[("files", ("notes.png", b"just text", "image/png"))])
    assert answer.status_code == 415


def test_the_docs_describe_the_api():
    assert "/files" in client.get("/openapi.json").json()["paths"]
