"""Kata definitions: each `katas/<id>/` holds kata.yaml, the starter templates and the hidden checks."""

from pathlib import Path

KATAS_DIR = Path(__file__).resolve().parent
