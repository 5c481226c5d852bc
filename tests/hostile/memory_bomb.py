"""Allocates 64 MiB blocks until the address-space limit refuses one. Capped at 4 GiB, and the
blocks are never touched, so without the limit it would not hurt the machine, only pass."""
_hog = []
while len(_hog) < 64:
    _hog.append(bytearray(64 << 20))
del _hog
