"""`kata grade --shard K/N` and `kata report merge`: N shards of a batch, merged, are the batch.

A batch of 12 mixed submissions (solved, unsolved, broken in several ways, archives) is graded
once whole, and as 1, 2 and 3 shards; the merged reports must say what the whole batch's say,
timings aside. Merging refuses any set of folders that is not exactly one batch's shards.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import apply_patches, with_alternative, zip_folder

from grader.batch import BatchOptions, grade_batch
from grader.errors import UserError
from grader.options import GradeOptions
from grader.reports.merge import merge_reports
from grader.sandbox.folder import source_hash
from grader.sharding import Shard

FORMATS = "json,junit,md,html,csv"
OPTIONS = GradeOptions(kata_id="shop-api", seed=8)


@pytest.fixture
def twelve(inbox: Path, reference: Path, starter: Path) -> Path:
    """The batch tests' four submissions and eight more, each scored differently or broken."""

    def variant(name: str, base: Path = reference) -> Path:
        return Path(shutil.copytree(base, inbox / name))

    apply_patches(variant("erin"), [("app/main.py", "app = FastAPI(", "app = FastAPI((")])
    (variant("frank") / "tasks.py").unlink()
    (variant("grace") / "tasks.py").write_text("import sys\nsys.exit(3)\n", encoding="utf-8")
    with_alternative(variant("heidi"), "core_join")
    with_alternative(variant("ivan"), "split_modules")
    apply_patches(variant("judy"), [("app/models.py", "from app.database import Base",
                                     "from app.database import Base\nimport no_such_module")])
    shutil.copy(reference / "tasks.py", variant("mallory", starter) / "tasks.py")
    zip_folder(inbox / "erin", inbox / "niaj.zip")
    assert len(list(inbox.iterdir())) == 12
    return inbox


def grade_into(inbox: Path, out: Path, shard: Shard | None = None) -> None:
    grade_batch([str(inbox / "*")], OPTIONS,
                BatchOptions(jobs=2, out=out, formats=FORMATS, shard=shard))


def without_timings(summary: dict[str, Any]) -> dict[str, Any]:
    for card in summary["cards"]:
        card.pop("durations")
        for item in card["items"]:
            for check in item["checks"]:
                check.pop("duration")
    return summary


