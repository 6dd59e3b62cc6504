"""The version of genai-replay, shared by both packages."""

__version__ = "0.1.0"
