"""``sphinx_partnerships.sources.read_data_file``: entries, their lines, and errors.

Every entry must remember the line it starts on, in every format, so that a
warning about it points at ``path/to/file:LINE``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from sphinx_partnerships.sources import DataFile, read_data_file


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def lines(data: DataFile) -> list[int]:
    assert data.error is None, data.error
    return [entry.line for entry in data.entries]


# -- YAML -------------------------------------------------------------------------------


def test_yaml_mapping_entries_keep_their_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "activities.yaml",
        "# A comment first\n"  # 1
        "\n"  # 2
        "activities:\n"  # 3
        "  - date: 2022-06-23\n"  # 4
        "    text: First.\n"  # 5
        "\n"  # 6
        "  # between entries\n"  # 7
        "\n"  # 8
        "  - date: 2021\n"  # 9
        "    text: |\n"  # 10
        "      Second,\n"  # 11
        "      over lines.\n"  # 12
        "  -\n"  # 13
        "    date: 2020-01\n"  # 14
        "    text: Third, its mapping on the next line.\n",  # 15
    )
    data = read_data_file(path, "activities")
    assert lines(data) == [4, 9, 14]
    first, second, third = (entry.fields for entry in data.entries)
    # YAML dates and integers arrive as such; validation accepts them
    assert first == {"date": dt.date(2022, 6, 23), "text": "First."}
    assert second == {"date": 2021, "text": "Second,\nover lines.\n"}
    assert third["date"] == "2020-01"
    # a list written as text is split on commas, as in a directive's options
    assert data.list_separator == ","


def test_yaml_bare_list(tmp_path: Path) -> None:
    path = write(tmp_path, "cards.yml", "- image: a.png\n  alt: A\n- image: b.png\n  alt: B\n")
    data = read_data_file(path, "cards")
    assert lines(data) == [1, 3]
    assert [entry.fields["image"] for entry in data.entries] == ["a.png", "b.png"]


def test_yaml_flow_entries_on_one_line_each(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "awards.yaml",
        "awards:\n  - {name: A, date: 2020}\n  - {name: B, date: 2021}\n",
    )
    assert lines(read_data_file(path, "awards")) == [2, 3]


def test_yaml_impossible_date_stays_text_for_its_entry(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "activities.yaml",
        "- date: 2022-02-30\n  text: Impossible.\n- date: 2022-02-28\n  text: Fine.\n",
    )
    data = read_data_file(path, "activities")
    assert lines(data) == [1, 3]
    assert data.entries[0].fields["date"] == "2022-02-30"
    assert data.entries[1].fields["date"] == dt.date(2022, 2, 28)


def test_yaml_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.yaml", "activities:\n  - date: 2022\n    text: Été\n", "utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    data = read_data_file(path, "activities")
    assert lines(data) == [2]
    assert data.entries[0].fields["text"] == "Été"


def test_yaml_syntax_error_has_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "broken.yaml",
        "activities:\n  - date: 2022\n    text: Fine.\n  - date: 2022\n   text: Bad indent.\n",
    )
    data = read_data_file(path, "activities")
    assert data.entries == ()
    assert data.error is not None
    assert "is not valid YAML" in data.error
    assert data.error_line == 5


def test_yaml_tag_with_an_impossible_value_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = write(tmp_path, "tagged.yaml", "- date: !!int twenty\n  text: Tagged.\n")
    data = read_data_file(path, "activities")
    assert data.entries == ()
    assert data.error is not None
    assert "YAML" in data.error


def test_yaml_python_tags_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "unsafe.yaml", "- !!python/object/apply:os.system ['true']\n")
    data = read_data_file(path, "activities")
    assert data.entries == ()
    assert data.error is not None
    assert data.error_line == 1


# -- JSON -------------------------------------------------------------------------------


def test_json_objects_spread_over_lines_keep_their_first_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "awards.json",
        "{\n"  # 1
        '  "awards": [\n'  # 2
        "    {\n"  # 3
        '      "name": "First",\n'  # 4
        '      "date": "2020",\n'  # 5
        '      "extra": {"nested": "object"}\n'  # 6
        "    },\n"  # 7
        '    {"name": "Second", "date": "2021"},\n'  # 8
        "\n"  # 9
        "    {\n"  # 10
        '      "name": "Third", "date": "2022"}\n'  # 11
        "  ]\n"  # 12
        "}\n",  # 13
    )
    data = read_data_file(path, "awards")
    assert lines(data) == [3, 8, 10]
    assert data.entries[0].fields["extra"] == {"nested": "object"}


def test_json_bare_list_and_several_objects_per_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "cards.json",
        '[{"image": "a.png"}, {"image": "b.png"},\n {"image": "c.png"}]\n',
    )
    assert lines(read_data_file(path, "cards")) == [1, 1, 2]


def test_json_with_a_byte_order_mark(tmp_path: Path) -> None:
    text = json.dumps([{"date": "2022", "text": "Ünïcode"}], ensure_ascii=False, indent=2)
    path = write(tmp_path, "bom.json", text, "utf-8-sig")
    data = read_data_file(path, "activities")
    assert lines(data) == [2]
    assert data.entries[0].fields["text"] == "Ünïcode"


def test_json_syntax_error_has_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.json", '[\n  {"date": "2022"},\n  {"date": }\n]\n')
    data = read_data_file(path, "activities")
    assert data.entries == ()
    assert data.error is not None
    assert "is not valid JSON" in data.error
    assert data.error_line == 3


def test_json_nested_absurdly_deep_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)
    data = read_data_file(path, "activities")
    assert data.entries == ()
    assert data.error is not None
    assert "JSON" in data.error


# -- CSV --------------------------------------------------------------------------------


def test_csv_rows_keep_their_lines_also_after_multi_line_records(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "activities.csv",
        "date,text,partners\n"  # 1
        '2022-06,"A text\n'  # 2
        "over three\n"  # 3
        'lines",Japan; Malaysia\n'  # 4
        "\n"  # 5: blank, skipped
        "2021,Plain row,\n"  # 6
        ",,\n"  # 7: only empty cells, skipped
        '2020,"Quoted, with a comma",Korea\n',  # 8
    )
    data = read_data_file(path, "activities")
    assert lines(data) == [2, 6, 8]
    first, second, third = (entry.fields for entry in data.entries)
    assert first == {
        "date": "2022-06",
        "text": "A text\nover three\nlines",
        "partners": "Japan; Malaysia",
    }
    # empty cells are absent fields
    assert second == {"date": "2021", "text": "Plain row"}
    assert third["text"] == "Quoted, with a comma"
    assert data.list_separator == ";"


def test_csv_with_a_byte_order_mark_and_windows_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("date,text\r\n2022,Café\r\n2021,Thé\r\n".encode("utf-8-sig"))
    data = read_data_file(path, "activities")
    assert lines(data) == [2, 3]
    # the mark is not part of the first column's name
    assert data.entries[0].fields == {"date": "2022", "text": "Café"}


def test_csv_row_with_too_many_cells_is_skipped_alone(tmp_path: Path) -> None:
    path = write(tmp_path, "wide.csv", 'date,text\n2022,"two\nlines"\n2021,Fine,extra\n2020,Last\n')
    data = read_data_file(path, "activities")
    assert [entry.line for entry in data.entries] == [2, 5]
    assert data.error is None
    (skipped,) = data.skipped
    assert skipped.line == 4
    assert skipped.text == "data file row has 3 cells for 2 columns; the row is skipped"


def test_csv_column_named_twice_keeps_the_first(tmp_path: Path) -> None:
    path = write(tmp_path, "twice.csv", "date,text,text\n2022,First,Second\n")
    data = read_data_file(path, "activities")
    assert data.entries[0].fields == {"date": "2022", "text": "First"}
    (skipped,) = data.skipped
    assert (skipped.key, skipped.line) == ("source-column-twice", 1)


def test_yaml_aliases_are_refused_at_their_line(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    data = read_data_file(write(tmp_path, "bomb.yaml", bomb + "activities: *b\n"), "activities")
    assert data.entries == ()
    assert data.failure is not None
    assert (data.failure.key, data.failure.line) == ("source-alias", 2)


def test_a_nul_byte_in_yaml_is_told_by_line(tmp_path: Path) -> None:
    data = read_data_file(write(tmp_path, "nul.yaml", "activities:\n  - date: 2022\x00\n"), "x")
    assert data.failure is not None
    assert data.failure.line == 2
    assert "is not allowed" in data.error


def test_a_huge_json_number_is_an_error_not_a_crash(tmp_path: Path) -> None:
    data = read_data_file(write(tmp_path, "big.json", '[{"date": ' + "9" * 5000 + "}]"), "x")
    assert data.failure is not None
    assert data.failure.key == "source-syntax"


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    data = read_data_file(fifo, "activities")  # would wait forever if opened
    assert data.failure is not None
    assert data.failure.key == "source-special"
    folder = tmp_path / "folder.json"
    folder.mkdir()
    assert read_data_file(folder, "activities").failure.key == "source-special"


def test_csv_header_names_are_stripped(tmp_path: Path) -> None:
    path = write(tmp_path, "spaced.csv", " image , alt \n/a.png,A\n")
    assert read_data_file(path, "cards").entries[0].fields == {"image": "/a.png", "alt": "A"}


def test_csv_with_only_a_header_has_no_entries(tmp_path: Path) -> None:
    data = read_data_file(write(tmp_path, "empty.csv", "date,text\n"), "activities")
    assert data == DataFile(list_separator=";")


# -- shapes and errors of any format ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("other.yaml", "# comment\nawards:\n  - name: A\n", 2),
        ("other.json", '\n\n{"awards": []}', 3),
    ],
)
def test_mapping_without_the_key_is_an_error_at_the_mapping(
    tmp_path: Path, name: str, text: str, line: int
) -> None:
    data = read_data_file(write(tmp_path, name, text), "activities")
    assert data.entries == ()
    assert data.error is not None
    assert "activities" in data.error
    assert data.error_line == line


def test_key_that_is_not_a_list_is_an_error(tmp_path: Path) -> None:
    data = read_data_file(write(tmp_path, "scalar.yaml", "cards: none\n"), "cards")
    assert data.error is not None
    assert "list" in data.error


def test_entries_that_are_not_mappings_are_marked_for_a_warning(tmp_path: Path) -> None:
    data = read_data_file(write(tmp_path, "scalars.yaml", "- just text\n- date: 2022\n"), "x")
    assert [entry.fields for entry in data.entries] == [{"<entry>": "just text"}, {"date": 2022}]
    assert data.entries[1].line == 2


@pytest.mark.parametrize("name", ["empty.yaml", "comments.yml"])
def test_empty_yaml_has_no_entries_and_no_error(tmp_path: Path, name: str) -> None:
    text = "" if name == "empty.yaml" else "# nothing yet\n"
    assert read_data_file(write(tmp_path, name, text), "cards") == DataFile()


def test_missing_file(tmp_path: Path) -> None:
    data = read_data_file(tmp_path / "nowhere.yaml", "activities")
    assert data.entries == ()
    assert data.error is not None
    assert "does not exist" in data.error
    assert data.error_line is None


def test_file_that_is_not_utf8_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("- text: caf\xe9\n".encode("latin-1"))
    data = read_data_file(path, "activities")
    assert data.entries == ()
    assert data.error is not None
    assert "cannot be read" in data.error


def test_unknown_format(tmp_path: Path) -> None:
    data = read_data_file(write(tmp_path, "data.toml", "x = 1\n"), "activities")
    assert data.error is not None
    assert ".toml" in data.error


def test_an_edited_file_is_read_again(tmp_path: Path) -> None:
    path = write(tmp_path, "cards.yaml", "- image: old.png\n")
    assert read_data_file(path, "cards").entries[0].fields["image"] == "old.png"
    # same size, and a modification time the cache has not seen
    path.write_text("- image: new.png\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert read_data_file(path, "cards").entries[0].fields["image"] == "new.png"
