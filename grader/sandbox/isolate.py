"""Fence in a freshly forked child before it touches candidate code.

Runs in the child of the fork server, single-threaded, as root or as the invoking user. The order
matters: namespaces and mounts need privileges, so they come before the rlimits and the drop to
the sandbox uid, after which every limit binds (RLIMIT_NPROC does not bind root).

As an ordinary user the privileges come from a user namespace (`spec.userns`), in which the
process is root over its own new network, IPC, mount and PID namespaces and over nothing else.
Either way the role ends in a nested user namespace of its own: that takes away every capability
over the namespaces just set up (a candidate cannot unmount what hides the user's home), and
gives the role a process budget of its own, counted apart from the submission's other roles.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import platform
import pwd
import re
import resource
import shutil
import signal
import stat
import sys

from grader.sandbox.spec import ProcessSpec

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
INNER_UID = 1000  # who the role is inside its nested user namespace
PR_SET_PDEATHSIG = 1
PR_GET_DUMPABLE = 3
PR_SET_DUMPABLE = 4
_LINUX_CAPABILITY_VERSION_3 = 0x20080522
MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_NOATIME = 1024
MS_NODIRATIME = 2048
MS_BIND = 4096
MS_REC = 0x4000
MS_PRIVATE = 1 << 18
MS_RELATIME = 1 << 21
# statvfs flags of a mount, and the mount flags that keep them on a read-only remount.
_KEPT_FLAGS = ((os.ST_NOSUID, MS_NOSUID), (os.ST_NODEV, MS_NODEV), (os.ST_NOEXEC, MS_NOEXEC),
               (os.ST_NOATIME, MS_NOATIME), (os.ST_NODIRATIME, MS_NODIRATIME),
               (os.ST_RELATIME, MS_RELATIME))
# Pseudo file systems whose writable parts only root may touch; /proc/self must stay writable.
_LEFT_WRITABLE = ("/proc", "/sys")

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


MNT_DETACH = 2


def unmount(target: str) -> None:
    """Detach a mount now; its memory goes once nothing uses it any more."""
    if _libc.umount2(target.encode(), MNT_DETACH) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"umount {target}: {os.strerror(errno)}")


def mount_tmpfs(folder: str, size: int) -> None:
    """A tmpfs of `size` bytes at `folder`: a cap on all that is written there together."""
    _mount("tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, f"mode=0711,size={size}")


def remove_sandbox(root: str) -> None:
    """Remove a sandbox folder, the tmpfs it may be on included (the grader does, or the fork
    server when the grader died)."""
    if os.path.ismount(root):
        unmount(root)
    shutil.rmtree(root, ignore_errors=True)


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
            os.path.dirname(os.path.dirname(os.path.realpath(grader.__file__)))]


def user_namespace(inside: int) -> None:
    """Enter a new user namespace as uid and gid `inside`, mapped to this process's own (the
    one mapping an unprivileged process may write)."""
    uid, gid = os.geteuid(), os.getegid()
    # After a change of uid the kernel makes /proc/self root's until the process is dumpable.
    dumpable = _libc.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0)
    _libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
    unshare(CLONE_NEWUSER)
    map_identity(inside, uid, gid)
    _libc.prctl(PR_SET_DUMPABLE, dumpable, 0, 0, 0)


def map_identity(inside: int, uid: int, gid: int) -> None:
    """In a user namespace just made: be `inside` there, `uid` and `gid` outside."""
    _write_proc("setgroups", "deny")
    _write_proc("uid_map", f"{inside} {uid} 1")
    _write_proc("gid_map", f"{inside} {gid} 1")


def _write_proc(name: str, text: str) -> None:
    """Raw system calls: after the drop of uid this Python may not import a codec any more."""
    handle = os.open(f"/proc/self/{name}", os.O_WRONLY)
    try:
        os.write(handle, text.encode())
    finally:
        os.close(handle)


def become_pid_one() -> None:
    """After unshare(CLONE_NEWPID): fork, and go on as PID 1 of the new PID namespace, from
    which no process outside can be seen or signalled, and which the kernel empties when PID 1
    ends. The parent stays outside for the fork server, passes it the signals that ask a
    process to stop, and ends as the child ended."""
    pid = os.fork()
    if pid == 0:
        _libc.prctl(PR_SET_PDEATHSIG, 9, 0, 0, 0)  # SIGKILL when the relay is killed
        os.setpgid(0, 0)  # the relay's group is out of reach: killpg(0) hits this one only
        return
    os.closerange(0, 65536)
    # A stop asked of the relay (CandidateRun.restart_app's SIGTERM) is the child's to handle,
    # as it would be without a PID namespace: the relay ends when the child has.
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(number, lambda received, _: os.kill(pid, received))
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number not in (signal.SIGKILL, signal.SIGSTOP):
            signal.signal(number, signal.SIG_DFL)
        os.kill(os.getpid(), number)
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 70)


def private_proc() -> None:
    """/proc of this PID namespace: no other process's details, nor its environment."""
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None)


