"""posts.ownership: another user's PATCH and DELETE answer 403 and change nothing; an author_id
in a body never moves a post to another author, on create or on update."""

from blog import create_post, new_post

from grader.kata_api import json_of, show


def test_only_the_author_changes_or_deletes(api, rng, alice, bob):
    post = create_post(api, alice, new_post(rng))
    for method, body in (("PATCH", {"title": "not yours"}), ("DELETE", None)):
        response = api.request(method, f"/posts/{post['id']}", json=body, headers=bob.headers)
        assert response.status_code == 403, \
            f"{method} of another user's post: expected 403, got {show(response)}"
    assert api.get(f"/posts/{post['id']}").json() == post, "another user's request changed it"
    own = api.patch(f"/posts/{post['id']}", json={"content": "edited"}, headers=alice.headers)
    assert json_of(own, "PATCH of one's own post", status=200).get("content") == "edited", \
        f"the author's own PATCH: {show(own)}"
    deleted = api.delete(f"/posts/{post['id']}", headers=alice.headers)
    assert deleted.status_code == 204, f"the author's own DELETE: {show(deleted)}"


def test_author_id_in_a_body_changes_nothing(api, rng, alice, bob):
    post = create_post(api, alice, new_post(rng))
    moved = json_of(api.patch(f"/posts/{post['id']}", json={"author_id": bob.id, "content": "x"},
                              headers=alice.headers), "PATCH with an author_id", status=200)
    stored = api.get(f"/posts/{post['id']}").json()
    assert moved.get("author_id") == stored.get("author_id") == alice.id, \
        f"a PATCH naming author_id {bob.id} made the post {stored.get('author_id')}'s"
    planted = create_post(api, bob, new_post(rng, author_id=alice.id))
    assert planted.get("author_id") == bob.id, \
        f"a POST by user {bob.id} naming author_id {alice.id} stored author {planted['author_id']}"
    after = api.patch(f"/posts/{planted['id']}", json={"title": "mine now"}, headers=alice.headers)
    assert after.status_code == 403, f"the named author could edit the post: {show(after)}"
