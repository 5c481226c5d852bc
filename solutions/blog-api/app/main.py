"""The blog API. Run `uvicorn app.main:app --reload`, then open http://127.0.0.1:8000/docs."""

from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Query, Response, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.database import get_session
from app.models import Post, User
from app.schemas import PostCreate, PostRead, PostUpdate, Token, UserCreate, UserRead
from app.security import CurrentUser, create_access_token, hash_password, verify_password

app = FastAPI(title="Blog API", version="1.0.0")

SessionDep = Annotated[AsyncSession, Depends(get_session)]


@app.post("/auth/register", status_code=status.HTTP_201_CREATED, response_model=UserRead)
async def register(body: UserCreate, session: SessionDep):
    taken = await session.scalar(select(User.id).where(
        or_(User.email == body.email, User.username == body.username)))
    if taken is not None:
        raise HTTPException(status.HTTP_409_CONFLICT, "that email or username is taken")
    user = User(email=body.email, username=body.username,
                hashed_password=hash_password(body.password))
    session.add(user)
    await session.commit()
    return user


@app.post("/auth/token", response_model=Token)
async def login(form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep):
    user = await session.scalar(select(User).where(User.username == form.username))
    # One answer for an unknown user and a wrong password: nobody learns who has an account.
    if not verify_password(form.password, user.hashed_password if user else None):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "wrong username or password",
                            headers={"WWW-Authenticate": "Bearer"})
    return Token(access_token=create_access_token(user.id))


@app.get("/users/me", response_model=UserRead)
async def read_me(user: CurrentUser):
    return user


@app.post("/posts", status_code=status.HTTP_201_CREATED, response_model=PostRead)
async def create_post(body: PostCreate, user: CurrentUser, session: SessionDep):
    post = Post(**body.model_dump(), author_id=user.id)
    session.add(post)
    await session.commit()
    return post


@app.get("/posts", response_model=list[PostRead])
async def list_posts(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
    author_id: int | None = None,
    published: bool | None = None,
    q: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
):
    query = select(Post)
    if author_id is not None:
        query = query.where(Post.author_id == author_id)
    if published is not None:
        query = query.where(Post.published == published)
    if q:
        needle = q.lower()
        query = query.where(or_(Post.title.icontains(needle, autoescape=True),
                                Post.content.icontains(needle, autoescape=True)))
    return await session.scalars(query.order_by(Post.id).offset(offset).limit(limit))


async def _post(session: AsyncSession, post_id: int) -> Post:
    post = await session.get(Post, post_id)
    if post is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such post")
    return post


def _own(post: Post, user: User) -> Post:
    if post.author_id != user.id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only the author may change a post")
    return post


@app.get("/posts/{post_id}", response_model=PostRead)
async def get_post(post_id: int, session: SessionDep):
    return await _post(session, post_id)


@app.patch("/posts/{post_id}", response_model=PostRead)
async def update_post(post_id: int, body: PostUpdate, user: CurrentUser, session: SessionDep):
    post = _own(await _post(session, post_id), user)
    for field, value in body.model_dump(exclude_unset=True).items():
        setattr(post, field, value)
    await session.commit()
    await session.refresh(post)
    return post


@app.delete("/posts/{post_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_post(post_id: int, user: CurrentUser, session: SessionDep):
    await session.delete(_own(await _post(session, post_id), user))
    await session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
