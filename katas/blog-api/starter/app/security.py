"""Passwords and access tokens: write them here (README.md, part 1).

Suggested pieces: hash_password(password) -> str, verify_password(password, hashed) -> bool,
create_access_token(user_id) -> str, and a `current_user` dependency that turns the bearer token
into the User it was issued to (401 otherwise). The settings are in app/config.py.
"""

from fastapi.security import OAuth2PasswordBearer

# The token URL is where Swagger's Authorize button sends the login form.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/token")
