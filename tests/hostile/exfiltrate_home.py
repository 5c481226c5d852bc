"""At import of tasks.py: reads a file in the home folder of whoever runs the grader and sends it
to a port the grader's test opened on 127.0.0.1. Had the read worked, the module then refuses to
load, which costs every debugging item: full marks show the file stayed out of reach."""
import socket as _socket

PARAMS: dict = {}

try:
    with open(PARAMS["path"], encoding="utf-8") as _stolen:
        _LOOT = _stolen.read()
except OSError:
    _LOOT = ""
try:
    with _socket.create_connection(("127.0.0.1", PARAMS["port"]), timeout=5) as _connection:
        _connection.sendall((_LOOT or "nothing read").encode())
except OSError:
    pass
if _LOOT:
    raise SystemExit(f"read {PARAMS['path']}")
