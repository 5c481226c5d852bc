"""What a client may send and what it gets back; pydantic does the validation."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Age = Annotated[int, Field(ge=0, le=150)]


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    email: EmailStr
    age: Age | None = None


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    email: EmailStr | None = None
    age: Age | None = None


class User(BaseModel):
    id: int
    name: str
    email: str
    age: int | None
