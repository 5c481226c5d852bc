"""Create the tables and load a few sample users and posts: `python seed.py`.

Running it twice is harmless: when the database already has users it does nothing.
"""

from sqlalchemy import select

from app.database import Base, SessionLocal, engine
from app.models import Post, User

# name, email, [(title, body)]
SAMPLE = [
    ("Ada", "ada@example.com", [
        ("Notes on engines", "The analytical engine weaves algebraic patterns."),
        ("Free cash prize", "Click now: a free prize, cash for every winner. Urgent offer!"),
    ]),
    ("Brian", "brian@example.com", [("Pipes", "Small tools, joined by pipes, do big work.")]),
    ("Grace", "grace@example.com", []),
]


def seed() -> None:
    Base.metadata.create_all(engine)
    with SessionLocal() as session, session.begin():
        if session.scalar(select(User.id).limit(1)) is not None:
            print("The database already has users: nothing to do.")
            return
        for name, email, posts in SAMPLE:
            user = User(name=name, email=email)
            user.posts = [Post(title=title, body=body) for title, body in posts]
            session.add(user)
    print(f"Added {len(SAMPLE)} users and their posts.")


if __name__ == "__main__":
    seed()
