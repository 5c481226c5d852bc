"""The blog API: the skeleton. Each route answers 501 until you build it (see README.md).

Run `uvicorn app.main:app --reload`, then open http://127.0.0.1:8000/docs.
"""

from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, status
from sqlalchemy.ext.asyncio import AsyncSession

from app.database import get_session
from app.schemas import PostRead, Token, UserRead

app = FastAPI(title="Blog API", version="1.0.0")

SessionDep = Annotated[AsyncSession, Depends(get_session)]


def _todo() -> HTTPException:
    return HTTPException(status.HTTP_501_NOT_IMPLEMENTED, "not implemented yet")


@app.post("/auth/register", status_code=status.HTTP_201_CREATED, response_model=UserRead)
async def register(session: SessionDep):
    raise _todo()


@app.post("/auth/token", response_model=Token)
async def login(session: SessionDep):
    raise _todo()


@app.get("/users/me", response_model=UserRead)
async def read_me():
    raise _todo()


@app.post("/posts", status_code=status.HTTP_201_CREATED, response_model=PostRead)
async def create_post(session: SessionDep):
    raise _todo()


@app.get("/posts", response_model=list[PostRead])
async def list_posts(session: SessionDep):
    raise _todo()


@app.get("/posts/{post_id}", response_model=PostRead)
async def get_post(post_id: int, session: SessionDep):
    raise _todo()


@app.patch("/posts/{post_id}", response_model=PostRead)
async def update_post(post_id: int, session: SessionDep):
    raise _todo()


@app.delete("/posts/{post_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_post(post_id: int, session: SessionDep):
    raise _todo()
