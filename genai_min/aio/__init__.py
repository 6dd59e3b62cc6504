"""Async twins of `genai_min`'s resource modules: same arguments and results, awaited."""

from genai_min.aio import batches as batches
from genai_min.aio import caches as caches
from genai_min.aio import chats as chats
from genai_min.aio import files as files
from genai_min.aio import models as models
from genai_min.aio import operations as operations
from genai_min.aio import tunings as tunings

__all__ = ["batches", "caches", "chats", "files", "models", "operations", "tunings"]
