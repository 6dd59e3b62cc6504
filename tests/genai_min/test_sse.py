"""`SseDecoder`, `decode_json_stream` and the whole-stream codec on their own: framing, errors, bad input."""

from __future__ import annotations

import json

import pytest

import genai_min
from genai_min._http import JSONObject
from genai_min._sse import SseDecoder, decode_json_stream, encode_event, parse_events


def feed_all(lines: list[str]) -> list[JSONObject]:
    """Feed `lines` one by one, then close; return every event in order."""
    decoder = SseDecoder()
    events = [e for line in lines if (e := decoder.feed(line)) is not None]
    if (last := decoder.close()) is not None:
        events.append(last)
    return events


def test_lf_framing() -> None:
    text = 'data: {"n": 1}\n\ndata: {"n": 2}\n\n'
    assert feed_all(text.splitlines()) == [{"n": 1}, {"n": 2}]


def test_crlf_framing() -> None:
    text = 'data: {"n": 1}\r\n\r\ndata: {"n": 2}\r\n\r\n'
    assert feed_all(text.splitlines()) == [{"n": 1}, {"n": 2}]


def test_crlf_framing_split_on_lf_only() -> None:
    # A reader that splits on "\n" leaves a "\r" on every line; the decoder must still frame events.
    text = 'data: {"n": 1}\r\n\r\ndata: {"n": 2}\r\n\r\n'
    assert feed_all(text.split("\n")) == [{"n": 1}, {"n": 2}]


def test_event_is_returned_by_the_blank_line() -> None:
    decoder = SseDecoder()
    assert decoder.feed('data: {"n": 1}') is None
    assert decoder.feed("") == {"n": 1}
    assert decoder.feed("") is None  # extra blank lines are not events
    assert decoder.close() is None


def test_multi_line_data_joined_with_newline() -> None:
    decoder = SseDecoder()
    assert decoder.feed('data: {"text":') is None
    assert decoder.feed('data:  "a"}') is None
    assert decoder.feed("") == {"text": "a"}
    # The join is a newline: a JSON string cannot span it, so the pieces must not be concatenated.
    with pytest.raises(genai_min.ResponseError):
        feed_all(['data: {"text": "a', 'data: b"}', ""])


def test_data_without_space() -> None:
    assert feed_all(['data:{"n": 1}', ""]) == [{"n": 1}]


def test_only_one_space_is_removed() -> None:
    decoder = SseDecoder()
    decoder.feed('data:   {"n": 1}')
    assert decoder.feed("") == {"n": 1}


def test_comment_lines_ignored() -> None:
    lines = [": keep-alive", 'data: {"n": 1}', ":another comment", "", ":", 'data: {"n": 2}', ""]
    assert feed_all(lines) == [{"n": 1}, {"n": 2}]


def test_final_event_without_blank_line_is_delivered_by_close() -> None:
    decoder = SseDecoder()
    assert decoder.feed('data: {"n": 1}') is None
    assert decoder.close() == {"n": 1}
    assert decoder.close() is None


def test_close_on_empty_stream() -> None:
    assert SseDecoder().close() is None


def test_unexpected_line_is_a_response_error() -> None:
    with pytest.raises(genai_min.ResponseError, match="unexpected line"):
        SseDecoder().feed("garbage")


# -- bare JSON error objects ---------------------------------------------------------------------

BARE_ERROR = """{
  "error": {
    "code": 429,
    "message": "Resource exhausted {quota} [see \\"docs\\"] }}",
    "status": "RESOURCE_EXHAUSTED",
    "details": [
      {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "41s"}
    ]
  }
}"""


def test_bare_multi_line_error_raises_api_error() -> None:
    decoder = SseDecoder()
    assert decoder.feed('data: {"n": 1}') is None
    assert decoder.feed("") == {"n": 1}
    lines = BARE_ERROR.splitlines()
    for line in lines[:-1]:
        assert decoder.feed(line) is None  # braces inside strings do not close the object early
    with pytest.raises(genai_min.APIError) as caught:
        decoder.feed(lines[-1])
    error = caught.value
    assert isinstance(error, genai_min.ClientError)
    assert (error.code, error.status) == (429, "RESOURCE_EXHAUSTED")
    assert error.message == 'Resource exhausted {quota} [see "docs"] }}'
    assert error.details == json.loads(BARE_ERROR)


def test_bare_server_error_in_crlf_stream() -> None:
    text = '{\r\n  "error": {"code": 503, "message": "overloaded", "status": "UNAVAILABLE"}\r\n}\r\n'
    with pytest.raises(genai_min.ServerError) as caught:
        feed_all(text.split("\n"))
    assert (caught.value.code, caught.value.status) == (503, "UNAVAILABLE")


