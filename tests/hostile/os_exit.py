"""Leaves at import without a word, and with a success status."""
import os as _os

_os._exit(0)
