"""Reference solutions, one folder per kata id."""

from pathlib import Path

SOLUTIONS_DIR = Path(__file__).resolve().parent
