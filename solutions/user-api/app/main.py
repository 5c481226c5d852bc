"""User API: CRUD over users with validation, search, filters and pagination."""

import os
from pathlib import Path

from fastapi import Depends, FastAPI, HTTPException, Query, Response, status

from app.limits import rate_limit, require_token
from app.schemas import User, UserCreate, UserUpdate
from app.store import EmailTaken, UserStore

app = FastAPI(title="User API", dependencies=[Depends(rate_limit)])
data_dir = os.environ.get("DATA_DIR")
store = UserStore(Path(data_dir) / "users.jsonl" if data_dir else None)


def _not_found(user_id: int) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, f"no user with id {user_id}")


def _found(user: dict | None, user_id: int) -> dict:
    if user is None:
        raise _not_found(user_id)
    return user


def _conflict(error: EmailTaken) -> HTTPException:
    return HTTPException(status.HTTP_409_CONFLICT, f"the email {error} is taken")


@app.get("/health")
def health() -> dict:
    return {"status": "ok"}


@app.post("/users", status_code=status.HTTP_201_CREATED, response_model=User,
          dependencies=[Depends(require_token)])
def create_user(body: UserCreate) -> dict:
    try:
        return store.create(body.model_dump())
    except EmailTaken as error:
        raise _conflict(error) from None


@app.get("/users", response_model=list[User])
def list_users(q: str | None = None, min_age: int | None = None, max_age: int | None = None,
               limit: int = Query(100, ge=1, le=100),
               offset: int = Query(0, ge=0)) -> list[dict]:
    users = store.list()
    if q:
        needle = q.casefold()
        users = [u for u in users
                 if needle in u["name"].casefold() or needle in u["email"].casefold()]
    if min_age is not None:
        users = [u for u in users if u["age"] is not None and u["age"] >= min_age]
    if max_age is not None:
        users = [u for u in users if u["age"] is not None and u["age"] <= max_age]
    return users[offset:offset + limit]


@app.get("/users/{user_id}", response_model=User)
def get_user(user_id: int) -> dict:
    return _found(store.get(user_id), user_id)


@app.patch("/users/{user_id}", response_model=User, dependencies=[Depends(require_token)])
def update_user(user_id: int, body: UserUpdate) -> dict:
    try:
        return _found(store.update(user_id, body.model_dump(exclude_unset=True)), user_id)
    except EmailTaken as error:
        raise _conflict(error) from None


@app.delete("/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT,
            dependencies=[Depends(require_token)])
def delete_user(user_id: int) -> Response:
    if not store.delete(user_id):
        raise _not_found(user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
