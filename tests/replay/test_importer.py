"""Foreign cassettes (vcrpy, Ruby VCR, go-vcr, httprr, req_llm) import as sanitised genai-replay cassettes."""

from __future__ import annotations

import base64
import gzip
import json
import textwrap
import zlib
from pathlib import Path

import pytest

from replay._cassette import Body, BodyKind, Cassette
from replay._cassette_json import load_cassette
from replay._errors import CassetteError, CredentialLeakError, UnsupportedCassetteError
from replay._importer import (
    ImportReport,
    Skipped,
    import_cassettes,
    import_file,
    read_foreign_cassette,
)
from replay._player import Player
from replay._sanitiser import HeaderRule, Sanitiser

CORPUS = Path(__file__).parents[3] / "shared" / "corpus" / "real"
API_KEY = "AIza" + "C" * 35  # canary: shaped like a real key, never a real one
GEMINI = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash"
VERTEX = (
    "https://us-central1-aiplatform.googleapis.com/v1/projects/my-proj/locations/us-central1"
    "/publishers/google/models/gemini-2.5-flash"
)
ANSWER = {"candidates": [{"content": {"parts": [{"text": "Paris"}], "role": "model"}}]}


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def vcrpy(
    response_body: str,
    *,
    response_headers: str = "",
    uri: str = f"{GEMINI}:generateContent",
    content_type: str = "application/json; charset=UTF-8",
) -> str:
    """A one-interaction vcrpy cassette; `response_body` and `response_headers` are YAML lines.

    An empty `content_type` leaves the response without one, as some tools store it.
    """
    typed = f"Content-Type:\n- {content_type}\n" if content_type else ""
    headers = typed + "Date:\n- Tue, 07 Oct 2025 13:46:27 GMT\n" + textwrap.dedent(response_headers)
    return (
        textwrap.dedent(f"""\
        interactions:
        - request:
            body: '{{"contents": [{{"parts": [{{"text": "Capital of France?"}}]}}]}}'
            headers:
              Content-Type:
              - application/json
              X-Goog-Api-Key:
              - <filtered>
            method: post
            uri: {uri}
          response:
            headers:
        """)
        + textwrap.indent(headers, " " * 6)
        + textwrap.indent(textwrap.dedent(response_body), " " * 4)
        + "    status:\n      code: 200\n      message: OK\nversion: 1\n"
    )


def gzip_yaml(data: bytes) -> str:
    encoded = base64.encodebytes(gzip.compress(data)).decode()
    return "!!binary |\n" + textwrap.indent(encoded, "    ")


# --- vcrpy -------------------------------------------------------------------------------------


def test_vcrpy_plain_bodies_become_json_with_upper_case_methods_and_kept_headers(tmp_path: Path) -> None:
    path = write(tmp_path, "plain.yaml", vcrpy(f"body:\n  string: '{json.dumps(ANSWER)}'\n"))
    cassette = read_foreign_cassette(path)
    (interaction,) = cassette.interactions
    assert interaction.request.method == "POST"
    assert interaction.request.url == f"{GEMINI}:generateContent"
    assert interaction.request.headers == (("content-type", "application/json"),)
    assert interaction.request.body == Body(
        BodyKind.JSON, json={"contents": [{"parts": [{"text": "Capital of France?"}]}]}
    )
    assert interaction.response.status == 200
    assert interaction.response.headers == (("content-type", "application/json; charset=UTF-8"),)
    assert interaction.response.body == Body(BodyKind.JSON, json=ANSWER)


def test_meta_says_imported_from_the_format_never_recorded_by_us(tmp_path: Path) -> None:
    path = write(tmp_path, "plain.yaml", vcrpy(f"body:\n  string: '{json.dumps(ANSWER)}'\n"))
    meta = read_foreign_cassette(path).meta
    assert meta.client == "imported from vcrpy"
    assert meta.client_version == "1"
    assert meta.recorded_against == "imported"
    assert "genai" not in meta.client
    assert (meta.backend, meta.api_version) == ("gemini", "v1beta")
    assert meta.recorded_at == "2025-10-07T13:46:27Z"  # from the response's Date header


