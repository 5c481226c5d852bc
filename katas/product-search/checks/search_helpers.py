"""Helpers of the product-search checks: ask GET /products and read its answer, with one-line
reasons when the answer is not one."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from grader.kata_api import json_of, show

EVERY = 100  # the largest page: the hidden catalogue has fewer products
FIELDS = ("items", "total", "page", "page_size", "pages", "has_next", "has_prev")


def asked(params: dict[str, Any]) -> str:
    return f"GET /products?{urlencode(params, doseq=True)}" if params else "GET /products"


def listing(api: httpx.Client, **params: Any) -> dict[str, Any]:
    """The answer to GET /products with these parameters: a 200 with a list under `items`."""
    body = json_of(api.get("/products", params=params), asked(params), 200)
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        pytest.fail(f"{asked(params)}: expected an object with a list under `items`, got "
                    f"{str(body)[:160]}", pytrace=False)
    return body


def ids(body: dict[str, Any]) -> list[Any]:
    return [item.get("id") if isinstance(item, dict) else item for item in body["items"]]


def every_id(api: httpx.Client, **params: Any) -> list[Any]:
    """The ids of one page holding every match."""
    return ids(listing(api, page_size=EVERY, **params))


def status_of(api: httpx.Client, **params: Any) -> tuple[int, str]:
    response = api.get("/products", params=params)
    return response.status_code, show(response)


def require_a_listing(api: httpx.Client) -> None:
    """A check of what GET /products refuses counts only once it answers a valid request."""
    status, shown = status_of(api, page_size=5)
    assert status == 200, f"GET /products?page_size=5 does not answer 200 yet: {shown}"


def shown(values: list[Any], most: int = 10) -> str:
    return str(values) if len(values) <= most else f"{str(values[:most])[:-1]}, ...]"
