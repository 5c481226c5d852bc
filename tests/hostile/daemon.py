"""A daemon that outlives grading: double fork, its own session if it can get one, deaf to
SIGTERM, SIGHUP and SIGINT, and holding the output pipe open by writing to it forever."""
import os as _os
import signal as _signal
import time as _time

if _os.fork() == 0:
    try:
        _os.setsid()
    except OSError:
        pass
    if _os.fork() == 0:
        for _sig in (_signal.SIGTERM, _signal.SIGHUP, _signal.SIGINT):
            _signal.signal(_sig, _signal.SIG_IGN)
        while True:
            print("still here", flush=True)
            _time.sleep(0.05)
    _os._exit(0)
_os.wait()
