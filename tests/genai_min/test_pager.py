"""`Pager` and `AsyncPager` over a fake list call: indexing, paging and iteration."""

from __future__ import annotations

import pytest

from genai_min._pager import AsyncPager, Page, Pager

PAGES: dict[str | None, Page[str]] = {
    None: (["a", "b"], "t1"),
    "t1": (["c", "d"], "t2"),
    "t2": (["e"], None),
}


class FakeList:
    """A list call that serves `PAGES` and remembers the tokens it was asked for."""

    def __init__(self, pages: dict[str | None, Page[str]] = PAGES) -> None:
        self.pages = pages
        self.tokens: list[str | None] = []

    def fetch(self, token: str | None) -> Page[str]:
        self.tokens.append(token)
        return self.pages[token]

    async def afetch(self, token: str | None) -> Page[str]:
        return self.fetch(token)

    def pager(self, page_size: int | None = None) -> Pager[str]:
        return Pager(self.fetch, self.fetch(None), page_size)

    async def async_pager(self, page_size: int | None = None) -> AsyncPager[str]:
        return AsyncPager(self.afetch, await self.afetch(None), page_size)


def test_indexing_and_len_see_the_current_page() -> None:
    pager = FakeList().pager()
    assert (pager[0], pager[1], pager[-1]) == ("a", "b", "b")
    assert len(pager) == 2
    assert pager.page == ["a", "b"]
    assert pager.next_page_token == "t1"
    with pytest.raises(IndexError):
        pager[2]


def test_page_size_is_the_size_asked_for() -> None:
    assert FakeList().pager(page_size=5).page_size == 5


def test_page_size_defaults_to_the_first_page_length() -> None:
    assert FakeList().pager().page_size == 2


def test_page_size_asked_for_survives_paging() -> None:
    pager = FakeList().pager(page_size=2)
    pager.next_page()
    pager.next_page()
    assert (len(pager), pager.page_size) == (1, 2)


def test_page_size_stays_the_first_page_length_after_paging() -> None:
    pager = FakeList().pager()
    pager.next_page()
    pager.next_page()
    assert len(pager) == 1
    assert pager.page_size == 2


def test_next_page_advances() -> None:
    fake = FakeList()
    pager = fake.pager()
    assert pager.next_page() == ["c", "d"]
    assert (pager[0], len(pager), pager.next_page_token) == ("c", 2, "t2")
    assert pager.next_page() == ["e"]
    assert (pager.page, pager.next_page_token) == (["e"], None)
    assert fake.tokens == [None, "t1", "t2"]


def test_next_page_after_the_last_page_raises_index_error() -> None:
    fake = FakeList()
    pager = fake.pager()
    pager.next_page()
    pager.next_page()
    with pytest.raises(IndexError, match="no more pages"):
        pager.next_page()
    assert pager.page == ["e"]
    assert fake.tokens == [None, "t1", "t2"]


def test_empty_token_means_last_page() -> None:
    fake = FakeList({None: (["only"], "")})
    pager = fake.pager()
    assert list(pager) == ["only"]
    with pytest.raises(IndexError):
        pager.next_page()
    assert fake.tokens == [None]


def test_iteration_yields_every_item_fetching_each_page_once() -> None:
    fake = FakeList()
    pager = fake.pager()
    assert fake.tokens == [None]
    assert list(pager) == ["a", "b", "c", "d", "e"]
    assert fake.tokens == [None, "t1", "t2"]


def test_iteration_fetches_lazily() -> None:
    fake = FakeList()
    items = iter(fake.pager())
    assert [next(items), next(items)] == ["a", "b"]
    assert fake.tokens == [None]
    assert next(items) == "c"
    assert fake.tokens == [None, "t1"]


def test_iteration_passes_over_empty_pages() -> None:
    fake = FakeList({None: ([], "t1"), "t1": ([], "t2"), "t2": (["z"], None)})
    assert list(fake.pager()) == ["z"]
    assert fake.tokens == [None, "t1", "t2"]


@pytest.mark.anyio
async def test_async_indexing_len_and_page_size() -> None:
    pager = await FakeList().async_pager()
    assert (pager[0], pager[-1], len(pager)) == ("a", "b", 2)
    assert pager.page_size == 2
    assert (await FakeList().async_pager(page_size=5)).page_size == 5


@pytest.mark.anyio
async def test_async_next_page_advances_then_raises() -> None:
    fake = FakeList()
    pager = await fake.async_pager()
    assert await pager.next_page() == ["c", "d"]
    assert (pager[1], len(pager)) == ("d", 2)
    assert await pager.next_page() == ["e"]
    with pytest.raises(IndexError, match="no more pages"):
        await pager.next_page()
    assert fake.tokens == [None, "t1", "t2"]


@pytest.mark.anyio
async def test_async_iteration_yields_every_item_fetching_each_page_once() -> None:
    fake = FakeList()
    pager = await fake.async_pager()
    items = [item async for item in pager]
    assert items == ["a", "b", "c", "d", "e"]
    assert fake.tokens == [None, "t1", "t2"]
