"""At import of tasks.py: connects to a port the grader's test opened on 127.0.0.1, and, only
from inside an isolated network namespace (no interface but lo), to a public address. Each try
may take 10 s; in a sandbox without network both fail at once."""
import socket as _socket

PARAMS: dict = {}


def _reach(host: str, port: int) -> None:
    try:
        with _socket.create_connection((host, port), timeout=10) as _connection:
            _connection.sendall(PARAMS["token"].encode())
    except OSError:
        pass


_reach("127.0.0.1", PARAMS["port"])
if [name for _, name in _socket.if_nameindex()] == ["lo"]:  # never from a real namespace
    _reach("1.1.1.1", 80)
