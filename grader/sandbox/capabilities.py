"""What isolation this machine allows, found by trying it in a throwaway child (`kata doctor`)."""

from __future__ import annotations

import os
import shutil
from dataclasses import asdict, dataclass
from functools import cache

from grader.sandbox import isolate


def _try_in_child(action: object) -> bool:
    pid = os.fork()
    if pid == 0:
        try:
            action()  # type: ignore[operator]
            os._exit(0)
        except BaseException:  # noqa: BLE001 - any failure means "not here"
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


@dataclass(frozen=True)
class Capabilities:
    root: bool
    netns: bool
    private_mounts: bool
    postgres_bin: str | None
    ipcns: bool = False
    seccomp: bool = False

    @property
    def drop_uid(self) -> bool:
        return self.root

    def to_json(self) -> dict[str, object]:
        return {**asdict(self), "drop_uid": self.drop_uid}


def find_postgres_bin() -> str | None:
    """The folder of `initdb`/`pg_ctl`/`postgres`: PATH first, then Debian's versioned folders."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("postgres", path=os.path.dirname(os.path.realpath(on_path))):
        return os.path.dirname(os.path.realpath(on_path))
    base = "/usr/lib/postgresql"
    if os.path.isdir(base):
        for version in sorted(os.listdir(base), key=lambda v: (len(v), v), reverse=True):
            folder = os.path.join(base, version, "bin")
            if os.path.isfile(os.path.join(folder, "initdb")):
                return folder
    return None


def _setsid_is_refused() -> None:
    isolate.forbid_new_sessions()
    try:
        os.setsid()
    except PermissionError:
        return
    raise OSError("the seccomp filter let setsid through")


@cache
def detect_capabilities() -> Capabilities:
    root = os.geteuid() == 0
    netns = _try_in_child(lambda: isolate.unshare(isolate.CLONE_NEWNET))
    ipcns = _try_in_child(lambda: isolate.unshare(isolate.CLONE_NEWIPC))
    mounts = _try_in_child(lambda: isolate.private_mounts("/tmp")) if root else False
    return Capabilities(root=root, netns=netns, private_mounts=mounts,
                        postgres_bin=find_postgres_bin(), ipcns=ipcns,
                        seccomp=_try_in_child(_setsid_is_refused))
