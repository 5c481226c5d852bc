"""A submission that breaks is still graded: what does not depend on the broken part keeps its
points, the rest says what broke, with the path relative to the workspace."""

from __future__ import annotations

from conftest import apply_patches

DEBUG = {"debug.find_user", "debug.history", "debug.edge_cases"}
API = {"backend.products_join", "backend.pagination", "backend.stock", "backend.transaction",
       "backend.errors"}


def by_id(card) -> dict:
    return {item.id: item for item in card.items}


def assert_untouched_items_keep_points(card, ids: set[str]) -> None:
    items = by_id(card)
    assert {i: items[i].earned for i in ids} == {i: items[i].points for i in ids}


def test_syntax_error_in_the_app(grade, reference):
    apply_patches(reference, [("app/main.py", "app = FastAPI(", "app = FastAPI((")])
    card = grade(reference, seed=2)
    assert_untouched_items_keep_points(card, DEBUG | {"backend.category"})
    for item_id in API:
        reason = by_id(card)[item_id].reason
        assert by_id(card)[item_id].earned == 0
        assert "SyntaxError" in reason and "app/main.py:" in reason, reason
        assert "kata-sb" not in reason, "the reason leaks the sandbox path"


def test_import_error_in_the_models(grade, reference):
    apply_patches(reference, [("app/models.py", "from app.database import Base",
                               "from app.database import Base\nimport no_such_module  # noqa")])
    card = grade(reference, seed=2)
    assert_untouched_items_keep_points(card, DEBUG)
    category = by_id(card)["backend.category"]
    assert category.earned == 0 and "no_such_module" in category.reason
    assert "app/models.py:" in by_id(card)["backend.errors"].reason
    assert card.durations["total"] < 20, "a broken import must not wait for the time limit"


def test_app_object_missing(grade, reference):
    with open(reference / "app/main.py", "a", encoding="utf-8") as main:
        main.write("\ndel app\n")
    card = grade(reference, seed=2)
    assert_untouched_items_keep_points(card, DEBUG | {"backend.category"})
    assert "no attribute 'app'" in by_id(card)["backend.stock"].reason


def test_tasks_module_missing(grade, reference):
    (reference / "tasks.py").unlink()
    card = grade(reference, seed=2)
    assert_untouched_items_keep_points(card, API | {"backend.category"})
    for item_id in DEBUG:
        assert by_id(card)[item_id].earned == 0
        assert "tasks" in by_id(card)[item_id].reason


def test_sys_exit_at_import_of_tasks(grade, reference):
    (reference / "tasks.py").write_text("import sys\nsys.exit(3)\n", encoding="utf-8")
    card = grade(reference, seed=2)
    assert_untouched_items_keep_points(card, API | {"backend.category"})
    assert "SystemExit" in by_id(card)["debug.find_user"].reason