def test_gzip_binary_bodies_are_decoded_and_the_encoding_header_dropped(tmp_path: Path) -> None:
    body = "body:\n  string: " + gzip_yaml(json.dumps(ANSWER).encode())
    path = write(tmp_path, "gzip.yaml", vcrpy(body, response_headers="Content-Encoding:\n- gzip\n"))
    keep = Sanitiser((HeaderRule("content-encoding"),))
    (interaction,) = read_foreign_cassette(path, keep).interactions
    assert interaction.response.body == Body(BodyKind.JSON, json=ANSWER)
    assert "content-encoding" not in dict(interaction.response.headers)


def test_a_gzip_header_on_a_body_already_decoded_is_trusted_to_the_bytes(tmp_path: Path) -> None:
    body = f"body:\n  string: '{json.dumps(ANSWER)}'\n"
    path = write(tmp_path, "plain.yaml", vcrpy(body, response_headers="Content-Encoding:\n- gzip\n"))
    assert read_foreign_cassette(path).interactions[0].response.body == Body(BodyKind.JSON, json=ANSWER)


def test_deflate_bodies_are_inflated(tmp_path: Path) -> None:
    encoded = base64.b64encode(zlib.compress(json.dumps(ANSWER).encode())).decode()
    body = f"body:\n  string: !!binary {encoded}\n"
    path = write(tmp_path, "deflate.yaml", vcrpy(body, response_headers="Content-Encoding:\n- deflate\n"))
    assert read_foreign_cassette(path).interactions[0].response.body == Body(BodyKind.JSON, json=ANSWER)


def test_an_encoding_the_importer_cannot_decode_is_refused_with_the_fix(tmp_path: Path) -> None:
    body = "body:\n  string: !!binary " + base64.b64encode(b"\x8b\xff\x00\x91compressed").decode() + "\n"
    path = write(tmp_path, "br.yaml", vcrpy(body, response_headers="Content-Encoding:\n- br\n"))
    with pytest.raises(UnsupportedCassetteError, match=r"'br'.*decode_compressed_response") as caught:
        read_foreign_cassette(path)
    assert caught.value.cassette_path == path
    assert "interaction 0, response" in caught.value.reason


def test_pydantic_ai_parsed_bodies_are_json_and_dates_stay_text(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "parsed.yaml",
        """\
        interactions:
        - request:
            headers: {}
            method: POST
            parsed_body:
              displayName: store
            uri: https://generativelanguage.googleapis.com/v1beta/fileSearchStores
          response:
            headers:
              content-type:
              - application/json; charset=UTF-8
            parsed_body:
              createTime: 2025-11-28T21:53:11.611594Z
              name: fileSearchStores/abc
              sizes: {1: one}
            status:
              code: 200
              message: OK
        version: 1
        """,
    )
    (interaction,) = read_foreign_cassette(path).interactions
    assert interaction.request.body == Body(BodyKind.JSON, json={"displayName": "store"})
    assert interaction.response.body.json == {
        "createTime": "2025-11-28T21:53:11.611594Z",
        "name": "fileSearchStores/abc",
        "sizes": {"1": "one"},
    }


def test_event_streams_become_events_by_content_type_or_by_alt_sse(tmp_path: Path) -> None:
    events = 'body:\n  string: "data: {\\"n\\": 1}\\r\\n\\r\\ndata: {\\"n\\": 2}\\r\\n\\r\\n"\n'
    typed = vcrpy(events, uri=f"{GEMINI}:streamGenerateContent", content_type="text/event-stream")
    untyped = vcrpy(events, uri=f"{GEMINI}:streamGenerateContent?alt=sse", content_type="")
    for name, text in (("typed.yaml", typed), ("untyped.yaml", untyped)):
        body = read_foreign_cassette(write(tmp_path, name, text)).interactions[0].response.body
        assert body == Body(BodyKind.SSE, events=({"n": 1}, {"n": 2})), name


def test_a_json_error_on_a_streaming_url_stays_json(tmp_path: Path) -> None:
    error = {"error": {"code": 400, "message": "API key not valid.", "status": "INVALID_ARGUMENT"}}
    body = f"body:\n  string: '{json.dumps(error)}'\n"
    path = write(tmp_path, "error.yaml", vcrpy(body, uri=f"{GEMINI}:streamGenerateContent?alt=sse"))
    assert read_foreign_cassette(path).interactions[0].response.body == Body(BodyKind.JSON, json=error)


