"""The dict forms of the batch and tuning values and configs (`_batch_types`, `_tunings`).

Each ``XDict`` lists the snake_case keys of the model `X`, so a type checker rejects a misspelt key;
at run time the dict is validated into `X`. A field that takes a model takes its dict form too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Required, TypeAlias, TypedDict

from genai_min._batch_types import BatchJobDestination, BatchJobSource, InlinedRequest, InlinedResponse
from genai_min._content_dicts import ContentListUnionDict
from genai_min._generation import GenerateContentConfig
from genai_min._generation_dicts import GenerateContentConfigDict
from genai_min._http import JSON
from genai_min._tunings import TuningExample, TuningValidationDataset


class InlinedRequestDict(TypedDict, total=False):
    """The dict form of `InlinedRequest`: one request of an inline Gemini batch."""

    contents: Required[ContentListUnionDict]
    config: GenerateContentConfig | GenerateContentConfigDict | None
    model: str | None
    metadata: dict[str, JSON] | None


class BatchJobSourceDict(TypedDict, total=False):
    """The dict form of `BatchJobSource`: ``gcs_uri`` or ``bigquery_uri`` (Vertex AI), or
    ``inlined_requests`` or ``file_name`` (Gemini Developer API)."""

    format: str | None
    gcs_uri: list[str] | None
    bigquery_uri: str | None
    file_name: str | None
    inlined_requests: list[InlinedRequest | InlinedRequestDict] | None


# One sequence type, not two: a type checker reads a list of dicts against a single item union only.
BatchJobSourceUnionDict: TypeAlias = (
    str | Sequence[str | InlinedRequest | InlinedRequestDict] | BatchJobSource | BatchJobSourceDict
)
"""What `batches.create` reads: a ``gs://``, ``bq://`` or ``files/`` name, a list of ``gs://`` URIs or
of inline requests (not both), or a `BatchJobSource` or its dict."""


class BatchJobDestinationDict(TypedDict, total=False):
    """The dict form of `BatchJobDestination`: a ``gcs_uri`` prefix or a ``bigquery_uri`` table."""

    format: str | None
    gcs_uri: str | None
    bigquery_uri: str | None
    file_name: str | None
    inlined_responses: list[InlinedResponse] | None


class CreateBatchJobConfigDict(TypedDict, total=False):
    """The dict form of `CreateBatchJobConfig`."""

    display_name: str | None
    dest: str | BatchJobDestination | BatchJobDestinationDict | None


class ListBatchJobsConfigDict(TypedDict, total=False):
    """The dict form of `ListBatchJobsConfig`."""

    page_size: int | None
    page_token: str | None
    filter: str | None


class TuningExampleDict(TypedDict, total=False):
    """The dict form of `TuningExample`: an input text and the output wanted."""

    text_input: str | None
    output: str | None


class TuningDatasetDict(TypedDict, total=False):
    """The dict form of `TuningDataset`: a ``gcs_uri`` (Vertex AI) or inline ``examples`` (Gemini)."""

    gcs_uri: str | None
    vertex_dataset_resource: str | None
    examples: list[TuningExample | TuningExampleDict] | None


class TuningValidationDatasetDict(TypedDict, total=False):
    """The dict form of `TuningValidationDataset`."""

    gcs_uri: str | None
    vertex_dataset_resource: str | None


class CreateTuningJobConfigDict(TypedDict, total=False):
    """The dict form of `CreateTuningJobConfig`."""

    tuned_model_display_name: str | None
    description: str | None
    epoch_count: int | None
    learning_rate_multiplier: float | None
    learning_rate: float | None
    batch_size: int | None
    adapter_size: str | None
    validation_dataset: TuningValidationDataset | TuningValidationDatasetDict | None
    export_last_checkpoint_only: bool | None
    pre_tuned_model_checkpoint_id: str | None
    labels: dict[str, str] | None


class ListTuningJobsConfigDict(TypedDict, total=False):
    """The dict form of `ListTuningJobsConfig`."""

    page_size: int | None
    page_token: str | None
    filter: str | None