def summary_json(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def test_shards_merged_equal_the_whole_batch(twelve: Path, tmp_path: Path) -> None:
    whole = tmp_path / "whole"
    grade_into(twelve, whole)
    expected = without_timings(summary_json(whole))
    assert expected["counts"]["submissions"] == 12
    assert len({card["score"] for card in expected["cards"]}) >= 5, "a batch of mixed scores"
    assert expected["batch"] == {"shard": None, "kata": "shop-api", "seed": 8,
                                 "formats": FORMATS.split(",")}
    for count in (1, 2, 3):
        shards = [tmp_path / f"of{count}" / f"shard-{index}" for index in range(1, count + 1)]
        for index, folder in enumerate(shards, 1):
            grade_into(twelve, folder, Shard(index, count))
        sizes = [summary_json(folder)["counts"]["submissions"] for folder in shards]
        assert sum(sizes) == 12 and (count == 1 or max(sizes) < 12), sizes
        merged = tmp_path / f"of{count}" / "merged"
        merge_reports(shards, merged)
        assert without_timings(summary_json(merged)) == expected, f"{count} shards"
        assert {path.name for path in merged.iterdir()} == {path.name for path in whole.iterdir()}
        for name in ("summary.md", "summary.csv"):  # they hold no timings
            assert (merged / name).read_text() == (whole / name).read_text(), name


def test_a_submission_lands_in_one_shard_whatever_its_path_or_order(twelve: Path,
                                                                    tmp_path: Path) -> None:
    paths = sorted(twelve.iterdir())
    moved = tmp_path / "elsewhere"
    shutil.copytree(twelve, moved)
    for count in (2, 3, 5):
        shards = [Shard(index, count) for index in range(1, count + 1)]
        for path in paths:
            holders = [shard for shard in shards if shard.holds(source_hash(path))]
            assert len(holders) == 1
            assert holders[0].select([moved / path.name], source_hash) == [moved / path.name]
        picked = [shards[0].select(order, source_hash) for order in (paths, paths[::-1])]
        assert set(picked[0]) == set(picked[1])


@pytest.mark.parametrize("text", ["0/3", "4/3", "3", "a/b", "1/0", "-1/2", ""])
def test_a_bad_shard_is_one_sentence_and_exit_2(text: str, tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "cli", "grade", str(tmp_path), "--shard", text],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.startswith("error: --shard") and len(result.stderr.splitlines()) == 1


@pytest.fixture(scope="module")
def cut(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shards 1..3 of a batch of the starter and two variants: cheap (the starter grades fast),
    and re-labelled below to make every kind of wrong set."""
    from grader.scaffold import start_workspace

    root = tmp_path_factory.mktemp("cut")
    starter = start_workspace("shop-api", root / "starter").path
    for number in range(3):
        folder = Path(shutil.copytree(starter, root / "inbox" / f"s{number}"))
        (folder / "notes.txt").write_text(str(number))
    for index in (1, 2, 3):
        grade_into(root / "inbox", root / f"shard-{index}", Shard(index, 3))
    return root


def relabel(folder: Path, **batch: Any) -> Path:
    summary = summary_json(folder)
    summary["batch"].update(batch)
    (folder / "summary.json").write_text(json.dumps(summary))
    return folder


@pytest.mark.parametrize(("change", "message"), [
    ({}, None),
    ({"shard": "2/3"}, r"^shard 2/3 is given twice: .*shard-2 and .*copy$"),
    ({"shard": "1/4"}, r"^these folders are shards of batches cut differently \(into 3 and 4\)$"),
    ({"kata": "word-count"}, r"^these shards graded different katas \(shop-api, word-count\)$"),
    ({"seed": 9}, r"^these shards graded with different seeds \(8, 9\): grade every shard "),
    ({"seed": None}, r"different seeds \(drawn per submission, 8\)"),
    ({"shard": None}, r"holds the reports of a whole batch, not of a shard"),
])
def test_merge_refuses_what_is_not_one_batch(cut: Path, tmp_path: Path,
                                             change: dict[str, Any], message: str | None) -> None:
    third = relabel(Path(shutil.copytree(cut / "shard-3", tmp_path / "copy")), **change)
    folders = [cut / "shard-1", cut / "shard-2", third]
    if message is None:  # the control: unchanged, the three merge
        assert len(merge_reports(folders, tmp_path / "merged").cards) == 3
        return
    with pytest.raises(UserError, match=message):
        merge_reports(folders, tmp_path / "merged")
    assert not (tmp_path / "merged").exists(), "nothing is written for a refused set"


def test_merge_refuses_a_missing_shard_and_a_folder_without_summary(cut: Path,
                                                                    tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"^shard 2 of 3 is missing: merge all 3$"):
        merge_reports([cut / "shard-1", cut / "shard-3"], tmp_path / "merged")
    with pytest.raises(UserError, match=r"has no summary.json: grade each shard with --out"):
        merge_reports([cut / "shard-1", cut / "starter"], tmp_path / "merged")


def test_report_merge_on_the_command_line(cut: Path, tmp_path: Path) -> None:
    kata = [sys.executable, "-m", "cli", "report", "merge"]
    shards = [str(cut / f"shard-{index}") for index in (1, 2, 3)]
    done = subprocess.run([*kata, *shards, "--out", str(tmp_path / "m"), "--json"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["submissions"] == 3
    assert (tmp_path / "m" / "summary.html").is_file()
    refused = subprocess.run([*kata, *shards[:2], "--out", str(tmp_path / "n")],
                             capture_output=True, text=True)
    assert refused.returncode == 2 and refused.stderr == (
        "error: shard 3 of 3 is missing: merge all 3\n")