def home_folders(uid: int) -> list[str]:
    """What an ordinary user's candidate code could otherwise read as that user: the home
    folder and the runtime folder (where the warm servers' sockets are)."""
    folders = {f"/run/user/{uid}"}
    with contextlib.suppress(KeyError):  # a uid with no account (a container's): no home
        folders.add(pwd.getpwuid(uid).pw_dir)
    return sorted(f for f in folders if os.path.isdir(f) and os.path.realpath(f) != "/")


def private_mounts(sandbox: str, hide: list[str] | tuple[str, ...] = ()) -> None:
    """In the new mount namespace `enter` made: empty /tmp, /var/tmp and /dev/shm, and every
    folder the sandbox uid may not enter (a Python under /root, say), and those in `hide`,
    covered by an empty tmpfs.

    What must stay visible (the submission's sandbox folder, the Python installation) is opened
    first and bind-mounted back through /proc/self/fd once its parent is covered. Then everything
    but the sandbox folder and the private tmpfs covers becomes read-only.
    """
    keep = _top_most([sandbox, *python_paths()])
    covers = (set(SHARED_WRITABLE) | {a for a in map(_closed_ancestor, keep) if a}
              | {os.path.realpath(h) for h in hide})
    sandbox = os.path.realpath(sandbox)
    _mount("none", "/", None, MS_REC | MS_PRIVATE, None)
    handles = {path: os.open(path, os.O_PATH | os.O_DIRECTORY) for path in {*keep, sandbox}}
    try:
        for directory in sorted(covers):
            if os.path.isdir(directory):
                mode = "1777" if directory in SHARED_WRITABLE else "0755"
                _mount("tmpfs", directory, "tmpfs", MS_NOSUID | MS_NODEV, f"mode={mode},size=64m")
        for path, handle in sorted(handles.items()):  # parents first
            if not os.path.isdir(path) or path == sandbox:  # the sandbox: its own mount, to stay
                os.makedirs(path, exist_ok=True)           # writable when the rest is not
                _mount(f"/proc/self/fd/{handle}", path, None, MS_BIND | MS_REC, None)
    finally:
        for handle in handles.values():
            os.close(handle)
    read_only_elsewhere({*SHARED_WRITABLE, sandbox})


_OCTAL = re.compile(rb"\\([0-7]{3})")


def _mount_points() -> list[str]:
    """Every mount point of this mount namespace, from /proc/self/mountinfo (with its octal
    escapes, such as \\040 for a space, decoded)."""
    with open("/proc/self/mountinfo", "rb") as info:
        return [os.fsdecode(_OCTAL.sub(lambda m: bytes([int(m[1], 8)]), line.split(b" ")[4]))
                for line in info]


def _under(path: str, folders: set[str] | list[str] | tuple[str, ...]) -> bool:
    return any(path == f or path.startswith(f.rstrip("/") + "/") for f in folders)


def read_only_elsewhere(writable: set[str]) -> None:
    """Remount every mount read-only except `writable` (and what lies under it), /proc, /sys.

    Why: the tmpfs covers hide the usual shared folders, but a machine may have others that any
    uid may write to and that outlive grading (/run/lock here, a /run tmpfs elsewhere, /dev/mqueue).
    A read-only view of everything else closes them all, whatever the machine. The flags a mount
    already has (nosuid, nodev, noexec...) are kept.
    """
    for point in sorted(set(_mount_points()), key=len):
        # Only the writable mounts themselves and what lies under the sandbox stay writable: a
        # folder bound back under a private /tmp (a venv there, say) is read-only like the rest.
        if point in writable or _under(point, [sandbox for sandbox in writable
                                               if sandbox not in SHARED_WRITABLE]) \
                or _under(point, _LEFT_WRITABLE):
            continue
        try:
            current = os.statvfs(point).f_flag
        except OSError:
            continue  # hidden under a cover: out of reach anyway
        flags = MS_REMOUNT | MS_BIND | MS_RDONLY
        for statvfs_flag, mount_flag in _KEPT_FLAGS:
            if current & statvfs_flag:
                flags |= mount_flag
        _mount("none", point, None, flags, None)


def set_limits(spec: ProcessSpec) -> None:
    limits = spec.limits
    for which, value in (
        (resource.RLIMIT_CPU, limits.cpu_seconds),
        (resource.RLIMIT_AS, limits.memory_bytes),
        # The submission's budget: a role's own budget is set in its nested user namespace.
        (resource.RLIMIT_NPROC, limits.submission_processes if spec.role_budget
         else limits.processes),
        (resource.RLIMIT_FSIZE, limits.file_bytes),
        (resource.RLIMIT_NOFILE, limits.open_files),
        (resource.RLIMIT_CORE, 0),
    ):
        hard = resource.getrlimit(which)[1]  # an ordinary user cannot raise it past this
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            if sys.platform.startswith("linux"):
                raise
            # macOS refuses some limits (RLIMIT_AS); the others still bind.


