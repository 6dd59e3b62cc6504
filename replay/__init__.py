"""replay: record, sanitise, check and replay Gemini and Vertex AI traffic for offline tests."""

from genai_min._version import __version__ as __version__

__all__ = ["__version__"]
