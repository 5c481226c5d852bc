"""posts.crud: a post is created by the token's user, read back, changed only in the fields a
PATCH sends, and deleted; writes need a token (401) and unknown ids answer 404."""

from blog import create_post, new_post

from grader.kata_api import json_of, show

FIELDS = ("title", "content", "published")


def test_create_read_update_delete(api, rng, alice):
    sent = new_post(rng)
    post = create_post(api, alice, sent)
    assert {f: post.get(f) for f in FIELDS} == sent and post.get("author_id") == alice.id, \
        f"POST /posts answered {post}, for {sent} by user {alice.id}"
    assert {"created_at", "updated_at"} <= set(post), f"the post lacks its times: {post}"
    read = json_of(api.get(f"/posts/{post['id']}"), "GET /posts/{id}", status=200)
    assert read == post, f"GET /posts/{{id}} answered {read}, POST had answered {post}"

    bare = create_post(api, alice, {"title": sent["title"]})
    assert (bare.get("content"), bare.get("published")) == ("", False), \
        f"a post sent with a title only: expected content '' and published false, got {bare}"

    title = f"{sent['title']} (revised)"
    changed = json_of(api.patch(f"/posts/{post['id']}", json={"title": title},
                                headers=alice.headers), "PATCH /posts/{id}", status=200)
    assert changed.get("title") == title and all(changed.get(f) == post[f] for f in FIELDS[1:]), \
        f"PATCH with a title only: expected the other fields unchanged, got {changed}"
    flipped = json_of(api.patch(f"/posts/{post['id']}", json={"published": not sent["published"]},
                                headers=alice.headers), "PATCH /posts/{id}", status=200)
    assert (flipped.get("title"), flipped.get("published")) == (title, not sent["published"]), \
        f"PATCH with published only: got {flipped}"
    assert json_of(api.get(f"/posts/{post['id']}"), "GET /posts/{id}", status=200) == flipped, \
        "GET /posts/{id} after a PATCH does not show what the PATCH answered"

    deleted = api.delete(f"/posts/{post['id']}", headers=alice.headers)
    assert deleted.status_code == 204 and not deleted.content, \
        f"DELETE /posts/{{id}}: expected 204 with an empty body, got {show(deleted)}"
    gone = api.get(f"/posts/{post['id']}")
    assert gone.status_code == 404, f"GET /posts/{{id}} after its delete: {show(gone)}"


def test_writes_need_a_token_and_change_nothing_without(api, rng, alice):
    post = create_post(api, alice, new_post(rng))
    for method, path, body in (("POST", "/posts", new_post(rng)),
                               ("PATCH", f"/posts/{post['id']}", {"title": "taken over"}),
                               ("DELETE", f"/posts/{post['id']}", None)):
        response = api.request(method, path, json=body)
        assert response.status_code == 401, \
            f"{method} {path} without a token: expected 401, got {show(response)}"
    assert api.get(f"/posts/{post['id']}").json() == post, "a write without a token changed it"


def test_unknown_posts_are_404_and_bad_bodies_422(api, rng, alice):
    post = create_post(api, alice, new_post(rng))
    missing = post["id"] + 10**6
    for method, body in (("GET", None), ("PATCH", {"title": "x"}), ("DELETE", None)):
        response = api.request(method, f"/posts/{missing}", json=body, headers=alice.headers)
        assert response.status_code == 404, \
            f"{method} /posts/{{unknown id}}: expected 404, got {show(response)}"
    for body, what in (({"title": ""}, "an empty title"), ({"content": "no title"}, "no title"),
                       ({"title": "x" * 201}, "a title of 201 characters")):
        response = api.post("/posts", json=body, headers=alice.headers)
        assert response.status_code == 422, f"POST /posts with {what}: expected 422, got " \
            f"{show(response)}"
