"""A rubric folder cannot make the loader read huge files or files outside it."""

from __future__ import annotations

from pathlib import Path

import yaml

from interviewer.rubric import RubricBank, load_rubrics
from interviewer.rubric.loader import MAX_RUBRIC_BYTES


def padded(data: dict, size: int) -> str:
    """The rubric as YAML, padded with a comment to exactly `size` bytes."""
    text = yaml.safe_dump(data, sort_keys=False)
    return text + "#" * (size - len(text.encode()))


def test_an_oversized_file_is_refused_and_the_others_load(tmp_path, write_rubric, rubric_data):
    write_rubric(padded(rubric_data, MAX_RUBRIC_BYTES), folder=tmp_path / "bank")
    big = write_rubric(padded({**rubric_data, "id": "big"}, MAX_RUBRIC_BYTES + 1), name="big.yaml", folder=tmp_path / "bank")
    result = load_rubrics([tmp_path / "bank"])
    assert list(result.rubrics) == ["toy-question"]
    [problem] = result.problems
    assert problem.file == str(big)
    assert problem.message == f"the file is {MAX_RUBRIC_BYTES + 1:,} bytes, more than the {MAX_RUBRIC_BYTES:,} allowed"
    assert problem.fix == "split the file or remove long pasted text"


def test_a_link_to_a_file_outside_is_refused_unread(tmp_path, write_rubric, rubric_data, monkeypatch):
    secret = tmp_path / "outside" / "secret.yaml"
    write_rubric("SECRET-TOKEN-42\n", name=secret.name, folder=secret.parent)
    write_rubric(rubric_data, folder=tmp_path / "bank")
    (tmp_path / "bank" / "evil.yaml").symlink_to(secret)
    read: list[Path] = []
    read_text = Path.read_text
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: read.append(self.resolve()) or read_text(self, *a, **k))
    monkeypatch.chdir(tmp_path)  # the target would be named relative to here if the link were resolved
    result = load_rubrics([Path("bank")])
    assert secret.resolve() not in read
    assert not any("SECRET-TOKEN-42" in str(p) for p in result.problems)
    assert [str(p) for p in result.problems] == [
        "bank/evil.yaml: is a link to a file outside the rubric folder. Fix: copy the file into the rubric folder instead."
    ]
    assert list(result.rubrics) == ["toy-question"]


def test_a_link_to_a_folder_outside_is_refused(tmp_path, write_rubric, rubric_data):
    write_rubric({**rubric_data, "id": "stolen"}, name="stolen.yaml", folder=tmp_path / "outside")
    write_rubric(rubric_data, folder=tmp_path / "bank")
    (tmp_path / "bank" / "shared").symlink_to(tmp_path / "outside", target_is_directory=True)
    result = load_rubrics([tmp_path / "bank"])
    [problem] = result.problems
    assert problem.file == str(tmp_path / "bank" / "shared")
    assert problem.message == "is a link to a folder outside the rubric folder"
    assert list(result.rubrics) == ["toy-question"]


def test_the_bank_only_shows_files_inside_its_folder(tmp_path, write_rubric, rubric_data):
    """The Coach tab shows a question's source from `path_of`: never a file reached by a link out."""
    write_rubric({**rubric_data, "id": "stolen"}, name="stolen.yaml", folder=tmp_path / "outside")
    root = tmp_path / "bank"
    write_rubric(rubric_data, folder=root)
    (root / "stolen.yaml").symlink_to(tmp_path / "outside" / "stolen.yaml")
    bank = RubricBank(root)
    assert list(bank.rubrics) == ["toy-question"]
    assert all(root.resolve() in bank.path_of(rubric_id).resolve().parents for rubric_id in bank.rubrics)
    assert [p.file for p in bank.problems] == [str(root / "stolen.yaml")]
    assert "stolen" in load_rubrics([root / "stolen.yaml"]).rubrics  # named explicitly, it is the user's choice


def test_a_link_inside_the_folder_loads_and_is_named_as_itself(tmp_path, write_rubric, rubric_data, monkeypatch):
    shared = tmp_path / "bank" / "shared"
    write_rubric(rubric_data, name="toy-question.txt", folder=shared)
    write_rubric({**rubric_data, "title": ""}, name="broken.txt", folder=shared)
    (tmp_path / "bank" / "toy-question.yaml").symlink_to(shared / "toy-question.txt")
    (tmp_path / "bank" / "broken.yaml").symlink_to(shared / "broken.txt")
    monkeypatch.chdir(tmp_path)
    bank = RubricBank(Path("bank"))
    assert bank.path_of("toy-question") == Path("bank/toy-question.yaml")
    assert {p.file for p in bank.problems} == {"bank/broken.yaml"}


def test_folder_link_loops_end(tmp_path, write_bank):
    root = write_bank()
    (root / "self").symlink_to(".", target_is_directory=True)
    (root / "quickfire" / "up").symlink_to("..", target_is_directory=True)
    (root / "loops" / "out").symlink_to(tmp_path, target_is_directory=True)  # loops back in through the parent
    result = load_rubrics([root])
    assert [p.name for p in result.files] == ["out", "toy-loop.yaml", "toy-set.yaml", "toy-question.yaml"]
    assert [p.message for p in result.problems] == ["is a link to a folder outside the rubric folder"]
    assert len(result.loops) == 1 and len(result.quick_fire_sets) == 1