def test_old_vcrpy_httpx_responses_with_content_and_status_code_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "old.yaml",
        f"""\
        interactions:
        - request:
            body: null
            headers: {{}}
            method: GET
            uri: https://generativelanguage.googleapis.com/v1beta/models
          response:
            content: '{json.dumps({"models": []})}'
            headers: {{}}
            http_version: HTTP/1.1
            status_code: 200
        version: 1
        """,
    )
    (interaction,) = read_foreign_cassette(path).interactions
    assert interaction.request.body == Body()
    assert (interaction.response.status, interaction.response.body.json) == (200, {"models": []})


def test_aiohttp_case_insensitive_header_keys_are_read_as_plain_names(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "istr.yaml",
        f"""\
        interactions:
        - request:
            body: '{{}}'
            headers:
              ? !!python/object/apply:multidict._multidict.istr
              - Content-Type
              : - application/json
            method: POST
            uri: {GEMINI}:generateContent
          response:
            body:
              string: '{{}}'
            headers: {{}}
            status:
              code: 200
              message: OK
        version: 1
        """,
    )
    assert read_foreign_cassette(path).interactions[0].request.headers == (
        ("content-type", "application/json"),
    )


def test_python_object_tags_are_refused_not_built(tmp_path: Path) -> None:
    path = write(tmp_path, "evil.yaml", "interactions: !!python/object:collections.OrderedDict {a: 1}\n")
    with pytest.raises(UnsupportedCassetteError, match="cannot be read safely"):
        read_foreign_cassette(path)


# --- Ruby VCR ------------------------------------------------------------------------------------


def test_ruby_vcr_bodies_binary_tags_statuses_and_times_are_read(tmp_path: Path) -> None:
    binary = base64.b64encode(json.dumps({"text": "20 °C"}).encode()).decode()
    upload = base64.b64encode(b"\x00\x01mp3 bytes\xff").decode()
    path = write(
        tmp_path,
        "ruby.yml",
        f"""\
        ---
        http_interactions:
        - request:
            method: post
            uri: {GEMINI}:generateContent?key=TOKEN
            body:
              encoding: UTF-8
              string: '{{"contents":[]}}'
            headers: !ruby/object:Faraday::Utils::Headers
              Content-Type:
              - application/json
          response:
            status:
              code: 200
              message: OK
            headers:
              Content-Type:
              - application/json; charset=UTF-8
            body:
              encoding: ASCII-8BIT
              string: !binary |-
                {binary}
          recorded_at: Fri, 26 Jun 2026 11:29:03 GMT
        - request:
            method: post
            uri: https://generativelanguage.googleapis.com/upload/v1beta/files?upload_id=ABC123&upload_protocol=resumable
            body:
              encoding: ASCII-8BIT
              base64_string: {upload}
            headers: {{}}
          response:
            status:
              code: 404
              message: Not Found
            headers: {{}}
            body:
              encoding: UTF-8
              string: ''
          recorded_at: Fri, 26 Jun 2026 11:29:05 GMT
        recorded_with: VCR 6.4.0
        """,
    )
    cassette = read_foreign_cassette(path)
    first, second = cassette.interactions
    assert (first.request.method, first.request.url) == ("POST", f"{GEMINI}:generateContent?key=REDACTED")
    assert first.request.headers == (("content-type", "application/json"),)
    assert first.response.body == Body(BodyKind.JSON, json={"text": "20 °C"})
    assert second.request.url.endswith("upload_id=REDACTED&upload_protocol=resumable")
    assert second.request.body == Body(BodyKind.BYTES, data=b"\x00\x01mp3 bytes\xff")
    assert (second.response.status, second.response.body) == (404, Body())
    meta = cassette.meta
    assert (meta.client, meta.client_version) == ("imported from ruby-vcr", "VCR 6.4.0")
    assert meta.recorded_at == "2026-06-26T11:29:03Z"


