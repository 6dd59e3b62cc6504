"""Every type `genai_min` takes or returns, in one place, as `google.genai.types` does.

Requests accept these models or plain dicts with the same (snake_case or camelCase) keys.
"""

from genai_min._batch_types import BatchJob as BatchJob
from genai_min._batch_types import BatchJobDestination as BatchJobDestination
from genai_min._batch_types import BatchJobOutputInfo as BatchJobOutputInfo
from genai_min._batch_types import BatchJobSource as BatchJobSource
from genai_min._batch_types import BatchStats as BatchStats
from genai_min._batch_types import CompletionStats as CompletionStats
from genai_min._batch_types import CreateBatchJobConfig as CreateBatchJobConfig
from genai_min._batch_types import DeleteResourceJob as DeleteResourceJob
from genai_min._batch_types import InlinedRequest as InlinedRequest
from genai_min._batch_types import InlinedResponse as InlinedResponse
from genai_min._batch_types import JobError as JobError
from genai_min._batch_types import ListBatchJobsConfig as ListBatchJobsConfig
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
from genai_min._generation import GenerateContentConfig as GenerateContentConfig
from genai_min._generation import SafetySetting as SafetySetting
from genai_min._generation import ThinkingConfig as ThinkingConfig
from genai_min._images import ControlReferenceConfig as ControlReferenceConfig
from genai_min._images import ControlReferenceImage as ControlReferenceImage
from genai_min._images import EditImageConfig as EditImageConfig
from genai_min._images import EditImageResponse as EditImageResponse
from genai_min._images import GeneratedImage as GeneratedImage
from genai_min._images import GenerateImagesConfig as GenerateImagesConfig
from genai_min._images import GenerateImagesResponse as GenerateImagesResponse
from genai_min._images import Image as Image
from genai_min._images import MaskReferenceConfig as MaskReferenceConfig
from genai_min._images import MaskReferenceImage as MaskReferenceImage
from genai_min._images import RawReferenceImage as RawReferenceImage
from genai_min._images import SafetyAttributes as SafetyAttributes
from genai_min._images import StyleReferenceConfig as StyleReferenceConfig
from genai_min._images import StyleReferenceImage as StyleReferenceImage
from genai_min._images import SubjectReferenceConfig as SubjectReferenceConfig
from genai_min._images import SubjectReferenceImage as SubjectReferenceImage
from genai_min._images import UpscaleImageConfig as UpscaleImageConfig
from genai_min._images import UpscaleImageResponse as UpscaleImageResponse
from genai_min._jobs import JobState as JobState
from genai_min._lro import Pollable as Pollable
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
from genai_min._tunings import CreateTuningJobConfig as CreateTuningJobConfig
from genai_min._tunings import ListTuningJobsConfig as ListTuningJobsConfig
from genai_min._tunings import TunedModel as TunedModel
from genai_min._tunings import TuningDataset as TuningDataset
from genai_min._tunings import TuningExample as TuningExample
from genai_min._tunings import TuningJob as TuningJob
from genai_min._tunings import TuningValidationDataset as TuningValidationDataset
from genai_min._upload import UploadFileConfig as UploadFileConfig
from genai_min._videos import GeneratedVideo as GeneratedVideo
from genai_min._videos import GenerateVideosConfig as GenerateVideosConfig
from genai_min._videos import GenerateVideosOperation as GenerateVideosOperation
from genai_min._videos import GenerateVideosResponse as GenerateVideosResponse
from genai_min._videos import Video as Video
from genai_min._videos import VideoGenerationReferenceImage as VideoGenerationReferenceImage

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
    "ControlReferenceConfig",
    "ControlReferenceImage",
    "CountTokensConfig",
    "CountTokensResponse",
    "CreateBatchJobConfig",
    "CreateCachedContentConfig",
    "CreateTuningJobConfig",
    "DeleteFileResponse",
    "DeleteModelResponse",
    "DeleteResourceJob",
    "EditImageConfig",
    "EditImageResponse",
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
    "GenerateImagesConfig",
    "GenerateImagesResponse",
    "GenerateVideosConfig",
    "GenerateVideosOperation",
    "GenerateVideosResponse",
    "GeneratedImage",
    "GeneratedVideo",
    "Image",
    "InlinedRequest",
    "InlinedResponse",
    "JobError",
    "JobState",
    "ListBatchJobsConfig",
    "ListCachedContentsConfig",
    "ListFilesConfig",
    "ListModelsConfig",
    "ListTuningJobsConfig",
    "MaskReferenceConfig",
    "MaskReferenceImage",
    "ModalityTokenCount",
    "Model",
    "ModelContent",
    "Pager",
    "Part",
    "PartUnion",
    "Pollable",
    "PromptFeedback",
    "RawReferenceImage",
    "SafetyAttributes",
    "SafetyRating",
    "SafetySetting",
    "Schema",
    "StyleReferenceConfig",
    "StyleReferenceImage",
    "SubjectReferenceConfig",
    "SubjectReferenceImage",
    "ThinkingConfig",
    "TokensInfo",
    "Tool",
    "ToolConfig",
    "TunedModel",
    "TunedModelInfo",
    "TuningDataset",
    "TuningExample",
    "TuningJob",
    "TuningValidationDataset",
    "UpdateCachedContentConfig",
    "UpdateModelConfig",
    "UploadFileConfig",
    "UpscaleImageConfig",
    "UpscaleImageResponse",
    "UsageMetadata",
    "UserContent",
    "Video",
    "VideoGenerationReferenceImage",
    "VideoMetadata",
]