def test_bare_object_with_blank_line_inside() -> None:
    assert feed_all(["{", "", '"n": 1', "}"]) == [{"n": 1}]


def test_stream_ending_inside_bare_json_is_a_response_error() -> None:
    decoder = SseDecoder()
    decoder.feed("{")
    decoder.feed('  "error": {"code": 429')
    with pytest.raises(genai_min.ResponseError, match="ended inside"):
        decoder.close()


# -- data errors -----------------------------------------------------------------------------------


def test_data_error_event_raises_with_its_code() -> None:
    event = {"error": {"code": 400, "message": "bad", "status": "INVALID_ARGUMENT"}}
    with pytest.raises(genai_min.ClientError) as caught:
        feed_all([f"data: {json.dumps(event)}", ""])
    assert (caught.value.code, caught.value.status, caught.value.message) == (400, "INVALID_ARGUMENT", "bad")
    assert caught.value.details == event


def test_error_event_without_code_is_a_server_error() -> None:
    with pytest.raises(genai_min.ServerError) as caught:
        feed_all(['data: {"error": {"message": "boom"}}', ""])
    assert caught.value.code == 500
    assert caught.value.message == "boom"


def test_invalid_json_is_a_response_error() -> None:
    with pytest.raises(genai_min.ResponseError, match="invalid JSON") as caught:
        feed_all(['data: {"n": 1', ""])
    assert caught.value.body == b'{"n": 1'
    assert not isinstance(caught.value, genai_min.APIError)


@pytest.mark.parametrize("payload", ["42", '"text"', "null", "[1, 2]", "[]", '[{"n": 1}, {"n": 2}]'])
def test_non_object_event_is_a_response_error(payload: str) -> None:
    with pytest.raises(genai_min.ResponseError, match="not a JSON object"):
        feed_all([f"data: {payload}", ""])


def test_one_element_list_is_unwrapped() -> None:
    assert feed_all(['data: [{"n": 1}]', ""]) == [{"n": 1}]


def test_one_element_list_with_error_raises() -> None:
    with pytest.raises(genai_min.ServerError) as caught:
        feed_all(['data: [{"error": {"code": 500, "status": "INTERNAL"}}]', ""])
    assert caught.value.status == "INTERNAL"


def test_bare_one_element_list_is_unwrapped() -> None:
    assert feed_all(["[", '  {"n": 1}', "]"]) == [{"n": 1}]


# -- decode_json_stream ----------------------------------------------------------------------------


def test_json_stream_array() -> None:
    content = b'[{"n": 1},\n{"n": 2},\n{"n": 3}]'
    assert decode_json_stream(content) == [{"n": 1}, {"n": 2}, {"n": 3}]


def test_json_stream_single_object() -> None:
    assert decode_json_stream(b'{"n": 1}') == [{"n": 1}]


def test_json_stream_empty_array() -> None:
    assert decode_json_stream(b"[]") == []


def test_json_stream_error_element_raises() -> None:
    content = b'[{"n": 1}, {"error": {"code": 429, "message": "quota", "status": "RESOURCE_EXHAUSTED"}}]'
    with pytest.raises(genai_min.ClientError) as caught:
        decode_json_stream(content)
    assert (caught.value.code, caught.value.message) == (429, "quota")


def test_json_stream_invalid_json() -> None:
    with pytest.raises(genai_min.ResponseError, match="invalid JSON"):
        decode_json_stream(b'[{"n": 1}')


def test_json_stream_non_object_element() -> None:
    with pytest.raises(genai_min.ResponseError, match="not a JSON object"):
        decode_json_stream(b'[{"n": 1}, 2]')


def test_encode_event_frames_compact_json_with_crlf() -> None:
    assert encode_event({"a": [1, "é"]}) == 'data: {"a":[1,"é"]}\r\n\r\n'.encode()


def test_encode_event_keeps_a_lone_surrogate_as_an_escape() -> None:
    assert encode_event({"t": "\ud800"}) == b'data: {"t":"\\ud800"}\r\n\r\n'


def test_parse_events_takes_back_what_encode_event_frames() -> None:
    events = ({"n": 1}, {"n": [2, "\u2028"]})
    assert parse_events(b"".join(map(encode_event, events))) == events


@pytest.mark.parametrize(
    "content",
    [
        b"data: {}\r\n\r\n: keep-alive\r\n\r\n",
        b"data:{}\n\n",
        b"data: {\n\n",
        b"event: x\ndata: {}\n\n",
        b"\xff",
    ],
)
def test_parse_events_refuses_anything_but_data_lines_of_json(content: bytes) -> None:
    assert parse_events(content) is None
