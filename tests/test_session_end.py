"""After a grader ends a session, nothing more starts for it: a stage thread that spawns late
(the app of a kata whose checks finished while its schema was still being made) used to re-open
the session on the fork server, which then removed the grader's sandbox folder under it."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

from grader.sandbox.client import Host
from grader.sandbox.spec import ProcessSpec


def spec_in(folder: Path) -> ProcessSpec:
    return ProcessSpec(role="rpc", root=str(folder), workspace=str(folder), env={},
                       args={"module": "tasks", "socket": str(folder / "tasks.sock")})


def test_a_spawn_after_the_end_starts_nothing(tmp_path):
    with Host() as host:
        session = host.session()
        session.end()
        late = session.spawn("rpc-1", spec_in(tmp_path))
        assert late.finished.is_set() and late.exit is None and late.pid is None


def test_the_server_keeps_an_ended_sessions_folder_when_a_spawn_comes_late(tmp_path):
    folder = tmp_path / "sandbox"
    folder.mkdir()
    with Host() as host:
        host.session().end()  # the server is up and serving
        raw = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        raw.connect(host.control)
        late = {"op": "spawn", "name": "rpc-1", "spec": spec_in(folder).to_json()}
        raw.sendall(b'{"op": "end"}\n' + json.dumps(late).encode() + b"\n")
        reply = raw.makefile("rb").readline()
        assert json.loads(reply) == {"event": "ended"}
        raw.close()  # a dropped session's folders are removed: this one has none any more
        time.sleep(0.3)
        host.session().end()  # the server has read the close by now
        assert folder.is_dir()
