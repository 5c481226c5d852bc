"""fix.n_plus_one: GET /users-with-posts runs as many SQL statements for many users as for few
(no query per user for their posts), and still answers as the starter did."""

from __future__ import annotations

from blog import people, writings

from grader.kata_api import show

GROWTH = [(12, 30), (30, 90)]  # users and posts added before the second and the third request


def test_statements_stay_flat_as_the_data_grows(api, db, hidden, rng):
    users, posts = list(hidden.users), list(hidden.posts)
    first_user = max(u["id"] for u in users) + 1
    first_post = max(p["id"] for p in posts) + 1
    next_user, next_post, counts = first_user, first_post, []
    api.get("/users-with-posts")  # a first request may also connect (PostgreSQL asks its version)
    try:
        for step in range(len(GROWTH) + 1):
            if step:
                more_users, more_posts = GROWTH[step - 1]
                new = people(rng, list(range(next_user, next_user + more_users)))
                added = writings(rng, list(range(next_post, next_post + more_posts)),
                                 [u["id"] for u in users + new])
                next_user, next_post = next_user + more_users, next_post + more_posts
                db.insert_many("users", new)
                db.insert_many("posts", added)
                users, posts = users + new, posts + added
            before = api.statements()
            response = api.get("/users-with-posts")
            counts.append(api.statements() - before)
            assert response.status_code == 200, show(response)
            assert response.json() == hidden.users_with_posts(users, posts), (
                f"GET /users-with-posts with {len(users)} users and {len(posts)} posts does not "
                "answer as the starter did (every user by id, each post's id and title by id)")
    finally:
        db.execute("DELETE FROM posts WHERE id >= :first", {"first": first_post})
        db.execute("DELETE FROM users WHERE id >= :first", {"first": first_user})
    assert counts[0] > 0, (
        "GET /users-with-posts ran no SQL statement: its answer is not the database's")
    sizes = [len(hidden.users) + sum(u for u, _ in GROWTH[:n]) for n in range(len(GROWTH) + 1)]
    assert counts[0] == counts[1] == counts[2], (
        f"SQL statements of GET /users-with-posts with {sizes[0]}, {sizes[1]} and {sizes[2]} "
        f"users: {counts} (a query per user for their posts; load them with the users)")
