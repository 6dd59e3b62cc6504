"""The dict forms of the configs of the model-management, files and caches calls.

Each ``XDict`` lists the snake_case keys of the model `X` (in `_model_info`, `_upload`, `_files` and
`_caches`), so a type checker rejects a misspelt key; at run time the dict is validated into `X`.
"""

from __future__ import annotations

import datetime
from typing import TypedDict

from genai_min._content_dicts import ContentListUnionDict, ContentUnionDict
from genai_min._generation_dicts import ToolConfigDict, ToolUnionDict
from genai_min._tools import ToolConfig


class ListModelsConfigDict(TypedDict, total=False):
    """The dict form of `ListModelsConfig`; ``query_base=False`` lists tuned models."""

    page_size: int | None
    page_token: str | None
    filter: str | None
    query_base: bool


class UpdateModelConfigDict(TypedDict, total=False):
    """The dict form of `UpdateModelConfig`."""

    display_name: str | None
    description: str | None
    default_checkpoint_id: str | None


class UploadFileConfigDict(TypedDict, total=False):
    """The dict form of `UploadFileConfig`."""

    name: str | None
    display_name: str | None
    mime_type: str | None


class ListFilesConfigDict(TypedDict, total=False):
    """The dict form of `ListFilesConfig`."""

    page_size: int | None
    page_token: str | None


class CreateCachedContentConfigDict(TypedDict, total=False):
    """The dict form of `CreateCachedContentConfig`.

    `ttl` takes ``"3600s"``, a number of seconds or a `timedelta`; `expire_time` an aware
    `datetime` or an RFC 3339 string.
    """

    contents: ContentListUnionDict | None
    system_instruction: ContentUnionDict | None
    tools: list[ToolUnionDict] | None
    tool_config: ToolConfig | ToolConfigDict | None
    ttl: str | float | datetime.timedelta | None
    expire_time: datetime.datetime | str | None
    display_name: str | None
    kms_key_name: str | None


class UpdateCachedContentConfigDict(TypedDict, total=False):
    """The dict form of `UpdateCachedContentConfig`: a new `ttl` or `expire_time`."""

    ttl: str | float | datetime.timedelta | None
    expire_time: datetime.datetime | str | None


class ListCachedContentsConfigDict(TypedDict, total=False):
    """The dict form of `ListCachedContentsConfig`."""

    page_size: int | None
    page_token: str | None
