"""Values crossing the process boundary as JSON: tuples survive, other objects become a repr."""

from __future__ import annotations

from typing import Any

_TUPLE = "__tuple__"
_REPR = "__repr__"


def encode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, tuple):
        return {_TUPLE: [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: encode(v) for k, v in value.items()}
    return {_REPR: repr(value)[:200]}


class Opaque(str):
    """The repr of a value that could not cross as data, so a check can tell it apart."""


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        if set(value) == {_TUPLE}:
            return tuple(decode(v) for v in value[_TUPLE])
        if set(value) == {_REPR}:
            return Opaque(value[_REPR])
        return {k: decode(v) for k, v in value.items()}
    return value
