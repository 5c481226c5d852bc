"""The blog API. Run `uvicorn app.main:app --reload`, then open http://127.0.0.1:8000/docs.

Every answer it gives is right, but it is slow, and its memory keeps growing: README.md says
where to look.
"""

from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app import moderation
from app.database import get_db
from app.models import Post, User

app = FastAPI(title="Blog", version="1.0.0")

DbDep = Annotated[Session, Depends(get_db)]


@app.get("/users/{user_id}")
def read_user(user_id: int, db: DbDep) -> dict[str, Any]:
    user = db.get(User, user_id)
    if user is None:
        raise HTTPException(404, f"user {user_id} not found")
    return {"id": user.id, "name": user.name, "email": user.email}


@app.get("/users-with-posts")
def users_with_posts(db: DbDep) -> list[dict[str, Any]]:
    """Every user, by id, with the id and title of each of their posts."""
    users = db.scalars(select(User).order_by(User.id)).all()
    return [
        {
            "id": user.id,
            "name": user.name,
            "post_count": len(user.posts),
            "posts": [{"id": post.id, "title": post.title} for post in user.posts],
        }
        for user in users
    ]


# A search reads every post, so its answers are kept, by query and limit.
_search_cache: dict[tuple[str, int], list[dict[str, Any]]] = {}


@app.get("/search")
def search(
    db: DbDep,
    q: Annotated[str, Query(min_length=2, max_length=100)],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[dict[str, Any]]:
    """Posts whose title or body contains q, ignoring case, by id: the first `limit` of them."""
    key = (q, limit)
    if key in _search_cache:
        return _search_cache[key]
    rows = db.execute(
        select(Post, User.name)
        .join(User, Post.author_id == User.id)
        .where(or_(Post.title.icontains(q, autoescape=True),
                   Post.body.icontains(q, autoescape=True)))
        .order_by(Post.id)
        .limit(limit)
    ).all()
    answer = [{"id": post.id, "title": post.title, "author": author, "body": post.body}
              for post, author in rows]
    _search_cache[key] = answer
    return answer


@app.get("/posts/{post_id}/moderation")
async def moderate_post(post_id: int, db: DbDep) -> dict[str, Any]:
    """What the moderation service says of a post's body."""
    post = db.get(Post, post_id)
    if post is None:
        raise HTTPException(404, f"post {post_id} not found")
    verdict = moderation.check(post.body)
    return {"post_id": post.id, "spam_score": verdict.score, "flagged": verdict.flagged}
