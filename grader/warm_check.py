"""`kata check` through a warm grader: a process that already holds pytest, httpx and every
kata's collected checks, and forks a grader for each check it is handed.

A check then skips importing and collecting them (about 0.2 s), which is most of what a grader
costs before the candidate's app answers. The forked grader is the same code as a local one:
it never imports candidate code, and it reaches candidate processes through the warm fork
server. It takes on the client's environment and working folder, and it leaves the moment its
client does (Ctrl-C), which ends its sandbox session and so removes everything it started.

The client side (`check`) is light: the command line imports it before anything heavy.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.errors import UserError
from grader.sandbox import lease
from grader.sandbox.warm import WarmProcess, enabled

if TYPE_CHECKING:
    from grader.scoring import Scorecard
    from grader.session import GradeOptions

REPLY_MAX_BYTES = 64 << 20
ANSWER_GRACE = 30.0  # beyond the submission's own time limit


def warm_grader() -> socket.socket | None:
    """A connection to the warm grader, started if need be, whose forked grader then waits for
    the request; None when warm servers are off or not to be had safely here."""
    if not enabled():  # raises UserError on a bad KATA_SERVER_IDLE
        return None
    try:
        grader = WarmProcess("grader", "grader.warm_check")
        try:
            return grader.connect()
        except (FileNotFoundError, ConnectionRefusedError):
            grader.ensure()
            return grader.connect()
    except (OSError, UserError):  # an unsafe folder, or it did not start: grade locally
        return None


def check(connection: socket.socket, source: Path, options: GradeOptions) -> Scorecard | None:
    """The scorecard from the warm grader; None if it went away without one (grade locally).
    Bad input raises UserError with the grader's one-line message."""
    from grader.scoring import Scorecard

    request = {"source": str(source), "options": asdict(options),  # from "cwd"
               "cwd": os.getcwd(), "env": dict(os.environ)}
    patience = options.timeout + ANSWER_GRACE
    connection.settimeout(patience)
    try:
        with connection, connection.makefile("rb") as stream:
            connection.sendall(json.dumps(request).encode() + b"\n")
            reply = json.loads(stream.readline(REPLY_MAX_BYTES) or b"null")
    except TimeoutError:
        raise UserError(f"the warm grader gave no answer within {patience:g} s "
                        "(KATA_SERVER=0 grades without it)") from None
    except (OSError, ValueError):
        return None
    if not isinstance(reply, dict):
        return None
    if "error" in reply:
        raise UserError(reply["error"], reply["exit_code"])
    return Scorecard.from_json(reply["card"])


# --- the server ----------------------------------------------------------------------------------

def _leave_with_client(connection: socket.socket) -> None:
    """The client sends nothing after its request: end of file means it is gone."""
    with contextlib.suppress(OSError):
        connection.recv(1)
    os._exit(1)


def _grade(connection: socket.socket) -> None:
    """In a forked child: grade one request and answer it."""
    import tempfile
    import threading

    from grader.sandbox.warm import fork_server
    from grader.session import GradeOptions, grade_one

    with connection.makefile("rb") as stream:
        line = stream.readline()
    if not line:
        return  # the client left before asking (a probe, or Ctrl-C during parsing)
    request: dict[str, Any] = json.loads(line)
    os.environ.clear()
    os.environ.update(request["env"])
    tempfile.tempdir = None  # as the client's TMPDIR says
    os.chdir(request["cwd"])
    threading.Thread(target=_leave_with_client, args=(connection,), daemon=True).start()
    try:
        with fork_server() as host:
            card = grade_one(Path(request["source"]), GradeOptions(**request["options"]),
                             host=host)
        reply: dict[str, Any] = {"card": card.to_json()}
    except UserError as error:
        reply = {"error": error.message, "exit_code": error.exit_code}
    connection.sendall(json.dumps(reply).encode() + b"\n")


def _warm_up() -> None:
    """Import what a grader needs and collect every kata's checks, once."""
    import grader.api  # noqa: F401 - httpx
    from grader.checks import warm_up
    from grader.kata import load_all_katas

    for kata in load_all_katas():
        warm_up(kata)


def main() -> None:
    import gc
    import selectors
    import signal
    import time

    control, options = sys.argv[1], sys.argv[2:]
    idle = float(options[options.index("--idle") + 1])
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(control)
    listener.listen(64)  # the first client waits in the backlog while we warm up
    _warm_up()
    gc.freeze()  # forked graders then do not copy every preloaded object
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    children: set[int] = set()
    quiet_since = time.monotonic()
    while True:
        if selector.select(timeout=0.5):
            connection, _ = listener.accept()
            pid = os.fork()
            if pid == 0:
                code = 0
                try:
                    listener.close()
                    _grade(connection)
                except BaseException:  # noqa: BLE001 - the client then grades locally
                    import traceback

                    traceback.print_exc()
                    code = 1
                finally:
                    os._exit(code)
            connection.close()
            children.add(pid)
        with contextlib.suppress(ChildProcessError):
            while (pid := os.waitpid(-1, os.WNOHANG)[0]) > 0:
                children.discard(pid)
        if children:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > idle and lease.may_leave(listener, control):
            os._exit(0)


if __name__ == "__main__":
    main()
