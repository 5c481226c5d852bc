"""kata.yaml is validated on load; a mistake names its file and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from grader.errors import UserError
from grader.kata import load_kata, load_kata_file
from katas import KATAS_DIR

SHOP = yaml.safe_load((KATAS_DIR / "shop-api" / "kata.yaml").read_text())


def write(tmp_path: Path, data: object, raw: str | None = None) -> Path:
    path = tmp_path / "shop-api" / "kata.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(raw if raw is not None else yaml.safe_dump(data))
    return path


def error_of(path: Path) -> str:
    with pytest.raises(UserError) as caught:
        load_kata_file(path)
    return caught.value.message


def test_the_shipped_kata_loads():
    kata = load_kata("shop-api")
    assert kata.max_points == 100 and kata.planned_minutes == (60, 75)
    assert {"scaffold", "upstream"} <= set(kata.layouts)


def test_malformed_yaml_names_file_and_line(tmp_path):
    path = write(tmp_path, None, raw="id: shop-api\nparts: [unclosed\n")
    message = error_of(path)
    assert str(path) in message and "malformed YAML" in message and ":3" in message


def test_bad_field_names_the_item(tmp_path):
    data = {**SHOP, "checklist": [dict(SHOP["checklist"][0], points="ten")]}
    message = error_of(write(tmp_path, data))
    assert "checklist[debug.find_user].points" in message


def test_auto_item_without_checks(tmp_path):
    item = {k: v for k, v in SHOP["checklist"][0].items() if k != "checks"}
    message = error_of(write(tmp_path, {**SHOP, "checklist": [item]}))
    assert "checklist[debug.find_user]" in message and "checks" in message


def test_unknown_field_and_duplicate_ids(tmp_path):
    assert "colour" in error_of(write(tmp_path, {**SHOP, "colour": "blue"}))
    twice = {**SHOP, "checklist": [SHOP["checklist"][0]] * 2}
    assert "appears twice" in error_of(write(tmp_path, twice))


def test_id_must_match_its_folder(tmp_path):
    assert "does not match its folder" in error_of(write(tmp_path, {**SHOP, "id": "other"}))


def test_an_item_names_a_part_the_kata_has(tmp_path):
    item = dict(SHOP["checklist"][0], part="debuging")
    message = error_of(write(tmp_path, {**SHOP, "checklist": [item]}))
    assert "item 'debug.find_user' names part 'debuging', which is none of api, backend" in message
