"""Fence in a freshly forked child before it touches candidate code.

Runs in the child of the fork server, single-threaded, as root or as the invoking user. The order
matters: namespaces and mounts need privileges, so they come before the rlimits and the drop to
the sandbox uid, after which every limit binds (RLIMIT_NPROC does not bind root).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import resource
import stat
import sys

from grader.sandbox.spec import ProcessSpec

CLONE_NEWNS = 0x00020000
CLONE_NEWNET = 0x40000000
MS_REC = 0x4000
MS_PRIVATE = 1 << 18
MS_BIND = 4096
MS_NOSUID = 2
MS_NODEV = 4

_libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)

# Directories any uid may write to: in the sandbox they become private, empty tmpfs mounts.
SHARED_WRITABLE = ("/tmp", "/var/tmp", "/dev/shm")


def unshare(flags: int) -> None:
    if _libc.unshare(flags) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))


def _mount(source: str, target: str, fstype: str | None, flags: int, data: str | None) -> None:
    result = _libc.mount(source.encode(), target.encode(),
                         fstype.encode() if fstype else None, flags,
                         data.encode() if data else None)
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"mount {target}: {os.strerror(errno)}")


def _top_most(paths: list[str]) -> list[str]:
    ordered = sorted({os.path.realpath(p) for p in paths if os.path.isdir(p)})
    kept: list[str] = []
    for path in ordered:
        if not any(path == k or path.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(path)
    return kept


def _closed_ancestor(path: str) -> str | None:
    """The first folder on the way to `path` that other users may not pass through."""
    current = "/"
    for part in path.strip("/").split("/"):
        current = os.path.join(current, part)
        if not os.stat(current).st_mode & stat.S_IXOTH:
            return current
    return None


def python_paths() -> list[str]:
    """What the candidate's Python must still read after dropping to the sandbox uid."""
    import grader

    return [sys.prefix, sys.base_prefix, sys.exec_prefix, *sys.path,
            os.path.dirname(os.path.dirname(os.path.abspath(grader.__file__)))]


def private_mounts(sandbox: str) -> None:
    """A mount namespace with empty /tmp, /var/tmp and /dev/shm, and with every folder the
    sandbox uid may not enter (a Python under /root, say) covered by an empty tmpfs.

    What must stay visible (the submission's sandbox folder, the Python installation) is opened
    first and bind-mounted back through /proc/self/fd once its parent is covered.
    """
    keep = _top_most([sandbox, *python_paths()])
    covers = set(SHARED_WRITABLE) | {a for a in map(_closed_ancestor, keep) if a}
    unshare(CLONE_NEWNS)
    _mount("none", "/", None, MS_REC | MS_PRIVATE, None)
    handles = {path: os.open(path, os.O_PATH | os.O_DIRECTORY) for path in keep}
    try:
        for directory in sorted(covers):
            if os.path.isdir(directory):
                mode = "1777" if directory in SHARED_WRITABLE else "0755"
                _mount("tmpfs", directory, "tmpfs", MS_NOSUID | MS_NODEV, f"mode={mode},size=64m")
        for path, handle in handles.items():
            if not os.path.isdir(path):
                os.makedirs(path, exist_ok=True)
                _mount(f"/proc/self/fd/{handle}", path, None, MS_BIND | MS_REC, None)
    finally:
        for handle in handles.values():
            os.close(handle)


def set_limits(spec: ProcessSpec) -> None:
    limits = spec.limits
    for which, value in (
        (resource.RLIMIT_CPU, limits.cpu_seconds),
        (resource.RLIMIT_AS, limits.memory_bytes),
        (resource.RLIMIT_NPROC, limits.processes),
        (resource.RLIMIT_FSIZE, limits.file_bytes),
        (resource.RLIMIT_NOFILE, limits.open_files),
        (resource.RLIMIT_CORE, 0),
    ):
        resource.setrlimit(which, (value, value))


def drop_privileges(uid: int) -> None:
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


def enter(spec: ProcessSpec) -> None:
    """Apply every fence the spec asks for, then become the candidate's process."""
    os.setsid()
    if spec.netns:
        unshare(CLONE_NEWNET)
    if spec.private_mounts:
        private_mounts(spec.root)
    set_limits(spec)
    if spec.uid is not None:
        drop_privileges(spec.uid)
    os.umask(0o022)
    os.environ.clear()
    os.environ.update(spec.env)
    os.chdir(spec.workspace)
    sys.path.insert(0, spec.workspace)
    sys.dont_write_bytecode = True
