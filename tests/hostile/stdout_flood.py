"""A gigabyte on stdout at import, then business as usual."""
import os as _os

_block = b"=" * (1 << 20)
for _ in range(1024):
    _os.write(1, _block)
del _block