def test_oauth_token_exchanges_are_scrubbed(tmp_path: Path) -> None:
    form = "grant_type=refresh_token&client_id=123.apps&client_secret=GOCSPX-canary9&refresh_token=canary-42"
    path = write(
        tmp_path,
        "token.yml",
        f"""\
        http_interactions:
        - request:
            method: post
            uri: https://oauth2.googleapis.com/token
            body:
              encoding: ASCII-8BIT
              string: {form}
            headers:
              Content-Type:
              - application/x-www-form-urlencoded
          response:
            status:
              code: 200
              message: OK
            headers:
              Content-Type:
              - application/json; charset=utf-8
            body:
              encoding: UTF-8
              string: '{{"access_token": "ya29.canary-access-token-0123456789", "expires_in": 3599}}'
        recorded_with: VCR 6.4.0
        """,
    )
    (interaction,) = read_foreign_cassette(path).interactions
    assert interaction.request.body == Body(
        BodyKind.TEXT,
        text="grant_type=refresh_token&client_id=123.apps&client_secret=REDACTED&refresh_token=REDACTED",
    )
    assert interaction.response.body.json == {"access_token": "REDACTED", "expires_in": 3599}


# --- go-vcr --------------------------------------------------------------------------------------


def test_go_vcr_v4_cassettes_are_read_and_vertex_is_detected_and_hidden(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "go.yaml",
        f"""\
        ---
        version: 2
        interactions:
        - id: 0
          request:
            proto: HTTP/1.1
            content_length: 14
            host: us-central1-aiplatform.googleapis.com
            body: |
              {{"contents":[]}}
            form:
              alt:
              - sse
            headers:
              Content-Type:
              - application/json
              User-Agent:
              - Charm-Fantasy/0.12.2
              - google-genai-sdk/1.49.0 gl-go/go1.26.1
            url: {VERTEX}:streamGenerateContent?alt=sse
            method: POST
          response:
            proto: HTTP/2.0
            content_length: -1
            uncompressed: true
            body: "data: {{\\"n\\": 1}}\\r\\n\\r\\n"
            headers:
              Content-Type:
              - text/event-stream
            status: 200 OK
            code: 200
            duration: 1.073018292s
        """,
    )
    cassette = read_foreign_cassette(path)
    (interaction,) = cassette.interactions
    assert interaction.request.url == (
        "https://LOCATION-aiplatform.googleapis.com/v1/projects/PROJECT/locations/LOCATION"
        "/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
    )
    assert interaction.response.body == Body(BodyKind.SSE, events=({"n": 1},))
    meta = cassette.meta
    assert (meta.client, meta.client_version, meta.backend, meta.api_version) == (
        "imported from go-vcr",
        "2",
        "vertex",
        "v1",
    )


def test_go_vcr_status_text_alone_is_enough(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "go1.yaml",
        f"""\
        version: 1
        interactions:
        - request:
            body: ""
            headers: {{}}
            url: {GEMINI}
            method: GET
          response:
            body: '{{"error": {{"code": 404}}}}'
            headers: {{}}
            status: 404 Not Found
        """,
    )
    assert read_foreign_cassette(path).interactions[0].response.status == 404


# --- httprr --------------------------------------------------------------------------------------


def httprr(*exchanges: tuple[bytes, bytes]) -> bytes:
    out = b"httprr trace v1\n"
    for request, response in exchanges:
        out += f"{len(request)} {len(response)}\n".encode() + request + response
    return out


HOST = "Host: generativelanguage.googleapis.com\r\n"


def raw_request(body: bytes, target: str = f"{GEMINI}:generateContent", host: str = "") -> bytes:
    head = (
        f"POST {target} HTTP/1.1\r\n{host}Content-Length: {len(body)}\r\nContent-Type: application/json\r\n"
    )
    return head.encode() + b"\r\n" + body