# seccomp: the audit architecture of each system-call ABI a process of this machine may use, and
# the number of setsid in it (x86-64 also runs x32 and i386 calls; arm64 runs arm calls).
SETSID_NUMBERS: dict[str, dict[int, tuple[int, ...]]] = {
    "x86_64": {0xC000003E: (112, 112 | 0x40000000), 0x40000003: (66,)},
    "aarch64": {0xC00000B7: (157,), 0x40000028: (66,)},
}
PR_SET_SECCOMP = 22
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
EPERM = 1
_BPF_LD_ABS, _BPF_JEQ, _BPF_RET = 0x20, 0x15, 0x06


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte),
                ("k", ctypes.c_uint32)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def _setsid_filter(abis: dict[int, tuple[int, ...]]) -> list[tuple[int, int, int, int]]:
    """Classic BPF over seccomp_data (nr at offset 0, arch at 4): setsid fails with EPERM in
    every ABI of the machine, any other ABI fails entirely, everything else is allowed."""
    code: list[tuple[int, int, int, int]] = []
    to_deny: list[int] = []
    for arch, numbers in abis.items():
        code.append((_BPF_LD_ABS, 0, 0, 4))
        skip = len(code)
        code.append((_BPF_JEQ, 0, 0, arch))  # its false branch is patched below
        code.append((_BPF_LD_ABS, 0, 0, 0))
        for number in numbers:
            to_deny.append(len(code))
            code.append((_BPF_JEQ, 0, 0, number))
        code.append((_BPF_RET, 0, 0, SECCOMP_RET_ALLOW))
        code[skip] = (_BPF_JEQ, 0, len(code) - skip - 1, arch)
    deny = len(code)
    code.append((_BPF_RET, 0, 0, SECCOMP_RET_ERRNO | EPERM))
    for at in to_deny:
        code[at] = (_BPF_JEQ, deny - at - 1, 0, code[at][3])
    return code


def _prctl(option: int, *args: int) -> None:
    values = [ctypes.c_ulong(a) for a in (*args, 0, 0, 0, 0)[:4]]
    if _libc.prctl(ctypes.c_int(option), *values) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"prctl {option}: {os.strerror(errno)}")


def forbid_new_sessions() -> None:
    """no_new_privs, then a seccomp filter that makes setsid fail.

    Why: the kernel shares CPU time fairly between sessions (autogroups), so a fork bomb whose
    children each call setsid would own nearly every core of the machine and starve the grader
    and every other submission; in the session `enter` made, it gets one share. no_new_privs
    also keeps set-uid programs from ever raising a candidate's privileges.
    """
    abis = SETSID_NUMBERS.get(platform.machine())
    if abis is None:
        raise OSError(f"no seccomp filter for {platform.machine()}")
    code = _setsid_filter(abis)
    program = (_SockFilter * len(code))(*(_SockFilter(*line) for line in code))
    fprog = _SockFprog(len(code), program)
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    _prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog))


def drop_privileges(uid: int) -> None:
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def drop_capabilities() -> None:
    """None left, not even over the nested user namespace that creating it gave."""
    header = _CapHeader(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()
    if _libc.capset(ctypes.byref(header), data) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"capset: {os.strerror(errno)}")


def namespace_flags(spec: ProcessSpec) -> int:
    flags = CLONE_NEWUSER if spec.userns else 0
    for wanted, flag in ((spec.netns, CLONE_NEWNET), (spec.ipcns, CLONE_NEWIPC),
                         (spec.private_mounts, CLONE_NEWNS), (spec.pidns, CLONE_NEWPID)):
        if wanted:
            flags |= flag
    return flags


def enter(spec: ProcessSpec) -> None:
    """Apply every fence the spec asks for, then become the candidate's process."""
    for procs in spec.cgroup_procs:  # first: every process it starts is counted from now on
        handle = os.open(procs, os.O_WRONLY)
        try:
            os.write(handle, str(os.getpid()).encode())
        finally:
            os.close(handle)
    os.setsid()
    uid, gid = os.geteuid(), os.getegid()
    if flags := namespace_flags(spec):  # System V objects die with the IPC namespace
        unshare(flags)
    if spec.userns:
        map_identity(0, uid, gid)
    if spec.pidns:
        become_pid_one()
    if spec.private_mounts:
        private_mounts(spec.root, home_folders(uid) if spec.userns else ())  # uid outside
        if spec.pidns:
            private_proc()
    set_limits(spec)
    if spec.uid is not None:
        drop_privileges(spec.uid)
    if spec.role_budget:  # every process limit binds, this role's apart from the others'
        user_namespace(INNER_UID)
        drop_capabilities()
        resource.setrlimit(resource.RLIMIT_NPROC, (spec.limits.processes,) * 2)
    if spec.seccomp:
        forbid_new_sessions()
    os.umask(0o022)
    os.environ.clear()
    os.environ.update(spec.env)
    os.chdir(spec.workspace)
    sys.path.insert(0, spec.workspace)
    sys.dont_write_bytecode = True
