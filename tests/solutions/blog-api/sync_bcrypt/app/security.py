"""An alternative: sync sessions, bcrypt called directly, the token's user looked up with the
legacy Query API, and the token read from the header by hand (HTTPBearer-free)."""

from datetime import UTC, datetime, timedelta

import bcrypt
import jwt
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from app.config import ACCESS_TOKEN_EXPIRE_MINUTES, ALGORITHM, SECRET_KEY
from app.database import DATABASE_URL
from app.models import User

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/token")
engine = create_engine(DATABASE_URL.replace("+aiosqlite", "").replace("+asyncpg", "+psycopg"))
SessionLocal = sessionmaker(engine, expire_on_commit=False)
_SPARE = bcrypt.hashpw(b"nobody", bcrypt.gensalt())


def get_db():
    with SessionLocal() as session:
        yield session


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


def check_password(password: str, hashed: str | None) -> bool:
    matches = bcrypt.checkpw(password.encode(), (hashed or _SPARE.decode()).encode())
    return hashed is not None and matches


def issue_token(user: User) -> str:
    now = datetime.now(UTC)
    claims = {"sub": str(user.id), "iat": now,
              "exp": now + timedelta(minutes=ACCESS_TOKEN_EXPIRE_MINUTES)}
    return jwt.encode(claims, SECRET_KEY, algorithm=ALGORITHM)


def current_user(request: Request, db: Session = Depends(get_db)) -> User:  # noqa: B008
    denied = HTTPException(status.HTTP_401_UNAUTHORIZED, "not authenticated",
                           headers={"WWW-Authenticate": "Bearer"})
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise denied
    try:
        sub = jwt.decode(token, SECRET_KEY, algorithms=["HS256"],
                         options={"require": ["exp"]})["sub"]
        user = db.query(User).filter(User.id == int(sub)).one_or_none()
    except (jwt.PyJWTError, KeyError, ValueError, TypeError):
        raise denied from None
    if not user:
        raise denied
    return user