def test_httprr_traces_are_split_by_their_length_lines(tmp_path: Path) -> None:
    answer = json.dumps(ANSWER).encode()
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(answer), answer)
    stream = b'data: {"n": 1}\r\n\r\ndata: {"n": 2}\r\n\r\n'
    trace = httprr(
        (
            raw_request(b'{"contents":[]}', "/v1beta/models/gemini-2.5-flash:generateContent", host=HOST),
            b"HTTP/2.0 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + chunked,
        ),
        (
            raw_request(b"{}", f"{GEMINI}:streamGenerateContent?alt=sse"),
            b"HTTP/2.0 200 OK\r\nContent-Type: text/event-stream\r\nVary: Origin\r\nVary: X-Origin\r\n"
            b"Date: Fri, 20 Feb 2026 12:38:32 GMT\r\n\r\n" + stream,
        ),
    )
    cassette = read_foreign_cassette(write(tmp_path, "Test.httprr", trace))
    first, second = cassette.interactions
    assert first.request.url == f"{GEMINI}:generateContent"
    assert first.request.body == Body(BodyKind.JSON, json={"contents": []})
    assert first.response.body == Body(BodyKind.JSON, json=ANSWER)
    assert second.response.body == Body(BodyKind.SSE, events=({"n": 1}, {"n": 2}))
    assert (cassette.meta.client, cassette.meta.recorded_at) == (
        "imported from httprr",
        "2026-02-20T12:38:32Z",
    )


@pytest.mark.parametrize(
    ("trace", "message"),
    [
        (b"httprr trace v1\n12 x\n", "expected a line '<request length> <response length>'"),
        (b"httprr trace v1\n500 10\nPOST / HTTP/1.1\r\n\r\n", "truncated"),
        (httprr((b"POST\r\n\r\n", b"HTTP/1.1 200 OK\r\n\r\n")), "expected a request line"),
        (httprr((raw_request(b""), b"HTTP/1.1 200 OK\r\nno colon\r\n\r\n")), "has no colon"),
    ],
)
def test_broken_httprr_traces_say_where(tmp_path: Path, trace: bytes, message: str) -> None:
    with pytest.raises(UnsupportedCassetteError, match=message):
        read_foreign_cassette(write(tmp_path, "broken.httprr", trace))


# --- req_llm -------------------------------------------------------------------------------------


def test_req_llm_fixtures_with_base64_bodies_and_chunks_are_read(tmp_path: Path) -> None:
    sent = json.dumps({"contents": []}).encode()
    chunks = [b'[{"candidates": []}\n', b',\r\n{"usageMetadata": {}}\n]']
    fixture = {
        "captured_at": "2025-10-07T13:46:27.690170Z",
        "request": {
            "method": "post",
            "url": f"{GEMINI}:streamGenerateContent?key=%5BREDACTED%3Akey%5D",
            "headers": {"content-type": ["application/json"]},
            "body": {"b64": base64.b64encode(sent).decode(), "canonical_json": {"contents": []}},
        },
        "response": {"status": 200, "headers": {"content-type": "application/json"}, "body": None},
        "chunks": [{"b64": base64.b64encode(c).decode(), "decoded": c.decode()} for c in chunks],
    }
    path = write(tmp_path, "fixture.json", json.dumps(fixture))
    cassette = read_foreign_cassette(path)
    (interaction,) = cassette.interactions
    assert interaction.request.method == "POST"
    assert interaction.request.url == f"{GEMINI}:streamGenerateContent?key=REDACTED"
    assert interaction.request.body == Body(BodyKind.JSON, json={"contents": []})
    assert interaction.response.body == Body(BodyKind.JSON, json=[{"candidates": []}, {"usageMetadata": {}}])
    assert (cassette.meta.client, cassette.meta.recorded_at) == (
        "imported from req_llm",
        "2025-10-07T13:46:27Z",
    )


