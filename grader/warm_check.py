"""`kata check` and `kata grade` through a warm grader: a process that already holds pytest,
httpx and every kata's checks, configured and collected, and forks a grader for each
submission it is handed.

A check then skips importing and collecting them (about 0.2 s), which is most of what a grader
costs before the candidate's app answers. The forked grader is the same code as a local one:
it never imports candidate code, and it reaches candidate processes through the warm fork
server. It takes on the client's environment and working folder, and it leaves the moment its
client does (Ctrl-C), which ends its sandbox session and so removes everything it started.

The client side (`check`, `send_request`) is light: the command line imports it before
anything heavy.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import socket
import sys
import threading
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.errors import UserError
from grader.sandbox import lease
from grader.sandbox.warm import WarmProcess, enabled
from grader.stack_cache import BUILD_TIMEOUT as BUILD_PATIENCE

if TYPE_CHECKING:
    from grader.options import GradeOptions
    from grader.postgres.shared import SharedPostgres
    from grader.sandbox.client import ForkServer
    from grader.scoring import Scorecard

REPLY_MAX_BYTES = 64 << 20
ANSWER_GRACE = 30.0  # beyond the submission's own time limit
PROGRESS = b'{"progress": '  # a line before the reply: long work that is not grading


def warm_grader_process() -> WarmProcess | None:
    """The warm grader's handle; None when warm servers are off or its folder is not safe."""
    if not enabled():  # raises UserError on a bad KATA_SERVER_IDLE
        return None
    try:
        return WarmProcess("grader", "grader.warm_check")
    except OSError:
        return None


def connect(grader: WarmProcess | None) -> socket.socket | None:
    """A connection to the warm grader, started if need be, whose forked grader then waits for
    the request; None when there is none to be had (grade locally)."""
    if grader is None:
        return None
    try:
        return grader.open()
    except (OSError, UserError):  # it did not start
        return None


def warm_grader() -> socket.socket | None:
    return connect(warm_grader_process())


def send_request(connection: socket.socket, source: Path, options: GradeOptions) -> None:
    """Ask the grader forked for `connection` to grade `source` as this process would."""
    request = {"source": str(source), "options": asdict(options),  # from "cwd"
               "cwd": os.getcwd(), "env": dict(os.environ)}
    connection.sendall(json.dumps(request).encode() + b"\n")


def progress_line(message: str) -> bytes:
    """What a grader sends before its reply while it does long work that is not grading (a
    stack's first build): the client shows it, and waits longer."""
    return json.dumps({"progress": message}).encode() + b"\n"


def take_progress(data: bytearray) -> list[str]:
    """Remove the progress lines at the start of `data`; their messages."""
    messages = []
    while data.startswith(PROGRESS) and b"\n" in data:
        line, _, rest = bytes(data).partition(b"\n")
        data[:] = rest
        with contextlib.suppress(ValueError, KeyError, TypeError):
            messages.append(str(json.loads(line)["progress"]))
    return messages


def grade_reply(source: Path, options: GradeOptions, host: ForkServer,
                cluster: SharedPostgres | None = None,
                announce: Callable[[str], None] | None = None) -> dict[str, Any]:
    """What a grader process answers: the scorecard, or the bad-input error and its exit code."""
    from grader.session import grade_one, to_stderr

    try:
        card = grade_one(source, options, host=host, cluster=cluster,
                         announce=announce or to_stderr)
        return {"card": card.to_json()}
    except UserError as error:
        return {"error": error.message, "exit_code": error.exit_code}


def parse_reply(data: bytes) -> Scorecard | None:
    """The scorecard in a grader's reply; None if it went away without one. Bad input raises
    UserError with the grader's one-line message."""
    from grader.scoring import Scorecard

    try:
        reply = json.loads(data or b"null")
    except ValueError:
        return None
    if not isinstance(reply, dict):
        return None
    if "error" in reply:
        raise UserError(reply["error"], reply["exit_code"])
    return Scorecard.from_json(reply["card"])


def check(connection: socket.socket, source: Path, options: GradeOptions) -> Scorecard | None:
    """The scorecard from the warm grader; None if it went away without one (grade locally).
    Bad input raises UserError with the grader's one-line message."""
    patience = options.longest_time_limit() + ANSWER_GRACE
    connection.settimeout(patience)
    try:
        with connection, connection.makefile("rb") as stream:
            send_request(connection, source, options)
            # The scorecard's models (pydantic) load while it grades, in a thread: a Ctrl-C
            # then meets this thread in readline, never an import that would swallow it.
            threading.Thread(target=importlib.import_module, args=("grader.scoring",),
                             daemon=True).start()
            while (data := stream.readline(REPLY_MAX_BYTES)).startswith(PROGRESS):
                for message in take_progress(bytearray(data)):
                    print(message, file=sys.stderr, flush=True)
                connection.settimeout(patience + BUILD_PATIENCE)  # then the grading itself
    except TimeoutError:
        raise UserError(f"the warm grader gave no answer within {patience:g} s "
                        "(KATA_SERVER=0 grades without it)") from None
    except OSError:
        return None
    return parse_reply(data)


def grade_preferring_warm(connection: socket.socket | None, source: Path, options: GradeOptions,
                          *, host: ForkServer | None = None, progress: bool = False) -> Scorecard:
    """One submission, by the warm grader on `connection` if given and still there, else in
    this process (on `host`, or a fork server of its own)."""
    from grader.spinner import spinner

    if connection is not None:
        with spinner(progress, "Running the hidden checks"):
            card = check(connection, source, options)
        if card is not None:
            return card
    from grader.sandbox.warm import fork_server
    from grader.session import grade_one

    with host or fork_server() as own:
        return grade_one(source, options, progress=progress, host=own)


# --- the server ----------------------------------------------------------------------------------

def _leave_with_client(connection: socket.socket) -> None:
    """The client sends nothing after its request: end of file means it is gone."""
    with contextlib.suppress(OSError):
        connection.recv(1)
    os._exit(1)


def _grade(connection: socket.socket) -> None:
    """In a forked child: grade one request and answer it."""
    import tempfile

    from grader.options import GradeOptions
    from grader.sandbox.warm import fork_server

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
    with fork_server() as host:
        reply = grade_reply(Path(request["source"]), GradeOptions(**request["options"]), host,
                            announce=lambda message: connection.sendall(progress_line(message)))
    connection.sendall(json.dumps(reply).encode() + b"\n")


def main() -> None:
    import selectors
    import signal
    import time

    from grader.session import preload_graders

    control, options = sys.argv[1], sys.argv[2:]
    idle = float(options[options.index("--idle") + 1])
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(control)
    listener.listen(64)  # the first client waits in the backlog while we warm up
    preload_graders()
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
