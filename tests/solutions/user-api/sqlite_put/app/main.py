"""User API on SQLite: the filters and the page are SQL; PUT takes a partial update."""

from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Query, Response

from app.limits import rate_limit, require_token
from app.schemas import User, UserCreate, UserUpdate
from app.store import EmailTaken, open_store

app = FastAPI(title="User API", dependencies=[Depends(rate_limit)])
store = open_store()
writes = [Depends(require_token)]


def taken() -> HTTPException:
    return HTTPException(409, "email already registered")


def missing(user_id: int) -> HTTPException:
    return HTTPException(404, f"user {user_id} not found")


@app.get("/health")
def health():
    return {"status": "ok"}


@app.post("/users", status_code=201, response_model=User, dependencies=writes)
def create_user(body: UserCreate):
    try:
        return store.create(body.name, body.email, body.age)
    except EmailTaken:
        raise taken() from None


@app.get("/users", response_model=list[User])
def list_users(q: str | None = None, min_age: int | None = None, max_age: int | None = None,
               limit: Annotated[int, Query(ge=1, le=100)] = 100,
               offset: Annotated[int, Query(ge=0)] = 0):
    where, params = ["1 = 1"], []
    if q:
        where.append("(instr(lower(name), lower(?)) > 0 OR instr(lower(email), lower(?)) > 0)")
        params += [q, q]
    if min_age is not None:
        where.append("age >= ?")
        params.append(min_age)
    if max_age is not None:
        where.append("age <= ?")
        params.append(max_age)
    return store.page(" AND ".join(where), params, limit, offset)


@app.get("/users/{user_id}", response_model=User)
def get_user(user_id: int):
    if (user := store.get(user_id)) is None:
        raise missing(user_id)
    return user


@app.put("/users/{user_id}", response_model=User, dependencies=writes)
def replace_user(user_id: int, body: UserUpdate):
    try:
        user = store.update(user_id, body.model_dump(exclude_unset=True))
    except EmailTaken:
        raise taken() from None
    if user is None:
        raise missing(user_id)
    return user


@app.delete("/users/{user_id}", status_code=204, dependencies=writes)
def delete_user(user_id: int):
    if not store.delete(user_id):
        raise missing(user_id)
    return Response(status_code=204)