# --- what cannot be imported -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "ws.yaml",
            "version: 1\ninteractions:\n- kind: message\n  direction: sent\n  data: {}\n",
            "websocket",
        ),
        ("bad.yaml", "interactions: [\n  - {request: \n", "not valid YAML"),
        ("list.yaml", "- a\n- b\n", "not a cassette: the file holds a list"),
        ("compose.yml", "services:\n  web: {}\n", "not a cassette format the importer knows"),
        ("latin.yaml", b"interactions: \xff\xfe\x00\n", "YAML"),
        ("bad.json", "{not json", "not valid JSON"),
        ("ours.json", '{"format": "genai-replay/1", "interactions": []}', "already a genai-replay cassette"),
        (
            "nostatus.yaml",
            vcrpy("body: {string: ''}\n").replace("code: 200", "code: lots"),
            "response.status",
        ),
        ("nouri.yaml", "interactions:\n- request: {method: GET}\n  response: {status: {code: 200}}\n", "uri"),
        ("binary.yaml", "interactions:\n- request: !binary '%%%'\n", "not valid base64"),
        ("relative.yaml", vcrpy("body: {string: ''}\n", uri="/v1beta/models"), "not an absolute http"),
        ("ipv6.yaml", vcrpy("body: {string: ''}\n", uri="https://[::1/v1beta"), "not an absolute http"),
    ],
)
def test_what_cannot_be_imported_raises_one_error_naming_the_file(
    tmp_path: Path, name: str, text: str | bytes, message: str
) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(UnsupportedCassetteError, match=message) as caught:
        read_foreign_cassette(path)
    assert isinstance(caught.value, CassetteError)
    assert caught.value.cassette_path == path
    assert str(caught.value).startswith(f"{path}: cannot import it: ")


# --- credentials -------------------------------------------------------------------------------


def test_a_planted_api_key_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    leaked = {"candidates": [{"content": {"parts": [{"text": f"use {API_KEY}"}]}}]}
    src = write(tmp_path, "src/leak.yaml", vcrpy(f"body:\n  string: '{json.dumps(leaked)}'\n"))
    with pytest.raises(CredentialLeakError, match="AIza"):
        import_file(src, tmp_path / "out.json")
    report = import_cassettes(tmp_path / "src", tmp_path / "dst")
    assert report.imported == ()
    (skipped,) = report.skipped
    assert skipped.path == src
    assert "refused to write a cassette that still holds credentials" in skipped.reason
    assert not (tmp_path / "dst").exists() or not any((tmp_path / "dst").rglob("*.json"))


def test_keys_in_headers_and_queries_are_removed_and_echoes_of_them_refused(tmp_path: Path) -> None:
    text = vcrpy("body: {string: '{}'}\n", uri=f"{GEMINI}:generateContent?key={API_KEY}")
    clean = read_foreign_cassette(write(tmp_path, "query.yaml", text.replace("<filtered>", API_KEY)))
    assert clean.interactions[0].request.url == f"{GEMINI}:generateContent?key=REDACTED"
    echoed = vcrpy('body: {string: \'{"seen": "custom-key-0042"}\'}\n').replace(
        "<filtered>", "custom-key-0042"
    )
    with pytest.raises(CredentialLeakError, match="a credential seen while recording"):
        import_file(write(tmp_path, "echo.yaml", echoed), tmp_path / "echo.json")


def test_placeholders_left_by_foreign_tools_are_not_taken_for_credentials(tmp_path: Path) -> None:
    # The request's x-goog-api-key is `<filtered>`; a body that repeats the placeholder is no leak.
    text = vcrpy('body: {string: \'{"note": "<filtered>"}\'}\n')
    imported = import_file(write(tmp_path, "placeholder.yaml", text), tmp_path / "placeholder.json")
    assert imported.interactions == 1


# --- import_cassettes --------------------------------------------------------------------------


def test_a_folder_is_imported_keeping_relative_paths_and_every_other_file_is_reported(tmp_path: Path) -> None:
    src = tmp_path / "src"
    plain = vcrpy(f"body:\n  string: '{json.dumps(ANSWER)}'\n")
    write(src, "a/test_one.yaml", plain)
    write(src, "a/test_one.yml", plain)
    write(src, "b/Trace", httprr((raw_request(b"{}"), b"HTTP/1.1 200 OK\r\n\r\n{}")))
    write(src, "README.md", "# cassettes\n")
    write(src, ".git/config", "[core]\n")
    write(src, "broken.yaml", "- 1\n")
    dst = src / "imported"
    write(dst, "old.json", '{"format": "genai-replay/1", "interactions": []}')

    report = import_cassettes(src, dst)

    assert isinstance(report, ImportReport)
    assert [(i.source, i.destination, i.interactions, i.format) for i in report.imported] == [
        (src / "a/test_one.yaml", dst / "a/test_one.json", 1, "vcrpy"),
        (src / "b/Trace", dst / "b/Trace.json", 1, "httprr"),
    ]
    reasons = {s.path.relative_to(src).as_posix(): s.reason for s in report.skipped}
    assert set(reasons) == {".git", "imported", "README.md", "broken.yaml", "a/test_one.yml"}
    assert "hidden folder" in reasons[".git"]
    assert "destination folder" in reasons["imported"]
    assert "not a cassette file" in reasons["README.md"]
    assert "not a cassette" in reasons["broken.yaml"]
    assert "rename one of them" in reasons["a/test_one.yml"]
    assert all(isinstance(s, Skipped) for s in report.skipped)
    assert load_cassette(dst / "a/test_one.json").interactions[0].response.body.json == ANSWER


