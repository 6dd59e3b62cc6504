"""Read the corpus of real exchanges once, and name the backend and operation of each exchange.

Files are imported with `replay.read_foreign_cassette`, as `genai-replay import` would; a file that
does not import keeps the reason, and its row of the corpus's ``INDEX.tsv`` says what it held.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from replay import Cassette, Interaction, Operation, ReplayError, find_operation, read_foreign_cassette

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "real"
"""Where the corpus lives: ``../shared/corpus/real`` beside the repository."""

NOTES = ("INDEX.tsv", "SOURCES.md")
"""The corpus's own index and notes: files of the folder that are no cassettes."""

README_SURFACE = re.compile(
    r"(models|tunedModels)\.(generateContent|streamGenerateContent|countTokens|computeTokens"
    r"|embedContent|batchEmbedContents|predict|predictLongRunning|fetchPredictOperation"
    r"|batchGenerateContent|get|list|patch|delete)"
    r"|(models|tunedModels|tuningJobs)?\.?operations\.get"
    r"|files\.(create|get|list|delete|download)"
    r"|cachedContents\.(create|get|list|patch|delete)"
    r"|(batches|batchPredictionJobs|tuningJobs|tunedModels)\.(create|get|list|cancel|delete)"
)
"""Operations (as `Exchange.label` names them) on the surface of the official SDK's README."""


@dataclass(frozen=True)
class Exchange:
    """One recorded request and its answer, with what it calls.

    `label` names the operation without the Vertex AI prefixes (``models.generateContent`` on both
    backends), or says what the request is when it calls no method of either API.
    """

    name: str
    source: str
    index: int
    interaction: Interaction
    backend: str
    operation: Operation | None
    label: str
    is_upload_chunk: bool

    @property
    def is_on_surface(self) -> bool:
        """Tell whether the exchange calls an operation of the README's surface."""
        return self.backend in ("gemini", "vertex") and README_SURFACE.fullmatch(self.label) is not None


@dataclass(frozen=True)
class CorpusFile:
    """One file of the corpus: imported as `cassette`, or not, for `reason`."""

    source: str
    name: str
    cassette: Cassette | None
    reason: str
    backend: str
    operations: str
    interactions: int


@dataclass(frozen=True)
class Corpus:
    """Every file of the corpus and every exchange of the files that import."""

    root: Path
    files: tuple[CorpusFile, ...]
    exchanges: tuple[Exchange, ...]

    @property
    def imported(self) -> tuple[CorpusFile, ...]:
        """Return the files that import, in path order."""
        return tuple(f for f in self.files if f.cassette is not None)


@cache
def load_corpus(root: Path = CORPUS) -> Corpus:
    """Import every cassette under `root` (once per process) and name its exchanges."""
    index = _read_index(root)
    paths = sorted(p for p in root.rglob("*") if p.is_file() and p.name not in NOTES)
    names = _short_names([p.relative_to(root).as_posix() for p in paths])
    files: list[CorpusFile] = []
    exchanges: list[Exchange] = []
    for path in paths:
        source = path.relative_to(root).as_posix()
        backend, operations, count = index.get(source, ("", "", 0))
        try:
            cassette: Cassette | None = read_foreign_cassette(path)
            reason = ""
        except ReplayError as exc:
            cassette, reason = None, str(getattr(exc, "reason", "") or exc)
        files.append(CorpusFile(source, names[source], cassette, reason, backend, operations, count))
        for position, interaction in enumerate(cassette.interactions if cassette else ()):
            exchanges.append(_exchange(f"{names[source]}#{position}", source, position, interaction))
    return Corpus(root, tuple(files), tuple(exchanges))


def _exchange(name: str, source: str, index: int, interaction: Interaction) -> Exchange:
    request = interaction.request
    parts = urlsplit(request.url)
    host = (parts.hostname or "").lower()
    backend = "other"
    if host.startswith("generativelanguage.") or "aiplatform" in host:
        backend = "gemini" if host.startswith("generativelanguage.") else "vertex"
    is_chunk = "upload_id" in parse_qs(parts.query)
    operation = find_operation(request.method, request.url)
    if operation is None and is_chunk and backend == "gemini":
        # The upload session's chunks belong to files.create, which started the session.
        operation = find_operation("POST", parts._replace(query="").geturl())
    if operation is not None:
        label = re.sub(r"^(projects\.locations\.)?(publishers\.)?", "", operation.method_id)
    else:
        label = _label_of_other(request.method, host, parts.path)
    return Exchange(name, source, index, interaction, backend, operation, label, is_chunk)


def _label_of_other(method: str, host: str, path: str) -> str:
    """Name a request that calls no method of our schemas: the API's newer services, or no API."""
    if host == "oauth2.googleapis.com":
        return "oauth2.token"
    if "/openai/" in path:
        return "openai.chat.completions"
    match = re.search(r"/v1\w*/(interactions|fileSearchStores)(/[^:]*)?(?::(\w+))?$", path)
    if match and host.endswith("googleapis.com"):
        verbs = {"POST": "create", "GET": "get" if match[2] else "list", "DELETE": "delete"}
        return f"{match[1]}.{match[3] or verbs.get(method.upper(), method.lower())}"
    return "media fetch"


def _short_names(sources: list[str]) -> dict[str, str]:
    """Name each file by its base name, or by as many trailing folders as make it unique."""
    names: dict[str, str] = {}
    for source in sources:
        parts = source.split("/")
        for depth in range(1, len(parts) + 1):
            name = "/".join(parts[-depth:])
            if sum(s == name or s.endswith("/" + name) for s in sources) == 1:
                names[source] = name
                break
    return names


def _read_index(root: Path) -> dict[str, tuple[str, str, int]]:
    """Return each file's backend, operations and interaction count, as ``INDEX.tsv`` lists them."""
    path = root / "INDEX.tsv"
    if not path.is_file():
        return {}
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:] if line]
    return {row[0]: (row[1], row[2], int(row[3]) if row[3].isdigit() else 0) for row in rows if len(row) > 3}
