"""The genai_min tour, part 4: chats, files and caches."""

from __future__ import annotations

import genai_min
from genai_min import caches, chats, files, models, types
from tools.tour.examples import MODEL, VERTEX_PDF_URIS, listed_line, local_files, stream_line, text_line
from tools.tour.genai_min_tour_generate import FILES_ARE_GEMINI_ONLY
from tools.tour.steps import Backend, Step, step


def chat(t: genai_min.Transport) -> str:
    """Send Message (Synchronous Non-Streaming): two turns of one chat."""
    chat = chats.create(t, model=MODEL)
    response = chat.send_message("tell me a story")
    story = text_line("chat", response)
    response = chat.send_message("summarize the story you told me in 1 sentence")
    assert len(chat.get_history()) == 4, "expected two questions and two answers in the history"
    return story + "; " + text_line("then", response)


async def chat_async(t: genai_min.Transport) -> str:
    """Send Message (Asynchronous Non-Streaming)."""
    chat = genai_min.aio.chats.create(t, model=MODEL)
    response = await chat.send_message("tell me a story")
    story = text_line("chat", response)
    response = await chat.send_message("summarize the story you told me in 1 sentence")
    assert len(chat.get_history()) == 4, "expected two questions and two answers in the history"
    return story + "; " + text_line("then", response)


def chat_stream(t: genai_min.Transport) -> str:
    """Send Message (Synchronous Streaming)."""
    chat = chats.create(t, model=MODEL)
    return stream_line("chat stream", list(chat.send_message_stream("tell me a story")))


async def chat_stream_async(t: genai_min.Transport) -> str:
    """Send Message (Asynchronous Streaming)."""
    chat = genai_min.aio.chats.create(t, model=MODEL)
    chunks = [chunk async for chunk in await chat.send_message_stream("tell me a story")]
    return stream_line("chat stream", chunks)


PDFS = ("2312.11805v3.pdf", "2403.05530.pdf")


def _files_line(
    made: list[types.File], file_info: types.File, listed: list[str | None], is_gone: bool
) -> str:
    file1 = made[0]
    assert file1.name, f"expected a named file, got {file1!r}"
    assert file1.uri, "expected the file to have a URI"
    assert file1.size_bytes, "expected the file to have a size"
    assert file_info.name == file1.name, "expected get to return the uploaded file"
    assert is_gone, "expected the deleted file to be gone"
    return listed_line("files", listed, [f.name for f in made]) + f"; got {file_info.name}, deleted one"


def manage_files(t: genai_min.Transport) -> str:
    """Files: upload, get, list and delete."""
    with local_files(*PDFS) as (path1, path2):
        file1 = files.upload(t, file=path1)
        file2 = files.upload(t, file=path2)
        file3 = files.upload(t, file=path1)
    file_info = files.get(t, name=file1.name or "")
    listed = [f.name for f in files.list(t, config={"page_size": 10})]
    files.delete(t, name=file3.name or "")
    try:
        files.get(t, name=file3.name or "")
        is_gone = False
    except genai_min.ClientError as e:
        is_gone = e.code in (403, 404)
    return _files_line([file1, file2, file3], file_info, listed, is_gone)


async def manage_files_async(t: genai_min.Transport) -> str:
    """Files, async."""
    aio_files = genai_min.aio.files
    with local_files(*PDFS) as (path1, path2):
        file1 = await aio_files.upload(t, file=path1)
        file2 = await aio_files.upload(t, file=path2)
        file3 = await aio_files.upload(t, file=path1)
    file_info = await aio_files.get(t, name=file1.name or "")
    listed = [f.name async for f in await aio_files.list(t, config={"page_size": 10})]
    await aio_files.delete(t, name=file3.name or "")
    try:
        await aio_files.get(t, name=file3.name or "")
        is_gone = False
    except genai_min.ClientError as e:
        is_gone = e.code in (403, 404)
    return _files_line([file1, file2, file3], file_info, listed, is_gone)


