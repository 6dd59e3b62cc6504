"""The dict forms of contents and parts, and the unions `contents` parameters are typed with.

Each ``XDict`` lists the snake_case keys of the model `X` in `_content`, so an editor completes them
and a type checker rejects a misspelt one; at run time the dict is validated into `X` as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias, TypedDict

from genai_min._content import (
    Blob,
    CodeExecutionResult,
    Content,
    ExecutableCode,
    FileData,
    FunctionCall,
    FunctionResponse,
    Part,
    PartUnion,
    VideoMetadata,
)
from genai_min._http import JSON


class BlobDict(TypedDict, total=False):
    """The dict form of `Blob`: bytes sent inline, with their MIME type."""

    mime_type: str | None
    data: bytes | None
    display_name: str | None


class FileDataDict(TypedDict, total=False):
    """The dict form of `FileData`: a reference to an uploaded file or a ``gs://`` object."""

    file_uri: str | None
    mime_type: str | None
    display_name: str | None


class FunctionCallDict(TypedDict, total=False):
    """The dict form of `FunctionCall`."""

    id: str | None
    name: str | None
    args: dict[str, JSON] | None


class FunctionResponseDict(TypedDict, total=False):
    """The dict form of `FunctionResponse`: the result of a function call, sent back to the model."""

    id: str | None
    name: str | None
    response: dict[str, JSON] | None
    will_continue: bool | None
    scheduling: str | None


class ExecutableCodeDict(TypedDict, total=False):
    """The dict form of `ExecutableCode`."""

    code: str | None
    language: str | None


class CodeExecutionResultDict(TypedDict, total=False):
    """The dict form of `CodeExecutionResult`."""

    outcome: str | None
    output: str | None


class VideoMetadataDict(TypedDict, total=False):
    """The dict form of `VideoMetadata`: which part of a video to look at."""

    start_offset: str | None
    end_offset: str | None
    fps: float | None


class PartDict(TypedDict, total=False):
    """The dict form of `Part`: set one of text, inline data, a file, a function call or response."""

    text: str | None
    thought: bool | None
    thought_signature: bytes | None
    inline_data: Blob | BlobDict | None
    file_data: FileData | FileDataDict | None
    function_call: FunctionCall | FunctionCallDict | None
    function_response: FunctionResponse | FunctionResponseDict | None
    executable_code: ExecutableCode | ExecutableCodeDict | None
    code_execution_result: CodeExecutionResult | CodeExecutionResultDict | None
    video_metadata: VideoMetadata | VideoMetadataDict | None


class ContentDict(TypedDict, total=False):
    """The dict form of `Content`: a role (``user`` or ``model``) and its parts."""

    role: str | None
    parts: list[Part | PartDict] | None


PartUnionDict: TypeAlias = PartUnion | PartDict
"""A part as callers may give it: a string, a `Part`, an uploaded `File` (anything with a URI), or a dict."""

ContentUnionDict: TypeAlias = Content | ContentDict | PartUnionDict | list[PartUnionDict]
"""One turn: a `Content` or its dict, a part (a user turn), or a list of parts (one user turn)."""

ContentListUnionDict: TypeAlias = ContentUnionDict | Sequence[ContentUnionDict]
"""What `contents` takes: one turn as `ContentUnionDict`, or a list of them (grouped as the README says)."""
