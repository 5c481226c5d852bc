"""At import, tries to leave files everywhere outside its workspace."""
import os as _os

PARAMS: dict = {}

_sandbox = _os.path.dirname(_os.getcwd())
for _target in [*PARAMS["targets"], _os.path.join(_sandbox, PARAMS["name"])]:
    for _attempt in (lambda p: open(p, "x").write("pwned"), _os.mkdir,
                     lambda p: _os.symlink("/etc/passwd", p)):
        try:
            _attempt(_target)
        except OSError:
            pass
try:
    _os.link("/etc/passwd", _os.path.join(_os.environ["HOME"], "passwd"))
except OSError:
    pass
try:
    import ctypes as _ctypes

    _libc = _ctypes.CDLL(None)
    _libc.shmget(PARAMS["ipc_key"], 1 << 20, 0o1666)
    _libc.msgget(PARAMS["ipc_key"], 0o1666)
except OSError:
    pass
