"""Every type `genai_min` takes or returns, in one place, as `google.genai.types` does.

Requests accept these models or plain dicts with the same (snake_case or camelCase) keys; the
``...Dict`` types spell out those dicts (snake_case), so a type checker catches a misspelt key.
Each name loads with its module the first time it is used: naming `GenerateContentConfig` does not
build the batch, tuning, cache or file models.
"""

import typing

from genai_min._lazy import loader as _loader

if typing.TYPE_CHECKING:
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
    from genai_min._content_dicts import BlobDict as BlobDict
    from genai_min._content_dicts import CodeExecutionResultDict as CodeExecutionResultDict
    from genai_min._content_dicts import ContentDict as ContentDict
    from genai_min._content_dicts import ContentListUnionDict as ContentListUnionDict
    from genai_min._content_dicts import ContentUnionDict as ContentUnionDict
    from genai_min._content_dicts import ExecutableCodeDict as ExecutableCodeDict
    from genai_min._content_dicts import FileDataDict as FileDataDict
    from genai_min._content_dicts import FunctionCallDict as FunctionCallDict
    from genai_min._content_dicts import FunctionResponseDict as FunctionResponseDict
    from genai_min._content_dicts import PartDict as PartDict
    from genai_min._content_dicts import PartUnionDict as PartUnionDict
    from genai_min._content_dicts import VideoMetadataDict as VideoMetadataDict
    from genai_min._files import DeleteFileResponse as DeleteFileResponse
    from genai_min._files import File as File
    from genai_min._files import FileSource as FileSource
    from genai_min._files import FileState as FileState
    from genai_min._files import FileStatus as FileStatus
    from genai_min._files import ListFilesConfig as ListFilesConfig
    from genai_min._generation import GenerateContentConfig as GenerateContentConfig
    from genai_min._generation import SafetySetting as SafetySetting
    from genai_min._generation import ThinkingConfig as ThinkingConfig
    from genai_min._generation_dicts import (
        AutomaticFunctionCallingConfigDict as AutomaticFunctionCallingConfigDict,
    )
    from genai_min._generation_dicts import CountTokensConfigDict as CountTokensConfigDict
    from genai_min._generation_dicts import EmbedContentConfigDict as EmbedContentConfigDict
    from genai_min._generation_dicts import FunctionCallingConfigDict as FunctionCallingConfigDict
    from genai_min._generation_dicts import FunctionDeclarationDict as FunctionDeclarationDict
    from genai_min._generation_dicts import GenerateContentConfigDict as GenerateContentConfigDict
    from genai_min._generation_dicts import SafetySettingDict as SafetySettingDict
    from genai_min._generation_dicts import SchemaDict as SchemaDict
    from genai_min._generation_dicts import SchemaUnionDict as SchemaUnionDict
    from genai_min._generation_dicts import ThinkingConfigDict as ThinkingConfigDict
    from genai_min._generation_dicts import ToolConfigDict as ToolConfigDict
    from genai_min._generation_dicts import ToolDict as ToolDict
    from genai_min._generation_dicts import ToolUnionDict as ToolUnionDict
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
    from genai_min._job_dicts import BatchJobDestinationDict as BatchJobDestinationDict
    from genai_min._job_dicts import BatchJobSourceDict as BatchJobSourceDict
    from genai_min._job_dicts import BatchJobSourceUnionDict as BatchJobSourceUnionDict
    from genai_min._job_dicts import CreateBatchJobConfigDict as CreateBatchJobConfigDict
    from genai_min._job_dicts import CreateTuningJobConfigDict as CreateTuningJobConfigDict
    from genai_min._job_dicts import InlinedRequestDict as InlinedRequestDict
    from genai_min._job_dicts import ListBatchJobsConfigDict as ListBatchJobsConfigDict
    from genai_min._job_dicts import ListTuningJobsConfigDict as ListTuningJobsConfigDict
    from genai_min._job_dicts import TuningDatasetDict as TuningDatasetDict
    from genai_min._job_dicts import TuningExampleDict as TuningExampleDict
    from genai_min._job_dicts import TuningValidationDatasetDict as TuningValidationDatasetDict
    from genai_min._jobs import JobState as JobState
    from genai_min._lro import Pollable as Pollable
    from genai_min._media_dicts import ControlReferenceConfigDict as ControlReferenceConfigDict
    from genai_min._media_dicts import ControlReferenceImageDict as ControlReferenceImageDict
    from genai_min._media_dicts import EditImageConfigDict as EditImageConfigDict
    from genai_min._media_dicts import GenerateImagesConfigDict as GenerateImagesConfigDict
    from genai_min._media_dicts import GenerateVideosConfigDict as GenerateVideosConfigDict
    from genai_min._media_dicts import ImageDict as ImageDict
    from genai_min._media_dicts import MaskReferenceConfigDict as MaskReferenceConfigDict
    from genai_min._media_dicts import MaskReferenceImageDict as MaskReferenceImageDict
    from genai_min._media_dicts import RawReferenceImageDict as RawReferenceImageDict
    from genai_min._media_dicts import ReferenceImageUnionDict as ReferenceImageUnionDict
    from genai_min._media_dicts import StyleReferenceConfigDict as StyleReferenceConfigDict
    from genai_min._media_dicts import StyleReferenceImageDict as StyleReferenceImageDict
    from genai_min._media_dicts import SubjectReferenceConfigDict as SubjectReferenceConfigDict
    from genai_min._media_dicts import SubjectReferenceImageDict as SubjectReferenceImageDict
    from genai_min._media_dicts import UpscaleImageConfigDict as UpscaleImageConfigDict
    from genai_min._media_dicts import VideoDict as VideoDict
    from genai_min._media_dicts import VideoGenerationReferenceImageDict as VideoGenerationReferenceImageDict
    from genai_min._model_info import DeleteModelResponse as DeleteModelResponse
    from genai_min._model_info import ListModelsConfig as ListModelsConfig
    from genai_min._model_info import Model as Model
    from genai_min._model_info import TunedModelInfo as TunedModelInfo
    from genai_min._model_info import UpdateModelConfig as UpdateModelConfig
    from genai_min._pager import AsyncPager as AsyncPager
    from genai_min._pager import Pager as Pager
    from genai_min._resource_dicts import CreateCachedContentConfigDict as CreateCachedContentConfigDict
    from genai_min._resource_dicts import ListCachedContentsConfigDict as ListCachedContentsConfigDict
    from genai_min._resource_dicts import ListFilesConfigDict as ListFilesConfigDict
    from genai_min._resource_dicts import ListModelsConfigDict as ListModelsConfigDict
    from genai_min._resource_dicts import UpdateCachedContentConfigDict as UpdateCachedContentConfigDict
    from genai_min._resource_dicts import UpdateModelConfigDict as UpdateModelConfigDict
    from genai_min._resource_dicts import UploadFileConfigDict as UploadFileConfigDict
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
    "AutomaticFunctionCallingConfigDict",
    "BatchJob",
    "BatchJobDestination",
    "BatchJobDestinationDict",
    "BatchJobOutputInfo",
    "BatchJobSource",
    "BatchJobSourceDict",
    "BatchJobSourceUnionDict",
    "BatchStats",
    "Blob",
    "BlobDict",
    "CachedContent",
    "CachedContentUsageMetadata",
    "Candidate",
    "CodeExecutionResult",
    "CodeExecutionResultDict",
    "CompletionStats",
    "ComputeTokensResponse",
    "Content",
    "ContentDict",
    "ContentEmbedding",
    "ContentEmbeddingStatistics",
    "ContentListUnion",
    "ContentListUnionDict",
    "ContentUnion",
    "ContentUnionDict",
    "ControlReferenceConfig",
    "ControlReferenceConfigDict",
    "ControlReferenceImage",
    "ControlReferenceImageDict",
    "CountTokensConfig",
    "CountTokensConfigDict",
    "CountTokensResponse",
    "CreateBatchJobConfig",
    "CreateBatchJobConfigDict",
    "CreateCachedContentConfig",
    "CreateCachedContentConfigDict",
    "CreateTuningJobConfig",
    "CreateTuningJobConfigDict",
    "DeleteFileResponse",
    "DeleteModelResponse",
    "DeleteResourceJob",
    "EditImageConfig",
    "EditImageConfigDict",
    "EditImageResponse",
    "EmbedContentConfig",
    "EmbedContentConfigDict",
    "EmbedContentMetadata",
    "EmbedContentResponse",
    "ExecutableCode",
    "ExecutableCodeDict",
    "File",
    "FileData",
    "FileDataDict",
    "FileSource",
    "FileState",
    "FileStatus",
    "FunctionCall",
    "FunctionCallDict",
    "FunctionCallingConfig",
    "FunctionCallingConfigDict",
    "FunctionDeclaration",
    "FunctionDeclarationDict",
    "FunctionResponse",
    "FunctionResponseDict",
    "GenerateContentConfig",
    "GenerateContentConfigDict",
    "GenerateContentResponse",
    "GenerateImagesConfig",
    "GenerateImagesConfigDict",
    "GenerateImagesResponse",
    "GenerateVideosConfig",
    "GenerateVideosConfigDict",
    "GenerateVideosOperation",
    "GenerateVideosResponse",
    "GeneratedImage",
    "GeneratedVideo",
    "Image",
    "ImageDict",
    "InlinedRequest",
    "InlinedRequestDict",
    "InlinedResponse",
    "JobError",
    "JobState",
    "ListBatchJobsConfig",
    "ListBatchJobsConfigDict",
    "ListCachedContentsConfig",
    "ListCachedContentsConfigDict",
    "ListFilesConfig",
    "ListFilesConfigDict",
    "ListModelsConfig",
    "ListModelsConfigDict",
    "ListTuningJobsConfig",
    "ListTuningJobsConfigDict",
    "MaskReferenceConfig",
    "MaskReferenceConfigDict",
    "MaskReferenceImage",
    "MaskReferenceImageDict",
    "ModalityTokenCount",
    "Model",
    "ModelContent",
    "Pager",
    "Part",
    "PartDict",
    "PartUnion",
    "PartUnionDict",
    "Pollable",
    "PromptFeedback",
    "RawReferenceImage",
    "RawReferenceImageDict",
    "ReferenceImageUnionDict",
    "SafetyAttributes",
    "SafetyRating",
    "SafetySetting",
    "SafetySettingDict",
    "Schema",
    "SchemaDict",
    "SchemaUnionDict",
    "StyleReferenceConfig",
    "StyleReferenceConfigDict",
    "StyleReferenceImage",
    "StyleReferenceImageDict",
    "SubjectReferenceConfig",
    "SubjectReferenceConfigDict",
    "SubjectReferenceImage",
    "SubjectReferenceImageDict",
    "ThinkingConfig",
    "ThinkingConfigDict",
    "TokensInfo",
    "Tool",
    "ToolConfig",
    "ToolConfigDict",
    "ToolDict",
    "ToolUnionDict",
    "TunedModel",
    "TunedModelInfo",
    "TuningDataset",
    "TuningDatasetDict",
    "TuningExample",
    "TuningExampleDict",
    "TuningJob",
    "TuningValidationDataset",
    "TuningValidationDatasetDict",
    "UpdateCachedContentConfig",
    "UpdateCachedContentConfigDict",
    "UpdateModelConfig",
    "UpdateModelConfigDict",
    "UploadFileConfig",
    "UploadFileConfigDict",
    "UpscaleImageConfig",
    "UpscaleImageConfigDict",
    "UpscaleImageResponse",
    "UsageMetadata",
    "UserContent",
    "Video",
    "VideoDict",
    "VideoGenerationReferenceImage",
    "VideoGenerationReferenceImageDict",
    "VideoMetadata",
    "VideoMetadataDict",
]

