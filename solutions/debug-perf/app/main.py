"""The blog API. Run `uvicorn app.main:app --reload`, then open http://127.0.0.1:8000/docs.

The reference: the posts are loaded with their users, the search cache is bounded, and the
moderation route awaits the service instead of blocking the event loop.
"""

from collections import OrderedDict
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

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
    # One more SELECT ... WHERE author_id IN (...) for every user's posts, not one per user.
    eager = select(User).options(selectinload(User.posts))
    users = db.scalars(eager.order_by(User.id)).all()
    return [
        {
            "id": user.id,
            "name": user.name,
            "post_count": len(user.posts),
            "posts": [{"id": post.id, "title": post.title} for post in user.posts],
        }
        for user in users
    ]


# A search reads every post, so its answers are kept, by query and limit: the most recently
# used SEARCH_CACHE_SIZE of them, so memory stays bounded however many distinct searches come.
SEARCH_CACHE_SIZE = 32
_search_cache: OrderedDict[tuple[str, int], list[dict[str, Any]]] = OrderedDict()


@app.get("/search")
def search(
    db: DbDep,
    q: Annotated[str, Query(min_length=2, max_length=100)],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[dict[str, Any]]:
    """Posts whose title or body contains q, ignoring case, by id: the first `limit` of them."""
    key = (q, limit)
    if key in _search_cache:
        _search_cache.move_to_end(key)  # used now: the last to go
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
    if len(_search_cache) > SEARCH_CACHE_SIZE:
        _search_cache.popitem(last=False)  # the least recently used
    return answer


@app.get("/posts/{post_id}/moderation")
async def moderate_post(post_id: int, db: DbDep) -> dict[str, Any]:
    """What the moderation service says of a post's body."""
    post = db.get(Post, post_id)
    if post is None:
        raise HTTPException(404, f"post {post_id} not found")
    verdict = await moderation.check_async(post.body)  # the event loop serves others meanwhile
    return {"post_id": post.id, "spam_score": verdict.score, "flagged": verdict.flagged}
