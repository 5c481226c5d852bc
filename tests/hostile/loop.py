"""Hangs at import, forever."""
while True:
    pass
