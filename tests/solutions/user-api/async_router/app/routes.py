"""The routes, async: the store is only touched between awaits, so no two creates interleave;
every change is written to $DATA_DIR/users.json before the answer goes out."""

import json
import os
import secrets
from pathlib import Path

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Response, status

from app.schemas import User, UserCreate, UserUpdate

USERS: dict[int, dict] = {}
FILE = Path(os.environ.get("DATA_DIR", ".")) / "users.json"
if FILE.exists():
    USERS.update({int(key): value for key, value in json.loads(FILE.read_text()).items()})


def save() -> None:
    FILE.write_text(json.dumps(USERS))


async def authorized(authorization: str = Header("")) -> None:
    token = os.environ.get("API_TOKEN")
    if token and not secrets.compare_digest(authorization, f"Bearer {token}"):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing or wrong bearer token")


router = APIRouter()
guarded = APIRouter(dependencies=[Depends(authorized)])


def lookup(user_id: int) -> dict:
    if user_id not in USERS:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "user not found")
    return USERS[user_id]


def check_email(email: str, owner: int | None = None) -> None:
    if any(u["email"].lower() == email.lower() and u["id"] != owner for u in USERS.values()):
        raise HTTPException(status.HTTP_409_CONFLICT, "email taken")


@router.get("/health")
async def health():
    return {"status": "ok"}


@router.get("/users", response_model=list[User])
async def list_users(q: str = "", min_age: int | None = None, max_age: int | None = None,
                     limit: int = Query(100, ge=1, le=100), offset: int = Query(0, ge=0)):
    def keep(user: dict) -> bool:
        if q and q.lower() not in (user["name"] + "\n" + user["email"]).lower():
            return False
        if min_age is None and max_age is None:
            return True
        age = user["age"]
        return age is not None and (min_age is None or age >= min_age) and \
            (max_age is None or age <= max_age)

    return [user for _, user in sorted(USERS.items()) if keep(user)][offset:offset + limit]


@router.get("/users/{user_id}", response_model=User)
async def get_user(user_id: int):
    return lookup(user_id)


@guarded.post("/users", status_code=status.HTTP_201_CREATED, response_model=User)
async def create_user(body: UserCreate):
    check_email(body.email)
    user = {"id": max(USERS, default=0) + 1, **body.model_dump()}
    USERS[user["id"]] = user
    save()
    return user


@guarded.patch("/users/{user_id}", response_model=User)
async def patch_user(user_id: int, body: UserUpdate):
    user = lookup(user_id)
    changes = body.model_dump(exclude_unset=True)
    if "email" in changes:
        check_email(changes["email"], owner=user_id)
    user.update(changes)
    save()
    return user


@guarded.delete("/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_user(user_id: int):
    lookup(user_id)
    del USERS[user_id]
    save()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


router.include_router(guarded)
