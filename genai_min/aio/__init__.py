"""Async twins of `genai_min`'s resource modules: same arguments and results, awaited."""

from genai_min.aio import chats as chats
from genai_min.aio import models as models

__all__ = ["chats", "models"]
