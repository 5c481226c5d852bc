"""An alternative: sync routes (FastAPI runs them in its thread pool) on the legacy Query API,
two lookups for the 409, a PATCH that copies the named fields it was sent."""

from fastapi import Depends, FastAPI, HTTPException, Query, Response
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy import func, or_
from sqlalchemy.orm import Session

from app.models import Post, User
from app.schemas import PostCreate, PostRead, PostUpdate, Token, UserCreate, UserRead
from app.security import check_password, current_user, get_db, hash_password, issue_token

app = FastAPI(title="Blog API")

# ruff: noqa: B008 - FastAPI's classic Depends() defaults


@app.post("/auth/register", status_code=201, response_model=UserRead)
def register(body: UserCreate, db: Session = Depends(get_db)):
    if db.query(User).filter(User.email == body.email).first():
        raise HTTPException(409, "email already registered")
    if db.query(User).filter(User.username == body.username).first():
        raise HTTPException(409, "username already taken")
    user = User(email=body.email, username=body.username,
                hashed_password=hash_password(body.password))
    db.add(user)
    db.commit()
    db.refresh(user)
    return user


@app.post("/auth/token", response_model=Token)
def login(form: OAuth2PasswordRequestForm = Depends(), db: Session = Depends(get_db)):
    user = db.query(User).filter(User.username == form.username).first()
    if not check_password(form.password, user.hashed_password if user else None):
        raise HTTPException(401, "incorrect username or password",
                            headers={"WWW-Authenticate": "Bearer"})
    return {"access_token": issue_token(user), "token_type": "bearer"}


@app.get("/users/me", response_model=UserRead)
def read_me(user: User = Depends(current_user)):
    return user


@app.post("/posts", status_code=201, response_model=PostRead)
def create_post(body: PostCreate, user: User = Depends(current_user),
                db: Session = Depends(get_db)):
    post = Post(title=body.title, content=body.content, published=body.published,
                author_id=user.id)
    db.add(post)
    db.commit()
    db.refresh(post)
    return post


@app.get("/posts", response_model=list[PostRead])
def list_posts(limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0),
               author_id: int | None = None, published: bool | None = None,
               q: str | None = Query(None, min_length=1, max_length=100),
               db: Session = Depends(get_db)):
    query = db.query(Post)
    if author_id is not None:
        query = query.filter(Post.author_id == author_id)
    if published is not None:
        query = query.filter(Post.published.is_(published))
    if q is not None:
        escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        query = query.filter(or_(func.lower(Post.title).like(pattern, escape="\\"),
                                 func.lower(Post.content).like(pattern, escape="\\")))
    return query.order_by(Post.id.asc()).limit(limit).offset(offset).all()


def _find(db: Session, post_id: int) -> Post:
    post = db.get(Post, post_id)
    if not post:
        raise HTTPException(404, "post not found")
    return post


@app.get("/posts/{post_id}", response_model=PostRead)
def get_post(post_id: int, db: Session = Depends(get_db)):
    return _find(db, post_id)


@app.patch("/posts/{post_id}", response_model=PostRead)
def update_post(post_id: int, body: PostUpdate, user: User = Depends(current_user),
                db: Session = Depends(get_db)):
    post = _find(db, post_id)
    if post.author_id != user.id:
        raise HTTPException(403, "not your post")
    changes = body.model_dump(exclude_unset=True)
    for name in ("title", "content", "published"):
        if name in changes:
            setattr(post, name, changes[name])
    db.commit()
    db.refresh(post)
    return post


@app.delete("/posts/{post_id}", status_code=204)
def delete_post(post_id: int, user: User = Depends(current_user), db: Session = Depends(get_db)):
    post = _find(db, post_id)
    if post.author_id != user.id:
        raise HTTPException(403, "not your post")
    db.delete(post)
    db.commit()
    return Response(status_code=204)
