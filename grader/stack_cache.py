"""Vetted stacks built once into a cache, each a virtual environment the fork server runs in.

A build is `uv venv` plus `uv pip sync` of the kata's lock file, wheels only, so no install
step runs code; it happens once per lock and interpreter, under a lock file so that parallel
graders wait for one build. The finished environment is made read-only: candidate code only
ever reads it. Offline with nothing cached, the build fails and the caller grades on the
installed stack, and says so.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # this module stays light: the command line's warm client imports it
    from grader.kata import Kata
    from grader.stacks import Stack

BUILD_TIMEOUT = 600.0
DONE = ".katabench-complete"


class StackUnavailable(Exception):
    """The stack is not cached and could not be built; the message says why, in one line."""


def cache_root() -> Path:
    if folder := os.environ.get("KATA_STACK_CACHE"):
        return Path(folder)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "katabench", "stacks")


def base_python() -> str:
    """The interpreter under this one's venv, if any: a stack's venv is made from it."""
    return os.path.realpath(getattr(sys, "_base_executable", None) or sys.executable)


def location(kata_id: str, stack: Stack) -> Path:
    """Where the stack is built: one folder per lock content and interpreter."""
    assert stack.lock is not None, "the installed stack is not built"
    digest = hashlib.sha256(stack.lock.read_bytes())
    digest.update(f"\0{base_python()}\0{sys.version}".encode())
    return cache_root() / f"{kata_id}-{stack.id}-{digest.hexdigest()[:12]}"


def is_built(folder: Path) -> bool:
    return (folder / DONE).is_file()


def python_of(folder: Path) -> Path:
    return folder / "bin" / "python"


def ensure_built(kata_id: str, stack: Stack,
                 announce: Callable[[str], None] = lambda _: None) -> Path:
    """The stack's interpreter, built first if need be (announced: it takes a while)."""
    folder = location(kata_id, stack)
    if is_built(folder):
        return python_of(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    with _locked(folder.with_name(folder.name + ".lock")):
        if not is_built(folder):  # another grader may have built it while we waited
            announce(f"Building the vetted stack {stack.id} of {kata_id} (once; cached in "
                     f"{folder.parent})")
            _build(folder, stack.lock)  # type: ignore[arg-type]
    return python_of(folder)


def stack_rows(kata: Kata, *, build: bool = False,
               announce: Callable[[str], None] = lambda _: None) -> list[dict[str, object]]:
    """For `kata stacks`: each stack of the kata, its versions and whether it is built (after
    building it, with `build`). The installed stack comes first: it is always there."""
    from grader.stacks import installed_stack, stack_packages, vetted_stacks

    installed = installed_stack(tuple(sorted(stack_packages(kata))))
    rows: list[dict[str, object]] = [{"kata": kata.id, "id": installed.id, "built": True,
                                      "path": sys.prefix, "packages": dict(installed.versions)}]
    for stack in vetted_stacks(kata):
        if build:
            ensure_built(kata.id, stack, announce)
        folder = location(kata.id, stack)
        rows.append({"kata": kata.id, "id": stack.id, "built": is_built(folder),
                     "path": str(folder), "packages": dict(stack.versions)})
    return rows


def _build(folder: Path, lock: Path) -> None:
    _remove(folder)  # a build that was cut short
    uv = _uv()
    quiet = ["--quiet", "--no-config"]
    _run([uv, "venv", *quiet, "--python", base_python(), str(folder)])
    _run([uv, "pip", "sync", *quiet, "--python", str(python_of(folder)), "--only-binary",
          ":all:", "--compile-bytecode", str(lock)])
    (folder / DONE).write_text(f"built {time.strftime('%Y-%m-%dT%H:%M:%S')} from {lock.name}\n")
    _read_only(folder)


def _uv() -> str:
    try:
        from uv import find_uv_bin

        return find_uv_bin()
    except (ImportError, FileNotFoundError):
        found = shutil.which("uv")
        if found is None:
            raise StackUnavailable("uv is not installed") from None
        return found


def _run(command: list[str]) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=BUILD_TIMEOUT,
                              stdin=subprocess.DEVNULL, cwd=cache_root())
    except subprocess.TimeoutExpired:
        raise StackUnavailable(f"building it took over {BUILD_TIMEOUT:g} s") from None
    except OSError as error:
        raise StackUnavailable(f"uv did not run: {error.strerror}") from None
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        reason = next((ln for ln in lines if ln.lower().startswith(("error", "caused by"))),
                      lines[-1] if lines else f"uv exited with status {done.returncode}")
        raise StackUnavailable(f"uv could not build it: {reason}")


def _read_only(folder: Path) -> None:
    """No write bit anywhere: a candidate process running as this user cannot change it."""
    for root, dirs, files in os.walk(folder):
        for name in [*dirs, *files]:
            path = os.path.join(root, name)
            info = os.lstat(path)
            if not stat.S_ISLNK(info.st_mode):
                os.chmod(path, stat.S_IMODE(info.st_mode) & ~0o222)
    os.chmod(folder, stat.S_IMODE(os.stat(folder).st_mode) & ~0o222)


def _remove(folder: Path) -> None:
    """Remove a stack folder, read-only parts included."""
    if not folder.exists():
        return
    for root, _, _ in os.walk(folder):  # a folder's entries go only where it is writable
        os.chmod(root, 0o755)
    shutil.rmtree(folder)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