# The module that defines each name, imported the first time one of its names is asked for.
_DEFINED_IN = {
    name: f"genai_min.{module}"
    for module, names in {
        "_batch_types": (
            "BatchJob BatchJobDestination BatchJobOutputInfo BatchJobSource BatchStats CompletionStats "
            "CreateBatchJobConfig DeleteResourceJob InlinedRequest InlinedResponse JobError "
            "ListBatchJobsConfig"
        ),
        "_caches": (
            "CachedContent CachedContentUsageMetadata CreateCachedContentConfig "
            "ListCachedContentsConfig UpdateCachedContentConfig"
        ),
        "_content": (
            "Blob CodeExecutionResult Content ContentListUnion ContentUnion ExecutableCode FileData "
            "FunctionCall FunctionResponse ModelContent Part PartUnion UserContent VideoMetadata"
        ),
        "_content_dicts": (
            "BlobDict CodeExecutionResultDict ContentDict ContentListUnionDict ContentUnionDict "
            "ExecutableCodeDict FileDataDict FunctionCallDict FunctionResponseDict PartDict "
            "PartUnionDict VideoMetadataDict"
        ),
        "_files": "DeleteFileResponse File FileSource FileState FileStatus ListFilesConfig",
        "_generation": "GenerateContentConfig SafetySetting ThinkingConfig",
        "_generation_dicts": (
            "AutomaticFunctionCallingConfigDict CountTokensConfigDict EmbedContentConfigDict "
            "FunctionCallingConfigDict FunctionDeclarationDict GenerateContentConfigDict "
            "SafetySettingDict SchemaDict SchemaUnionDict ThinkingConfigDict ToolConfigDict ToolDict "
            "ToolUnionDict"
        ),
        "_images": (
            "ControlReferenceConfig ControlReferenceImage EditImageConfig EditImageResponse "
            "GenerateImagesConfig GenerateImagesResponse GeneratedImage Image MaskReferenceConfig "
            "MaskReferenceImage RawReferenceImage SafetyAttributes StyleReferenceConfig "
            "StyleReferenceImage SubjectReferenceConfig SubjectReferenceImage UpscaleImageConfig "
            "UpscaleImageResponse"
        ),
        "_job_dicts": (
            "BatchJobDestinationDict BatchJobSourceDict BatchJobSourceUnionDict "
            "CreateBatchJobConfigDict CreateTuningJobConfigDict InlinedRequestDict "
            "ListBatchJobsConfigDict ListTuningJobsConfigDict TuningDatasetDict TuningExampleDict "
            "TuningValidationDatasetDict"
        ),
        "_jobs": "JobState",
        "_lro": "Pollable",
        "_media_dicts": (
            "ControlReferenceConfigDict ControlReferenceImageDict EditImageConfigDict "
            "GenerateImagesConfigDict GenerateVideosConfigDict ImageDict MaskReferenceConfigDict "
            "MaskReferenceImageDict RawReferenceImageDict ReferenceImageUnionDict "
            "StyleReferenceConfigDict StyleReferenceImageDict SubjectReferenceConfigDict "
            "SubjectReferenceImageDict UpscaleImageConfigDict VideoDict "
            "VideoGenerationReferenceImageDict"
        ),
        "_model_info": "DeleteModelResponse ListModelsConfig Model TunedModelInfo UpdateModelConfig",
        "_pager": "AsyncPager Pager",
        "_resource_dicts": (
            "CreateCachedContentConfigDict ListCachedContentsConfigDict ListFilesConfigDict "
            "ListModelsConfigDict UpdateCachedContentConfigDict UpdateModelConfigDict "
            "UploadFileConfigDict"
        ),
        "_responses": (
            "Candidate GenerateContentResponse ModalityTokenCount PromptFeedback SafetyRating UsageMetadata"
        ),
        "_schema": "Schema",
        "_tokens": (
            "ComputeTokensResponse ContentEmbedding ContentEmbeddingStatistics CountTokensConfig "
            "CountTokensResponse EmbedContentConfig EmbedContentMetadata EmbedContentResponse "
            "TokensInfo"
        ),
        "_tools": "AutomaticFunctionCallingConfig FunctionCallingConfig FunctionDeclaration Tool ToolConfig",
        "_tunings": (
            "CreateTuningJobConfig ListTuningJobsConfig TunedModel TuningDataset TuningExample "
            "TuningJob TuningValidationDataset"
        ),
        "_upload": "UploadFileConfig",
        "_videos": (
            "GenerateVideosConfig GenerateVideosOperation GenerateVideosResponse GeneratedVideo Video "
            "VideoGenerationReferenceImage"
        ),
    }.items()
    for name in names.split()
}


# Hidden from type checkers: they see every name above, and would take a misspelt one for an object.
if not typing.TYPE_CHECKING:
    __getattr__, __dir__ = _loader(globals(), attributes=_DEFINED_IN)
