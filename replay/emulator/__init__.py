"""A local, stateful emulator of the Gemini Developer API and Vertex AI on 127.0.0.1.

It stands in for the service when there are no credentials and no network: the official SDK and
`genai_min` talk to it unchanged, through their base URL::

    from replay.emulator import Emulator, service_account_info

    with Emulator() as emulator:
        client = genai.Client(api_key="any", http_options=types.HttpOptions(base_url=emulator.url))
        print(client.models.generate_content(model="gemini-2.0-flash-001", contents="Hi").text)

Its answers are deterministic functions of the requests (and of the order of the requests that
create resources). What each part serves, and the rules it follows, is written in the docstrings
of its modules: `_generation` (text, function calls, JSON, trigger words), `_tokens`, `_images`,
`_videos`, `_files` (resumable upload), `_caches`, `_tuning`, `_batches`, `_auth`, `_faults`,
`_checks` (400 answers) and `_service` (URL routing).
"""

from genai_min._hosts import canonical_url as canonical_url
from replay.emulator._auth import service_account_info as service_account_info
from replay.emulator._faults import Faults as Faults
from replay.emulator._http import RecordedRequest as RecordedRequest
from replay.emulator._server import Emulator as Emulator

__all__ = ["Emulator", "Faults", "RecordedRequest", "canonical_url", "service_account_info"]
