"""User API: the skeleton. Each route below answers 501 until you build it (see README.md)."""

from fastapi import FastAPI, HTTPException, status

app = FastAPI(title="User API")


def _todo() -> HTTPException:
    return HTTPException(status.HTTP_501_NOT_IMPLEMENTED, "not implemented yet")


@app.post("/users", status_code=status.HTTP_201_CREATED)
def create_user() -> dict:
    raise _todo()


@app.get("/users")
def list_users() -> list:
    raise _todo()


@app.get("/users/{user_id}")
def get_user(user_id: int) -> dict:
    raise _todo()


@app.patch("/users/{user_id}")
def update_user(user_id: int) -> dict:
    raise _todo()


@app.delete("/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_user(user_id: int) -> None:
    raise _todo()
