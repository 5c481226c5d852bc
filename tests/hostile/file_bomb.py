"""At import, writes a gigabyte to one file in its HOME."""
import os as _os

with open(_os.path.join(_os.environ["HOME"], "big.bin"), "wb") as _big:
    for _ in range(1024):
        _big.write(bytes(1 << 20))
