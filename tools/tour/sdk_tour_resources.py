"""The official SDK tour, part 4: chats, files and caches."""

from __future__ import annotations

from google import genai
from google.genai import errors, types

from tools.tour.examples import MODEL, VERTEX_PDF_URIS, listed_line, local_files, stream_line, text_line
from tools.tour.sdk_tour_generate import FILES_ARE_GEMINI_ONLY
from tools.tour.steps import Backend, Step, step


def chat(client: genai.Client) -> str:
    """Send Message (Synchronous Non-Streaming): two turns of one chat."""
    chat = client.chats.create(model=MODEL)
    response = chat.send_message("tell me a story")
    story = text_line("chat", response)
    response = chat.send_message("summarize the story you told me in 1 sentence")
    assert len(chat.get_history()) == 4, "expected two questions and two answers in the history"
    return story + "; " + text_line("then", response)


async def chat_async(client: genai.Client) -> str:
    """Send Message (Asynchronous Non-Streaming)."""
    chat = client.aio.chats.create(model=MODEL)
    response = await chat.send_message("tell me a story")
    story = text_line("chat", response)
    response = await chat.send_message("summarize the story you told me in 1 sentence")
    assert len(chat.get_history()) == 4, "expected two questions and two answers in the history"
    return story + "; " + text_line("then", response)


def chat_stream(client: genai.Client) -> str:
    """Send Message (Synchronous Streaming)."""
    chat = client.chats.create(model=MODEL)
    return stream_line("chat stream", list(chat.send_message_stream("tell me a story")))


async def chat_stream_async(client: genai.Client) -> str:
    """Send Message (Asynchronous Streaming)."""
    chat = client.aio.chats.create(model=MODEL)
    return stream_line(
        "chat stream", [chunk async for chunk in await chat.send_message_stream("tell me a story")]
    )


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


def manage_files(client: genai.Client) -> str:
    """Files: upload, get, list and delete."""
    with local_files(*PDFS) as (path1, path2):
        file1 = client.files.upload(file=path1)
        file2 = client.files.upload(file=path2)
        file3 = client.files.upload(file=path1)
    file_info = client.files.get(name=file1.name or "")
    listed = [f.name for f in client.files.list(config={"page_size": 10})]
    client.files.delete(name=file3.name or "")
    try:
        client.files.get(name=file3.name or "")
        is_gone = False
    except errors.ClientError as e:
        is_gone = e.code in (403, 404)
    return _files_line([file1, file2, file3], file_info, listed, is_gone)


async def manage_files_async(client: genai.Client) -> str:
    """Files, async."""
    with local_files(*PDFS) as (path1, path2):
        file1 = await client.aio.files.upload(file=path1)
        file2 = await client.aio.files.upload(file=path2)
        file3 = await client.aio.files.upload(file=path1)
    file_info = await client.aio.files.get(name=file1.name or "")
    listed = [f.name async for f in await client.aio.files.list(config={"page_size": 10})]
    await client.aio.files.delete(name=file3.name or "")
    try:
        await client.aio.files.get(name=file3.name or "")
        is_gone = False
    except errors.ClientError as e:
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


def _caches_line(
    cached: types.CachedContent, response: types.GenerateContentResponse, listed: list[str | None]
) -> str:
    assert cached.name, f"expected a named cache, got {cached!r}"
    assert cached.display_name == "test cache", f"expected the display name, got {cached.display_name!r}"
    assert response.usage_metadata, "expected usage metadata"
    assert response.usage_metadata.cached_content_token_count, "expected cached tokens to be counted"
    assert listed == [cached.name], f"expected the one cache listed, got {listed!r}"
    return text_line(f"cache {cached.name}", response)


def manage_caches(client: genai.Client) -> str:
    """Caches: create (from uploaded files or Cloud Storage), get, use, update, list, delete."""
    if client.vertexai:
        file_uris = VERTEX_PDF_URIS
    else:
        with local_files(*PDFS) as (path1, path2):
            file1 = client.files.upload(file=path1)
            file2 = client.files.upload(file=path2)
        file_uris = [file1.uri or "", file2.uri or ""]
    cached_content = client.caches.create(model=MODEL, config=_cache_config(file_uris))
    cached_content = client.caches.get(name=cached_content.name or "")
    response = client.models.generate_content(
        model=MODEL,
        contents="Summarize the pdfs",
        config=types.GenerateContentConfig(cached_content=cached_content.name),
    )
    updated = client.caches.update(
        name=cached_content.name or "", config=types.UpdateCachedContentConfig(ttl="600s")
    )
    assert updated.expire_time != cached_content.expire_time, "expected a new expiry time"
    listed = [c.name for c in client.caches.list(config={"page_size": 10})]
    client.caches.delete(name=cached_content.name or "")
    return _caches_line(cached_content, response, listed)


async def manage_caches_async(client: genai.Client) -> str:
    """Caches, async."""
    if client.vertexai:
        file_uris = VERTEX_PDF_URIS
    else:
        with local_files(*PDFS) as (path1, path2):
            file1 = await client.aio.files.upload(file=path1)
            file2 = await client.aio.files.upload(file=path2)
        file_uris = [file1.uri or "", file2.uri or ""]
    cached_content = await client.aio.caches.create(model=MODEL, config=_cache_config(file_uris))
    cached_content = await client.aio.caches.get(name=cached_content.name or "")
    response = await client.aio.models.generate_content(
        model=MODEL,
        contents="Summarize the pdfs",
        config=types.GenerateContentConfig(cached_content=cached_content.name),
    )
    updated = await client.aio.caches.update(
        name=cached_content.name or "", config=types.UpdateCachedContentConfig(ttl="600s")
    )
    assert updated.expire_time != cached_content.expire_time, "expected a new expiry time"
    listed = [c.name async for c in await client.aio.caches.list(config={"page_size": 10})]
    await client.aio.caches.delete(name=cached_content.name or "")
    return _caches_line(cached_content, response, listed)


STEPS: list[Step] = [
    step("Chats: Send Message", chat, chat_async),
    step("Chats: Send Message (Streaming)", chat_stream, chat_stream_async),
    step("Files", manage_files, manage_files_async, only=Backend.GEMINI, reason=FILES_ARE_GEMINI_ONLY),
    step("Caches", manage_caches, manage_caches_async),
]
