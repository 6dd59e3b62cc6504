"""`json_changes` finds the deepest paths that differ, and the miss report and `diff` print them alike."""

from __future__ import annotations

from replay._cassette import Body, BodyKind, Cassette, Interaction, Request, Response
from replay._cassette_diff import diff_cassettes
from replay._diff import differences
from replay._json_diff import json_changes, render_path

URL = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash-001:generateContent"


def test_render_path_quotes_keys_that_are_not_plain_names() -> None:
    assert render_path(["contents", 0, "parts", 0, "text"]) == ".contents[0].parts[0].text"
    assert render_path(["a b", "x-y", "0"]) == '["a b"].x-y["0"]'


def test_json_changes_are_the_deepest_paths_in_path_order() -> None:
    old = {"b": 1, "a": {"x": 1, "y": 2}}
    new = {"b": 2, "a": {"z": 3, "y": 2}, "c": None}
    found = [(render_path(c.path), c.kind, c.is_added, c.is_removed) for c in json_changes(old, new)]
    assert found == [
        (".a.x", "dictionary_item_removed", False, True),
        (".a.z", "dictionary_item_added", True, False),
        (".b", "values_changed", False, False),
        (".c", "dictionary_item_added", True, False),
    ]


def test_the_miss_report_and_the_cassette_diff_write_a_path_alike() -> None:
    old, new = (Request("POST", URL, body=Body(BodyKind.JSON, json={"a b": [v]})) for v in (1, 2))
    assert differences(old, new) == ['body["a b"][0]: values changed 1 -> 2']
    cassettes = (Cassette((Interaction(r, Response(200)),)) for r in (old, new))
    assert 'request.body["a b"][0]: 1 → 2' in "\n".join(diff_cassettes(*cassettes).lines)
