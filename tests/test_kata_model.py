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


def _with_layout(**changes: object) -> dict:
    layout = {**SHOP["layouts"]["scaffold"], **changes}
    return {**SHOP, "layouts": {"scaffold": layout}}


@pytest.mark.parametrize(("changes", "expected"), [
    ({"databases": []}, "databases: name at least one"),
    ({"databases": ["sqlite", "sqlite"]}, "listed twice"),
    ({"databases": ["none", "sqlite"]}, "none stands alone"),
    ({"env": {"sqlite": {"DATABASE_URL": "x"}}}, "no environment for postgres"),
    ({"databases": ["sqlite"], "env": {"sqlite": {"A": "{db_path}"}, "postgres": {"B": "x"}}},
     "postgres is not among the databases"),
    ({"databases": ["none"], "env": {}}, "needs a database"),
    ({"env": {"sqlite": {"A": "{dbpath}"}, "postgres": {"B": "{port}"}}},
     "{dbpath} is not given on sqlite"),
    ({"env": {"sqlite": {"A": "{db_path"}, "postgres": {"B": "{port}"}}},
     "env.sqlite.A"),
    ({"folders": ["uploads"], "env": {"sqlite": {"A": "{folders[upload]}"},
                                      "postgres": {"B": "{folders[uploads]}"}}},
     "{folders[upload]} is not given on sqlite"),
    ({"folders": ["uploads", "uploads"]}, "folders: a folder is listed twice"),
    ({"folders": ["../up"]}, "folders[0]: String should match pattern"),
])
def test_a_layout_is_validated_as_a_whole(tmp_path, changes, expected):
    message = error_of(write(tmp_path, _with_layout(**changes)))
    assert "layouts.scaffold" in message and expected in message, message


def test_stages_come_from_what_a_layout_declares():
    kata = load_kata("shop-api")
    assert kata.layouts["scaffold"].stages == ("tasks", "schema", "data", "app")
    bare = kata.layouts["scaffold"].model_copy(update={
        "tasks": None, "models": (), "migrations": None, "seed": None, "databases": ("none",),
        "env": {}})
    assert bare.stages == ("app",)
    no_schema = kata.layouts["scaffold"].model_copy(update={"models": (), "migrations": None})
    assert no_schema.stages == ("tasks", "data", "app")


def _portable(data: dict) -> dict:
    """The kata without the files beside its kata.yaml (statements, stack locks)."""
    layouts = {name: {k: v for k, v in layout.items() if k != "statement"}
               for name, layout in data["layouts"].items()}
    return {**{k: v for k, v in data.items() if k != "stacks"}, "layouts": layouts}


def test_tiers_are_named_by_every_item_and_known(tmp_path):
    tiers = [{"id": "must", "title": "Must have"}, {"id": "bonus", "title": "Bonus"}]
    items = [dict(item, tier="must") for item in SHOP["checklist"]]
    kata = load_kata_file(write(tmp_path, _portable({**SHOP, "tiers": tiers,
                                                      "checklist": items})))
    assert [tier.id for tier in kata.tiers] == ["must", "bonus"]
    untiered = [dict(SHOP["checklist"][0]), *items[1:]]
    assert "names no tier" in error_of(write(tmp_path, _portable(
        {**SHOP, "tiers": tiers, "checklist": untiered})))
    unknown = [dict(items[0], tier="gold"), *items[1:]]
    assert "names tier 'gold'" in error_of(write(tmp_path, _portable(
        {**SHOP, "tiers": tiers, "checklist": unknown})))
    assert "none declared" in error_of(write(tmp_path, _portable({**SHOP, "checklist": items})))


def test_a_kata_sets_its_own_limits_and_the_command_line_wins(tmp_path):
    from grader.options import GradeOptions

    limits = {"time_seconds": 90, "request_seconds": 2, "memory_mb": 512}
    kata = load_kata_file(write(tmp_path, _portable({**SHOP, "limits": limits})))
    assert (kata.limits.time_seconds, kata.limits.request_seconds, kata.limits.memory_mb) == \
        (90, 2, 512)
    assert GradeOptions().time_limit(kata) == 90
    assert GradeOptions(timeout=30).time_limit(kata) == 30
    assert "limits.memory_mb" in error_of(write(tmp_path, {**SHOP, "limits": {"memory_mb": 1}}))
