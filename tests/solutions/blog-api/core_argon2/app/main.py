"""An alternative: Core statements (insert ... returning, update, delete), a 409 from the
unique constraints' IntegrityError instead of a lookup first, and the filters as a list."""

from typing import Annotated

from fastapi import Depends, FastAPI, Form, HTTPException, Query, Response, status
from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.database import get_session
from app.models import Post, User
from app.schemas import PostCreate, PostRead, PostUpdate, Token, UserCreate, UserRead
from app.security import current_user, hash_password, password_matches, tokens

app = FastAPI(title="Blog API")
Session = Annotated[AsyncSession, Depends(get_session)]
Me = Annotated[User, Depends(current_user)]


@app.post("/auth/register", status_code=status.HTTP_201_CREATED, response_model=UserRead)
async def register(body: UserCreate, session: Session):
    try:
        row = (await session.execute(insert(User).values(
            email=body.email, username=body.username,
            hashed_password=hash_password(body.password)).returning(User))).scalar_one()
        await session.commit()
    except IntegrityError:
        await session.rollback()
        raise HTTPException(status.HTTP_409_CONFLICT, "email or username taken") from None
    return row


@app.post("/auth/token", response_model=Token)
async def login(username: Annotated[str, Form()], password: Annotated[str, Form()],
                session: Session):
    user = await session.scalar(select(User).where(User.username == username))
    if not password_matches(user.hashed_password if user else None, password):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid credentials",
                            headers={"WWW-Authenticate": "Bearer"})
    return Token(access_token=tokens.issue(user.id), token_type="bearer")


@app.get("/users/me", response_model=UserRead)
async def read_me(me: Me):
    return me


@app.post("/posts", status_code=status.HTTP_201_CREATED, response_model=PostRead)
async def create_post(body: PostCreate, me: Me, session: Session):
    post = (await session.execute(insert(Post).values(
        title=body.title, content=body.content, published=body.published,
        author_id=me.id).returning(Post))).scalar_one()
    await session.commit()
    return post


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@app.get("/posts", response_model=list[PostRead])
async def list_posts(
    session: Session,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
    author_id: int | None = None,
    published: bool | None = None,
    q: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
):
    conditions = []
    if author_id is not None:
        conditions.append(Post.author_id == author_id)
    if published is not None:
        conditions.append(Post.published == published)
    if q is not None:
        pattern = f"%{_escaped(q.lower())}%"
        conditions.append(or_(*(func.lower(c).like(pattern, escape="\\")
                                for c in (Post.title, Post.content))))
    rows = await session.scalars(select(Post).where(*conditions).order_by(Post.id)
                                 .limit(limit).offset(offset))
    return rows.all()


async def _author_of(session: AsyncSession, post_id: int) -> int:
    author = await session.scalar(select(Post.author_id).where(Post.id == post_id))
    if author is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "post not found")
    return author


@app.get("/posts/{post_id}", response_model=PostRead)
async def get_post(post_id: int, session: Session):
    await _author_of(session, post_id)
    return await session.get(Post, post_id)


@app.patch("/posts/{post_id}", response_model=PostRead)
async def update_post(post_id: int, body: PostUpdate, me: Me, session: Session):
    if await _author_of(session, post_id) != me.id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only the author may edit")
    if changes := body.model_dump(exclude_unset=True):
        await session.execute(update(Post).where(Post.id == post_id).values(**changes))
        await session.commit()
    return await session.get(Post, post_id)


@app.delete("/posts/{post_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_post(post_id: int, me: Me, session: Session):
    if await _author_of(session, post_id) != me.id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only the author may delete")
    await session.execute(delete(Post).where(Post.id == post_id))
    await session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
