"""Cassette file names come from test ids: safe on every file system, short enough, never shared by accident."""

from __future__ import annotations

from pathlib import Path

import pytest

from replay._names import MAX_NAME_BYTES, cassette_path, safe_name

MODULE = Path("/project/tests/test_chat.py")


@pytest.mark.parametrize(
    ("nodeid", "expected"),
    [
        ("tests/test_chat.py::test_reply", "/project/tests/cassettes/test_chat/test_reply.json"),
        ("tests/test_chat.py::TestChat::test_reply[gemini-1]", "/project/tests/cassettes/test_chat/TestChat.test_reply[gemini-1].json"),
        ("tests/test_chat.py::test_path[a/b:c?*]", "/project/tests/cassettes/test_chat/test_path[a_b_c__].json"),
    ],
)  # fmt: skip
def test_default_name_is_module_folder_and_test_id(nodeid: str, expected: str) -> None:
    assert cassette_path(MODULE, nodeid, name=None, root=None) == Path(expected)


def test_a_given_name_is_shared_and_may_pick_a_folder() -> None:
    assert cassette_path(MODULE, "x::a", name="shared/chat", root=None) == Path(
        "/project/tests/cassettes/shared/chat.json"
    )
    assert cassette_path(MODULE, "x::a", name="chat.json", root=Path("/c")) == Path("/c/chat.json")
    assert cassette_path(MODULE, "x::a", name="../../etc/passwd", root=Path("/c")) == Path(
        "/c/_/_/etc/passwd.json"
    )


def test_long_names_are_cut_with_a_hash_so_they_stay_distinct() -> None:
    first, second = safe_name("test_x[" + "a" * 300 + "1]"), safe_name("test_x[" + "a" * 300 + "2]")
    assert first != second
    assert len(first.encode()) <= MAX_NAME_BYTES and len(second.encode()) <= MAX_NAME_BYTES


def test_multibyte_names_are_cut_on_a_character_boundary() -> None:
    name = safe_name("test_ünïcödé[" + "é" * 200 + "]")
    assert len(name.encode()) <= MAX_NAME_BYTES
    name.encode().decode("utf-8")
