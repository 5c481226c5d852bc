"""Passwords and access tokens.

Passwords are stored as argon2 hashes (pwdlib's recommended hasher): a fresh salt each time, so
two users with one password get two different hashes. Tokens are HS256 JWTs signed with
SECRET_KEY whose `sub` is the user's id; decoding pins the algorithm, so a token that names
`none` (or any other) is refused, and PyJWT checks `exp`.
"""

from datetime import UTC, datetime, timedelta
from typing import Annotated

import jwt
from fastapi import Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer
from pwdlib import PasswordHash
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import ACCESS_TOKEN_EXPIRE_MINUTES, ALGORITHM, SECRET_KEY
from app.database import get_session
from app.models import User

# The token URL is where Swagger's Authorize button sends the login form.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/token")

password_hash = PasswordHash.recommended()
# Verified against when the username is unknown, so that both failures cost one hash.
DUMMY_HASH = password_hash.hash("not anyone's password")


def hash_password(password: str) -> str:
    return password_hash.hash(password)


def verify_password(password: str, hashed: str | None) -> bool:
    """Whether `password` is the one `hashed` was made from; with no hash, False in the same
    time a real check takes."""
    if hashed is None:
        password_hash.verify(password, DUMMY_HASH)
        return False
    return password_hash.verify(password, hashed)


def create_access_token(user_id: int) -> str:
    expires = datetime.now(UTC) + timedelta(minutes=ACCESS_TOKEN_EXPIRE_MINUTES)
    return jwt.encode({"sub": str(user_id), "exp": expires}, SECRET_KEY, algorithm=ALGORITHM)


def _unauthorized() -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, "could not validate the credentials",
                         headers={"WWW-Authenticate": "Bearer"})


async def current_user(token: Annotated[str, Depends(oauth2_scheme)],
                       session: Annotated[AsyncSession, Depends(get_session)]) -> User:
    """The user the bearer token was issued to; 401 for a token that is not a valid one of ours
    or whose user is gone."""
    try:
        claims = jwt.decode(token, SECRET_KEY, algorithms=[ALGORITHM],
                            options={"require": ["exp", "sub"]})
        user_id = int(claims["sub"])
    except (jwt.InvalidTokenError, ValueError) as error:
        raise _unauthorized() from error
    user = await session.get(User, user_id)
    if user is None:
        raise _unauthorized()
    return user


CurrentUser = Annotated[User, Depends(current_user)]
