"""Fuzz the server-sent-event parser: chunk boundaries never change the events, bad bytes never crash.

Valid streams are generated with every framing the SSE format allows (CRLF, LF or CR line endings,
comments, ``event:``/``id:``/``retry:`` fields, events spread over several ``data:`` lines, a BOM, no
blank line after the last event, a bare JSON error at the end) and cut into chunks anywhere, even
inside a CRLF or a UTF-8 sequence. They go through `decode_sse` (bytes in, events out) and through
`Transport.stream`, the path `models.generate_content_stream` takes. Arbitrary bytes may only raise
`genai_min`'s documented errors.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import genai_min
from genai_min import GenAIError, HttpRequest
from genai_min._sse import SseDecoder, adecode_sse, decode_sse
from tests.reliability.conftest import Tally

FUZZ = settings.get_profile("reliability")

LINE_BREAKERS = "\u2028\u2029\x85"
"""Characters JSON may hold unescaped, at which `str.splitlines` (and httpx's iter_lines) breaks lines."""

# -- strategies --------------------------------------------------------------------------------------


def texts(*, is_httpx_safe: bool) -> st.SearchStrategy[str]:
    excluded = LINE_BREAKERS if is_httpx_safe else ""
    return st.text(st.characters(codec="utf-8", exclude_characters=excluded), max_size=12)


def events(text: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
    """Event objects; an ``error`` object would be a stream error, so that key is left out."""
    scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    values = st.recursive(
        scalars | text,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
        max_leaves=8,
    )
    return st.dictionaries(text.filter(lambda k: k != "error"), values, max_size=4)


TEXTS = {safe: texts(is_httpx_safe=safe) for safe in (False, True)}
EVENTS = {safe: events(TEXTS[safe]) for safe in (False, True)}


@dataclass(frozen=True)
class Stream:
    """A generated event stream: its bytes, the events it carries, and the error it ends with."""

    body: bytes
    events: list[dict[str, Any]]
    error: dict[str, Any] | None


EXTRA_LINES = [": keep-alive", ":", "event: message", "event:", "id: 17", "id", "retry: 1000"]


@st.composite
def streams(draw: st.DrawFn, *, is_httpx_safe: bool = False) -> Stream:
    """Valid streams; `is_httpx_safe` leaves out what httpx's line splitting gets wrong (see below)."""
    text = TEXTS[is_httpx_safe]
    carried = draw(st.lists(EVENTS[is_httpx_safe], max_size=5))
    end = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    lines: list[str] = []

    def extras() -> None:
        lines.extend(draw(st.lists(st.sampled_from(EXTRA_LINES), max_size=2)))

    for event in carried:
        extras()
        is_pretty, is_ascii, prefix = draw(
            st.tuples(st.booleans(), st.booleans(), st.sampled_from(["data: ", "data:"]))
        )
        payload = json.dumps(event, indent=2 if is_pretty else None, ensure_ascii=is_ascii)
        pieces = payload.split("\n")
        if len(pieces) > 1 and draw(st.booleans()):  # a field or comment between two data lines
            pieces.insert(1, draw(st.sampled_from(EXTRA_LINES)))
        lines.extend(piece if piece in EXTRA_LINES else prefix + piece for piece in pieces)
        lines.append("")
    error = None
    if draw(st.booleans()):
        code = draw(st.sampled_from([400, 429, 500, 503]))
        error = {"error": {"code": code, "message": draw(text), "status": "X"}}
        lines.extend(json.dumps(error, indent=2).split("\n"))
    elif lines and draw(st.booleans()):
        lines.pop()  # no blank line after the last event: the end of the body ends it
    extras()
    bom = "\ufeff" if not is_httpx_safe and draw(st.integers(0, 9)) == 0 else ""
    body = (bom + "".join(line + end for line in lines)).encode("utf-8")
    return Stream(body, carried, error)


@st.composite
def chunkings(draw: st.DrawFn, body: bytes) -> list[bytes]:
    """Cut `body` anywhere: inside CRLFs and UTF-8 sequences, into empty and single-byte chunks."""
    if draw(st.integers(0, 9)) == 0:
        return [body[i : i + 1] for i in range(len(body))]
    cuts = sorted(draw(st.lists(st.integers(0, len(body)), max_size=12)))
    edges = [0, *cuts, len(body)]
    return [body[a:b] for a, b in itertools.pairwise(edges)]


# -- helpers -----------------------------------------------------------------------------------------


def collect(source: Iterable[dict[str, Any]]) -> tuple[list[dict[str, Any]], GenAIError | None]:
    """Take events until the end or a documented error; return both."""
    got: list[dict[str, Any]] = []
    try:
        for event in source:
            got.append(event)
    except GenAIError as exc:
        return got, exc
    return got, None


async def acollect(chunks: list[bytes]) -> tuple[list[dict[str, Any]], GenAIError | None]:
    async def source() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk

    got: list[dict[str, Any]] = []
    try:
        async for event in adecode_sse(source()):
            got.append(event)
    except GenAIError as exc:
        return got, exc
    return got, None


def check(stream: Stream, got: list[dict[str, Any]], error: GenAIError | None) -> None:
    assert got == stream.events
    if stream.error is None:
        assert error is None, f"unexpected {error!r}"
    else:
        assert isinstance(error, genai_min.APIError), f"expected the stream's error, got {error!r}"
        assert error.code == stream.error["error"]["code"]
        assert error.message == stream.error["error"]["message"]


class ChunkedService:
    """A stub service that answers every request with the next body, cut into the given chunks."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.transport = genai_min.Transport(api_key="test-key", transport=httpx.MockTransport(self.handle))

    def handle(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=iter(self.chunks))

    def stream(self, chunks: list[bytes]) -> Iterator[dict[str, Any]]:
        self.chunks = chunks
        request = HttpRequest(
            "POST",
            "models/gemini-2.0-flash-001:streamGenerateContent",
            (("alt", "sse"),),
            json={},
            is_stream=True,
        )
        return self.transport.stream(request)


@pytest.fixture(scope="module")
def service() -> Iterator[ChunkedService]:
    stub = ChunkedService()
    with stub.transport:
        yield stub


# -- valid streams, any chunking ---------------------------------------------------------------------

CRLF_SPLIT = Stream(b'data: {"n": 1}\r\n\r\ndata: {"n": 2}\r\n\r\n', [{"n": 1}, {"n": 2}], None)
FIELDS = Stream(b'event: message\nid: 1\nretry: 10\ndata: {"n": 1}\n\n', [{"n": 1}], None)
U2028 = Stream('data: {"t": "a\u2028b"}\n\n'.encode(), [{"t": "a\u2028b"}], None)
U2029 = Stream('data: {"t": "a\u2029b"}\n\n'.encode(), [{"t": "a\u2029b"}], None)
NEL = Stream('data: {"t": "a\x85b"}\n\n'.encode(), [{"t": "a\x85b"}], None)
BOM = Stream(b'\xef\xbb\xbfdata: {"n": 1}\r\r', [{"n": 1}], None)


@settings(FUZZ, max_examples=200)
@given(data=st.data(), stream=streams())
@example(data=None, stream=CRLF_SPLIT).via("a CR and its LF in different chunks")
@example(data=None, stream=FIELDS).via("event:, id: and retry: raised ResponseError")
@example(data=None, stream=U2028).via("U+2028 unescaped inside a JSON string")
@example(data=None, stream=BOM).via("a byte-order mark and CR line endings")
def test_decode_sse_gives_the_same_events_whatever_the_chunks(
    reliability_tally: Tally, data: st.DataObject | None, stream: Stream
) -> None:
    chunks = data.draw(chunkings(stream.body)) if data else [stream.body[:17], stream.body[17:]]
    with reliability_tally.fuzzing():
        got, error = collect(decode_sse(chunks))
    check(stream, got, error)


@settings(FUZZ, max_examples=40)
@given(data=st.data(), stream=streams())
def test_adecode_sse_gives_the_same_events_whatever_the_chunks(
    reliability_tally: Tally, data: st.DataObject, stream: Stream
) -> None:
    chunks = data.draw(chunkings(stream.body))
    with reliability_tally.fuzzing():
        got, error = asyncio.run(acollect(chunks))
    check(stream, got, error)


@settings(FUZZ, max_examples=100)
@given(data=st.data(), stream=streams(is_httpx_safe=True))
@example(data=None, stream=CRLF_SPLIT)
@example(data=None, stream=FIELDS)
def test_transport_stream_gives_the_same_events_whatever_the_chunks(
    service: ChunkedService, reliability_tally: Tally, data: st.DataObject | None, stream: Stream
) -> None:
    chunks = data.draw(chunkings(stream.body)) if data else [stream.body[:17], stream.body[17:]]
    with reliability_tally.fuzzing():
        got, error = collect(service.stream(chunks))
    check(stream, got, error)


@pytest.mark.parametrize("stream", [U2028, U2029, NEL, BOM], ids=["U+2028", "U+2029", "U+0085", "BOM"])
def test_transport_stream_frames_lines_as_the_sse_format_says(
    service: ChunkedService, stream: Stream
) -> None:
    assert list(service.stream([stream.body])) == stream.events


# -- arbitrary bytes ---------------------------------------------------------------------------------

DEEP = b"data: " + b"[" * 100_000 + b"\n\n"


@settings(FUZZ, max_examples=150)
@given(data=st.data(), body=st.binary(max_size=300) | streams().map(lambda s: s.body[: len(s.body) // 2]))
@example(data=None, body=DEEP).via("json.loads raised RecursionError")
@example(data=None, body=b"[" * 100_000 + b"]" * 100_000 + b"\n").via("a bare value nested too deeply")
@example(data=None, body=b"data: \xff\xfe{\n\n")
def test_arbitrary_bytes_raise_only_documented_errors(
    service: ChunkedService, reliability_tally: Tally, data: st.DataObject | None, body: bytes
) -> None:
    chunks = data.draw(chunkings(body)) if data else [body]
    with reliability_tally.fuzzing(GenAIError):
        collect(decode_sse(chunks))
    with reliability_tally.fuzzing(GenAIError):
        collect(service.stream(chunks))


@settings(FUZZ, max_examples=150)
@given(
    lines=st.lists(
        st.text(max_size=30) | st.sampled_from(["{", "}", "[", "]", "", "data: {", '"}']), max_size=8
    )
)
def test_arbitrary_lines_raise_only_documented_errors(reliability_tally: Tally, lines: list[str]) -> None:
    decoder = SseDecoder()
    with reliability_tally.fuzzing(GenAIError):
        try:
            for line in lines:
                decoder.feed(line)
            decoder.close()
        except GenAIError:
            pass


def test_deeply_nested_data_is_a_response_error() -> None:
    with pytest.raises(genai_min.ResponseError, match="invalid JSON") as caught:
        list(decode_sse([DEEP]))
    assert "retry the request" in str(caught.value)