def _cache_config(file_uris: list[str]) -> types.CreateCachedContentConfig:
    return types.CreateCachedContentConfig(
        contents=[
            types.Content(
                role="user",
                parts=[
                    types.Part.from_uri(file_uri=file_uris[0], mime_type="application/pdf"),
                    types.Part.from_uri(file_uri=file_uris[1], mime_type="application/pdf"),
                ],
            )
        ],
        system_instruction="What is the sum of the two pdfs?",
        display_name="test cache",
        ttl="3600s",
    )


SUMMARISE = "Summarize the pdfs"
NEW_TTL = types.UpdateCachedContentConfig(ttl="600s")


def _caches_line(
    cached: types.CachedContent, response: types.GenerateContentResponse, listed: list[str | None]
) -> str:
    assert cached.name, f"expected a named cache, got {cached!r}"
    assert cached.display_name == "test cache", f"expected the display name, got {cached.display_name!r}"
    assert response.usage_metadata, "expected usage metadata"
    assert response.usage_metadata.cached_content_token_count, "expected cached tokens to be counted"
    assert listed == [cached.name], f"expected the one cache listed, got {listed!r}"
    return text_line(f"cache {cached.name}", response)


def manage_caches(t: genai_min.Transport) -> str:
    """Caches: create (from uploaded files or Cloud Storage), get, use, update, list, delete."""
    if t.is_vertex:
        file_uris = VERTEX_PDF_URIS
    else:
        with local_files(*PDFS) as (path1, path2):
            file1 = files.upload(t, file=path1)
            file2 = files.upload(t, file=path2)
        file_uris = [file1.uri or "", file2.uri or ""]
    cached_content = caches.create(t, model=MODEL, config=_cache_config(file_uris))
    cached_content = caches.get(t, name=cached_content.name or "")
    response = models.generate_content(
        t,
        model=MODEL,
        contents=SUMMARISE,
        config=types.GenerateContentConfig(cached_content=cached_content.name),
    )
    updated = caches.update(t, name=cached_content.name or "", config=NEW_TTL)
    assert updated.expire_time != cached_content.expire_time, "expected a new expiry time"
    listed = [c.name for c in caches.list(t, config={"page_size": 10})]
    caches.delete(t, name=cached_content.name or "")
    return _caches_line(cached_content, response, listed)


async def manage_caches_async(t: genai_min.Transport) -> str:
    """Caches, async."""
    aio = genai_min.aio
    if t.is_vertex:
        file_uris = VERTEX_PDF_URIS
    else:
        with local_files(*PDFS) as (path1, path2):
            file1 = await aio.files.upload(t, file=path1)
            file2 = await aio.files.upload(t, file=path2)
        file_uris = [file1.uri or "", file2.uri or ""]
    cached_content = await aio.caches.create(t, model=MODEL, config=_cache_config(file_uris))
    cached_content = await aio.caches.get(t, name=cached_content.name or "")
    response = await aio.models.generate_content(
        t,
        model=MODEL,
        contents=SUMMARISE,
        config=types.GenerateContentConfig(cached_content=cached_content.name),
    )
    updated = await aio.caches.update(t, name=cached_content.name or "", config=NEW_TTL)
    assert updated.expire_time != cached_content.expire_time, "expected a new expiry time"
    listed = [c.name async for c in await aio.caches.list(t, config={"page_size": 10})]
    await aio.caches.delete(t, name=cached_content.name or "")
    return _caches_line(cached_content, response, listed)


STEPS: list[Step] = [
    step("Chats: Send Message", chat, chat_async),
    step("Chats: Send Message (Streaming)", chat_stream, chat_stream_async),
    step("Files", manage_files, manage_files_async, only=Backend.GEMINI, reason=FILES_ARE_GEMINI_ONLY),
    step("Caches", manage_caches, manage_caches_async),
]
