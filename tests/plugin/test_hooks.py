"""before_record_request and before_record_response: vcrpy's hooks, on `replay.Request` and `replay.Response`.

A downstream project with no credentials records against the emulator with a hook, then replays
offline: the request hook shapes what is matched and what is recorded (or leaves a request alone),
the response hook shapes what is recorded, and the final credential scan still refuses a leak.
Each test goes through both ways in: the official SDK (intercepted through vcrpy) and the
fixture's own transport.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

HOOKS = """
import dataclasses
import os
from urllib.parse import urlsplit

from replay import Body, BodyKind


def without_seed(request):
    body = request.body.json
    if request.body.kind is not BodyKind.JSON or "seed" not in body.get("generationConfig", {}):
        return request
    config = {k: v for k, v in body["generationConfig"].items() if k != "seed"}
    return dataclasses.replace(request, body=Body(BodyKind.JSON, json={**body, "generationConfig": config}))


def not_localhost(request):
    return None if urlsplit(request.url).hostname == "localhost" else request


def leave_all_alone(request):
    return None


def edited(response):
    body = response.body.json
    if response.body.kind is BodyKind.JSON and "candidates" in body:
        body["candidates"][0]["content"]["parts"][0]["text"] = "edited"  # a copy: the caller's is untouched
    return response


def leaking(response):
    return dataclasses.replace(response, body=Body(BodyKind.JSON, json={"echo": os.environ["GOOGLE_API_KEY"]}))
"""

HOOK_TESTS = """
import json
import random

import httpx
import pytest
from google import genai
from google.genai import types

from genai_min import models
from hooks import edited, leave_all_alone, leaking, not_localhost, without_seed

MODEL = "gemini-2.0-flash-001"


def sdk_text(contents, **config):
    client = genai.Client()
    config = types.GenerateContentConfig(**config) if config else None
    return client.models.generate_content(model=MODEL, contents=contents, config=config).text


@pytest.mark.genai_replay(before_record_request=without_seed)
def test_random_seed(genai_replay):
    seed = random.randrange(1, 2**31)
    assert sdk_text("Pick a number", seed=seed)
    t = genai_replay.transport()
    assert models.generate_content(t, model=MODEL, contents="Pick another", config={"seed": seed}).text
    bodies = [r.body.json for r in genai_replay.requests]
    assert len(bodies) == 2 and "seed" not in json.dumps(bodies)


@pytest.mark.genai_replay(before_record_request=not_localhost)
def test_hook_leaves_localhost_alone(genai_replay):
    assert sdk_text("Why is the sky blue?")
    handled = []
    with httpx.Client(transport=httpx.MockTransport(lambda r: handled.append(r) or httpx.Response(204))) as local:
        assert local.get("http://localhost/ping").status_code == 204
    assert len(handled) == 1 and len(genai_replay.requests) == 1


@pytest.mark.genai_replay(before_record_request=leave_all_alone)
def test_hook_leaves_gemini_alone_through_the_fixture_transport(genai_replay):
    models.generate_content(genai_replay.transport(), model=MODEL, contents="Hi")


@pytest.mark.genai_replay(before_record_request=leave_all_alone)
def test_hook_leaves_gemini_alone_through_the_sdk(genai_replay):
    sdk_text("Hi")


@pytest.mark.genai_replay(before_record_response=edited)
def test_edited_answers(genai_replay):
    texts = [sdk_text("Why is the sky blue?")]
    texts.append(models.generate_content(genai_replay.transport(), model=MODEL, contents="Hi").text)
    if genai_replay.is_replaying:
        assert texts == ["edited", "edited"]
    else:
        assert "edited" not in texts


@pytest.mark.genai_replay(before_record_response=leaking)
def test_leaking_answers(genai_replay):
    assert sdk_text("Why is the sky blue?")
"""


def cassette(project: pytest.Pytester, name: str) -> dict:
    return json.loads((project.path / "cassettes" / "test_hooked" / f"{name}.json").read_text())


@pytest.fixture
def hooked(downstream: pytest.Pytester) -> pytest.Pytester:
    downstream.makepyfile(hooks=HOOKS, test_hooked=HOOK_TESTS)
    return downstream


def test_a_request_hook_that_drops_a_random_field_makes_replays_match_and_records_without_it(
    hooked: pytest.Pytester,
) -> None:
    hooked.runpytest("--genai-replay-mode=once", "-k", "test_random_seed").assert_outcomes(passed=1)
    bodies = [i["request"]["body"]["json"] for i in cassette(hooked, "test_random_seed")["interactions"]]
    assert len(bodies) == 2 and "seed" not in json.dumps(bodies)
    assert all(body["generationConfig"] == {} for body in bodies), bodies

    # Another random seed: the bytes differ, the request as the hook shapes it does not.
    hooked.runpytest("-k", "test_random_seed").assert_outcomes(passed=1)


def test_a_request_hook_returning_none_leaves_that_request_unrecorded(hooked: pytest.Pytester) -> None:
    hooked.runpytest("--genai-replay-mode=once", "-k", "localhost").assert_outcomes(passed=1)
    recorded = cassette(hooked, "test_hook_leaves_localhost_alone")
    assert len(recorded["interactions"]) == 1 and "localhost" not in json.dumps(recorded)

    hooked.runpytest("-k", "localhost").assert_outcomes(passed=1)


def test_a_request_left_alone_by_the_hook_meets_the_network_guard_while_replaying(
    hooked: pytest.Pytester,
) -> None:
    result = hooked.runpytest("-k", "leaves_gemini_alone")

    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "*NetworkBlockedError: genai_replay blocked a lookup of 'generativelanguage.googleapis.com' "
            "(socket.getaddrinfo): in replay mode nothing leaves this machine*",
            "*genai_replay left this POST request to 'generativelanguage.googleapis.com' alone "
            "(before_record_request): it was sent as it is, not answered from the cassette, and replaying "
            "nothing may leave loopback; have the hook return the request (changed as it needs) so that it "
            "is answered from the cassette",
        ]
    )
    assert not (hooked.path / "cassettes").exists()


def test_a_response_hook_edits_what_is_recorded_not_what_the_caller_gets(hooked: pytest.Pytester) -> None:
    hooked.runpytest("--genai-replay-mode=once", "-k", "edited").assert_outcomes(passed=1)
    recorded = cassette(hooked, "test_edited_answers")["interactions"]
    texts = [i["response"]["body"]["json"]["candidates"][0]["content"]["parts"][0]["text"] for i in recorded]
    assert texts == ["edited", "edited"]

    hooked.runpytest("-k", "edited").assert_outcomes(passed=1)


def test_a_response_hook_that_puts_the_key_in_the_answer_is_refused_by_the_scan(
    hooked: pytest.Pytester,
) -> None:
    result = hooked.runpytest("--genai-replay-mode=once", "-k", "leaking")

    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*CredentialLeakError: *test_leaking_answers.json: refused to write a cassette that still "
            "holds credentials (a credential seen while recording in interactions?0?.response.body); nothing "
            "was written*"
        ]
    )
    assert not Path(hooked.path / "cassettes" / "test_hooked" / "test_leaking_answers.json").exists()
