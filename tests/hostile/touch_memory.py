"""At import: fills PARAMS["mib"] MiB for real, one page at a time (what a leak in a loop does), in
a process that is well inside its own address-space limit."""
PARAMS: dict = {}

_held = [b"x" * (1 << 20) for _ in range(PARAMS["mib"])]
