"""Kata definitions: each `katas/<id>/` holds kata.yaml, the starter templates, the checks."""

from pathlib import Path

KATAS_DIR = Path(__file__).resolve().parent
