"""At import: writes PARAMS["files"] files of PARAMS["mib"] MiB each to $TMPDIR, each one under
the limit per file, together over the submission's disk cap; a write that fails is skipped."""
import os as _os

PARAMS: dict = {}

for _n in range(PARAMS["files"]):
    try:
        with open(_os.path.join(_os.environ["TMPDIR"], f"fill-{_n}"), "wb") as _out:
            for _ in range(PARAMS["mib"]):
                _out.write(b"\0" * (1 << 20))
    except OSError:
        pass
