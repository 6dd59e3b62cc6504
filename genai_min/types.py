"""Every type `genai_min` takes or returns, in one place, as `google.genai.types` does.

Requests accept these models or plain dicts with the same (snake_case or camelCase) keys.
"""

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
    "Blob",
    "Candidate",
    "CodeExecutionResult",
    "ComputeTokensResponse",
    "Content",
    "ContentEmbedding",
    "ContentEmbeddingStatistics",
    "ContentListUnion",
    "ContentUnion",
    "CountTokensConfig",
    "CountTokensResponse",
    "DeleteModelResponse",
    "EmbedContentConfig",
    "EmbedContentMetadata",
    "EmbedContentResponse",
    "ExecutableCode",
    "FileData",
    "FunctionCall",
    "FunctionCallingConfig",
    "FunctionDeclaration",
    "FunctionResponse",
    "GenerateContentConfig",
    "GenerateContentResponse",
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
    "UpdateModelConfig",
    "UsageMetadata",
    "UserContent",
    "VideoMetadata",
]