def test_a_single_file_goes_to_the_json_destination_or_into_the_folder(tmp_path: Path) -> None:
    src = write(tmp_path, "one.yaml", vcrpy(f"body:\n  string: '{json.dumps(ANSWER)}'\n"))
    assert import_cassettes(src, tmp_path / "named.json").imported[0].destination == tmp_path / "named.json"
    assert import_cassettes(src, tmp_path / "out").imported[0].destination == tmp_path / "out" / "one.json"
    assert import_file(src).destination is None
    assert (tmp_path / "named.json").exists()


def test_a_json_source_is_never_overwritten_by_its_import(tmp_path: Path) -> None:
    fixture = {"request": {"method": "GET", "url": GEMINI}, "response": {"status": 200, "body": {}}}
    src = write(tmp_path, "fixture.json", json.dumps(fixture))
    (skipped,) = import_cassettes(tmp_path, tmp_path).skipped
    assert (skipped.path, "would overwrite itself" in skipped.reason) == (src, True)
    assert json.loads(src.read_text()) == fixture


def test_a_missing_source_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CassetteError, match="no such file or folder"):
        import_cassettes(tmp_path / "nowhere", tmp_path / "dst")


def test_an_empty_cassette_imports_as_an_empty_one(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.yaml", "interactions: []\nversion: 1\n")
    assert read_foreign_cassette(path) == Cassette(meta=read_foreign_cassette(path).meta)


# --- the real corpus ---------------------------------------------------------------------------

# Files of the corpus that are not imported, and why:
NOT_IMPORTED = {
    # Not a cassette: the corpus's own index and notes.
    "INDEX.tsv": "not a cassette file",
    "SOURCES.md": "not a cassette file",
    # Websocket messages of the Live API, not HTTP exchanges: nothing a genai-replay cassette can hold.
    "pydantic__pydantic-ai/tests/realtime/cassettes/test_google_ws/test_tool_call_round.yaml": "websocket",
}


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared corpus of real cassettes is absent ({CORPUS})")
def test_every_cassette_of_the_real_corpus_imports_round_trips_and_replays(tmp_path: Path) -> None:
    rows = [line.split("\t") for line in (CORPUS / "INDEX.tsv").read_text().splitlines()[1:]]
    expected = {path: int(count) for path, _, _, count, *_ in rows}
    files = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file())

    report = import_cassettes(CORPUS, tmp_path)

    skipped = {s.path.relative_to(CORPUS).as_posix(): s.reason for s in report.skipped}
    assert set(skipped) == set(NOT_IMPORTED)
    for path, reason in NOT_IMPORTED.items():
        assert reason in skipped[path], path
    # Every file but those: all the corpus's cassettes except the websocket one.
    assert len(report.imported) == len(files) - len(NOT_IMPORTED)
    for imported in report.imported:
        source = imported.source.relative_to(CORPUS).as_posix()
        assert imported.interactions == expected[source], source
        assert imported.destination is not None
        # Written by save_clean (save_cassette), loaded back whole: the round trip loses nothing.
        cassette = load_cassette(imported.destination)
        assert cassette == read_foreign_cassette(imported.source), source
        assert len(cassette.interactions) == imported.interactions
        assert cassette.meta.client == f"imported from {imported.format}"
        player = Player(cassette)
        for interaction in cassette.interactions:
            assert player.play(interaction.request).response.status == interaction.response.status, source
