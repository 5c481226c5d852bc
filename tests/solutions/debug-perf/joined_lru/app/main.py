"""An alternative fix: the posts joined in (joinedload), the search behind functools.lru_cache,
and the blocking client run in Starlette's thread pool."""

from functools import lru_cache
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload
from starlette.concurrency import run_in_threadpool

from app import moderation
from app.database import SessionLocal, get_db
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
    """Every user, by id, with the id and title of each of their posts: one LEFT JOIN."""
    users = db.scalars(
        select(User).options(joinedload(User.posts)).order_by(User.id)
    ).unique().all()
    return [
        {
            "id": user.id,
            "name": user.name,
            "post_count": len(user.posts),
            "posts": [{"id": post.id, "title": post.title} for post in user.posts],
        }
        for user in users
    ]


@lru_cache(maxsize=32)
def _find_posts(q: str, limit: int) -> list[dict[str, Any]]:
    with SessionLocal() as db:
        rows = db.execute(
            select(Post, User.name)
            .join(User, Post.author_id == User.id)
            .where(or_(Post.title.icontains(q, autoescape=True),
                       Post.body.icontains(q, autoescape=True)))
            .order_by(Post.id)
            .limit(limit)
        ).all()
    return [{"id": post.id, "title": post.title, "author": author, "body": post.body}
            for post, author in rows]


@app.get("/search")
def search(
    q: Annotated[str, Query(min_length=2, max_length=100)],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[dict[str, Any]]:
    """Posts whose title or body contains q, ignoring case, by id: the first `limit` of them."""
    return _find_posts(q, limit)


@app.get("/posts/{post_id}/moderation")
async def moderate_post(post_id: int, db: DbDep) -> dict[str, Any]:
    """What the moderation service says of a post's body."""
    post = db.get(Post, post_id)
    if post is None:
        raise HTTPException(404, f"post {post_id} not found")
    verdict = await run_in_threadpool(moderation.check, post.body)
    return {"post_id": post.id, "spam_score": verdict.score, "flagged": verdict.flagged}
