"""An alternative: argon2-cffi's PasswordHasher directly, a token class of its own, and the
current user read with a Core select through an HTTPBearer scheme."""

import time
from typing import Annotated

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, OAuth2PasswordBearer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app import config
from app.database import get_session
from app.models import User

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/token")
bearer = HTTPBearer(auto_error=False)
hasher = PasswordHasher()
DECOY = hasher.hash("decoy password")


class Tokens:
    """Issues and reads the access tokens; `exp` in whole seconds since the epoch."""

    def __init__(self, key: str, minutes: int) -> None:
        self.key, self.seconds = key, minutes * 60

    def issue(self, user_id: int) -> str:
        return jwt.encode({"sub": f"{user_id}", "exp": int(time.time()) + self.seconds},
                          self.key, algorithm="HS256")

    def subject(self, token: str) -> int | None:
        try:
            return int(jwt.decode(token, self.key, algorithms=["HS256"],
                                  options={"require": ["exp"]}).get("sub") or "")
        except (jwt.InvalidTokenError, ValueError):
            return None


tokens = Tokens(config.SECRET_KEY, config.ACCESS_TOKEN_EXPIRE_MINUTES)


def hash_password(password: str) -> str:
    return hasher.hash(password)


def password_matches(hashed: str | None, password: str) -> bool:
    try:
        return hasher.verify(hashed or DECOY, password) and hashed is not None
    except VerificationError:
        return False


async def current_user(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    session: Annotated[AsyncSession, Depends(get_session)],
) -> User:
    user_id = tokens.subject(credentials.credentials) if credentials else None
    user = None if user_id is None else await session.scalar(
        select(User).where(User.id == user_id))
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid or missing token",
                            headers={"WWW-Authenticate": "Bearer"})
    return user
