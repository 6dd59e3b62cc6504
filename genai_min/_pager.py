"""Pagers over list calls: index the current page, step to the next, or iterate everything."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")

Page = tuple[list[T], str | None]
"""One page of items and the token of the next page (None on the last)."""


def page_query(page_size: int | None, page_token: str | None) -> list[tuple[str, str]]:
    """Return the query parameters that ask a list method for one page."""
    query: list[tuple[str, str]] = []
    if page_size is not None:
        query.append(("pageSize", str(page_size)))
    if page_token:
        query.append(("pageToken", page_token))
    return query


class _PagerBase(Generic[T]):
    def __init__(self, first: Page[T], page_size: int | None) -> None:
        self._page, self._next_token = first
        self._page_size = page_size if page_size is not None else len(self._page)

    @property
    def page(self) -> list[T]:
        """Return the items of the current page."""
        return self._page

    @property
    def page_size(self) -> int:
        """Return the page size asked for, or the size of the first page if none was."""
        return self._page_size

    @property
    def next_page_token(self) -> str | None:
        """Return the token of the next page, or None on the last page."""
        return self._next_token

    def __getitem__(self, index: int) -> T:
        return self._page[index]

    def __len__(self) -> int:
        return len(self._page)

    def _no_more_pages(self) -> IndexError:
        return IndexError("no more pages: this was the last one (next_page_token is empty)")


class Pager(_PagerBase[T]):
    """Pages of a list call; iterating yields every item, fetching pages as needed."""

    def __init__(self, fetch: Callable[[str | None], Page[T]], first: Page[T], page_size: int | None) -> None:
        super().__init__(first, page_size)
        self._fetch = fetch

    def next_page(self) -> list[T]:
        """Fetch the next page and make it current; raise `IndexError` after the last page."""
        if not self._next_token:
            raise self._no_more_pages()
        self._page, self._next_token = self._fetch(self._next_token)
        return self._page

    def __iter__(self) -> Iterator[T]:
        while True:
            yield from self._page
            if not self._next_token:
                return
            self.next_page()


class AsyncPager(_PagerBase[T]):
    """Async pages of a list call; ``async for`` yields every item, fetching pages as needed."""

    def __init__(
        self,
        fetch: Callable[[str | None], Awaitable[Page[T]]],
        first: Page[T],
        page_size: int | None,
    ) -> None:
        super().__init__(first, page_size)
        self._fetch = fetch

    async def next_page(self) -> list[T]:
        """Fetch the next page and make it current; raise `IndexError` after the last page."""
        if not self._next_token:
            raise self._no_more_pages()
        self._page, self._next_token = await self._fetch(self._next_token)
        return self._page

    async def __aiter__(self) -> AsyncIterator[T]:
        while True:
            for item in self._page:
                yield item
            if not self._next_token:
                return
            await self.next_page()
