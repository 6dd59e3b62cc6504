"""Every type `genai_min` takes or returns, in one place, as `google.genai.types` does.

Requests accept these models or plain dicts with the same (snake_case or camelCase) keys.
"""

from genai_min._batches import BatchJob as BatchJob
from genai_min._batches import BatchJobDestination as BatchJobDestination
from genai_min._batches import BatchJobOutputInfo as BatchJobOutputInfo
from genai_min._batches import BatchJobSource as BatchJobSource
from genai_min._batches import BatchStats as BatchStats
from genai_min._batches import CompletionStats as CompletionStats
from genai_min._batches import CreateBatchJobConfig as CreateBatchJobConfig
from genai_min._batches import DeleteResourceJob as DeleteResourceJob
from genai_min._batches import InlinedRequest as InlinedRequest
from genai_min._batches import InlinedResponse as InlinedResponse
from genai_min._batches import JobError as JobError
from genai_min._batches import JobState as JobState
from genai_min._batches import ListBatchJobsConfig as ListBatchJobsConfig
from genai_min._caches import CachedContent as CachedContent
from genai_min._caches import CachedContentUsageMetadata as CachedContentUsageMetadata
from genai_min._caches import CreateCachedContentConfig as CreateCachedContentConfig
from genai_min._caches import ListCachedContentsConfig as ListCachedContentsConfig
from genai_min._caches import UpdateCachedContentConfig as UpdateCachedContentConfig
from genai_min._content import Blob as Blob
from genai_min._content import CodeExecutionResult as CodeExecutionResult
from genai_min._content import Content as Content
from genai_min._content import ContentListUnion as ContentListUnion
from genai_min._content import ContentUnion as ContentUnion
from genai_min._content import ExecutableCode as ExecutableCode
from genai_min._content import FileData as FileData
from genai_min._content import FunctionCall as FunctionCall
from genai_min._content import FunctionResponse as FunctionResponse
from genai_min._content import ModelContent as ModelContent
from genai_min._content import Part as Part
from genai_min._content import PartUnion as PartUnion
from genai_min._content import UserContent as UserContent
from genai_min._content import VideoMetadata as VideoMetadata
from genai_min._files import DeleteFileResponse as DeleteFileResponse
from genai_min._files import File as File
from genai_min._files import FileSource as FileSource
from genai_min._files import FileState as FileState
from genai_min._files import FileStatus as FileStatus
from genai_min._files import ListFilesConfig as ListFilesConfig
from genai_min._files import UploadFileConfig as UploadFileConfig
from genai_min._generation import GenerateContentConfig as GenerateContentConfig
from genai_min._generation import SafetySetting as SafetySetting
from genai_min._generation import ThinkingConfig as ThinkingConfig
from genai_min._model_info import DeleteModelResponse as DeleteModelResponse
from genai_min._model_info import ListModelsConfig as ListModelsConfig
from genai_min._model_info import Model as Model
from genai_min._model_info import TunedModelInfo as TunedModelInfo
from genai_min._model_info import UpdateModelConfig as UpdateModelConfig
from genai_min._pager import AsyncPager as AsyncPager
from genai_min._pager import Pager as Pager
from genai_min._responses import Candidate as Candidate
from genai_min._responses import GenerateContentResponse as GenerateContentResponse
from genai_min._responses import ModalityTokenCount as ModalityTokenCount
from genai_min._responses import PromptFeedback as PromptFeedback
from genai_min._responses import SafetyRating as SafetyRating
from genai_min._responses import UsageMetadata as UsageMetadata
from genai_min._schema import Schema as Schema
from genai_min._tokens import ComputeTokensResponse as ComputeTokensResponse
from genai_min._tokens import ContentEmbedding as ContentEmbedding
from genai_min._tokens import ContentEmbeddingStatistics as ContentEmbeddingStatistics
from genai_min._tokens import CountTokensConfig as CountTokensConfig
from genai_min._tokens import CountTokensResponse as CountTokensResponse
from genai_min._tokens import EmbedContentConfig as EmbedContentConfig
from genai_min._tokens import EmbedContentMetadata as EmbedContentMetadata
from genai_min._tokens import EmbedContentResponse as EmbedContentResponse
from genai_min._tokens import TokensInfo as TokensInfo
from genai_min._tools import AutomaticFunctionCallingConfig as AutomaticFunctionCallingConfig
from genai_min._tools import FunctionCallingConfig as FunctionCallingConfig
from genai_min._tools import FunctionDeclaration as FunctionDeclaration
from genai_min._tools import Tool as Tool
from genai_min._tools import ToolConfig as ToolConfig

__all__ = [
    "AsyncPager",
    "AutomaticFunctionCallingConfig",
    "BatchJob",
    "BatchJobDestination",
    "BatchJobOutputInfo",
    "BatchJobSource",
    "BatchStats",
    "Blob",
    "CachedContent",
    "CachedContentUsageMetadata",
    "Candidate",
    "CodeExecutionResult",
    "CompletionStats",
    "ComputeTokensResponse",
    "Content",
    "ContentEmbedding",
    "ContentEmbeddingStatistics",
    "ContentListUnion",
    "ContentUnion",
    "CountTokensConfig",
    "CountTokensResponse",
    "CreateBatchJobConfig",
    "CreateCachedContentConfig",
    "DeleteFileResponse",
    "DeleteModelResponse",
    "DeleteResourceJob",
    "EmbedContentConfig",
    "EmbedContentMetadata",
    "EmbedContentResponse",
    "ExecutableCode",
    "File",
    "FileData",
    "FileSource",
    "FileState",
    "FileStatus",
    "FunctionCall",
    "FunctionCallingConfig",
    "FunctionDeclaration",
    "FunctionResponse",
    "GenerateContentConfig",
    "GenerateContentResponse",
    "InlinedRequest",
    "InlinedResponse",
    "JobError",
    "JobState",
    "ListBatchJobsConfig",
    "ListCachedContentsConfig",
    "ListFilesConfig",
    "ListModelsConfig",
    "ModalityTokenCount",
    "Model",
    "ModelContent",
    "Pager",
    "Part",
    "PartUnion",
    "PromptFeedback",
    "SafetyRating",
    "SafetySetting",
    "Schema",
    "ThinkingConfig",
    "TokensInfo",
    "Tool",
    "ToolConfig",
    "TunedModelInfo",
    "UpdateCachedContentConfig",
    "UpdateModelConfig",
    "UploadFileConfig",
    "UsageMetadata",
    "UserContent",
    "VideoMetadata",
]
