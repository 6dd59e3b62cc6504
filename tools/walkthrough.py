"""Walk through genai_min's model surface: generate, stream, count tokens, chat.

With GOOGLE_API_KEY (or GEMINI_API_KEY) set, the walk calls the live Gemini Developer API. Without
credentials it runs against a small canned answerer inside this process and says so: the embedded
emulator (and `genai-replay record`) will take its place.

    python tools/walkthrough.py
"""

from __future__ import annotations

import json
import os

import httpx

import genai_min
from genai_min import chats, models

MODEL = "gemini-2.0-flash-001"


def canned(request: httpx.Request) -> httpx.Response:
    """Answer like the service would, with text derived from the request."""
    body = json.loads(request.content or b"{}")
    prompt = body.get("contents", [{}])[-1].get("parts", [{}])[0].get("text", "")
    if request.url.path.endswith(":countTokens"):
        return httpx.Response(200, json={"totalTokens": len(prompt.split())})
    answer = {
        "candidates": [
            {
                "content": {"role": "model", "parts": [{"text": f"(canned) you said: {prompt}"}]},
                "finishReason": "STOP",
                "index": 0,
            }
        ],
        "usageMetadata": {"promptTokenCount": len(prompt.split()), "totalTokenCount": 1},
    }
    if request.url.path.endswith(":streamGenerateContent"):
        return httpx.Response(
            200,
            content=f"data: {json.dumps(answer)}\r\n\r\n".encode(),
            headers={"content-type": "text/event-stream"},
        )
    return httpx.Response(200, json=answer)


def main() -> None:
    """Run the walk and print what each call returned."""
    if os.environ.get("GOOGLE_API_KEY") or os.environ.get("GEMINI_API_KEY"):
        print("credentials found: calling the live Gemini Developer API")
        t = genai_min.Transport()
    else:
        print("no credentials: answering from an in-process canned transport (not the live API)")
        t = genai_min.Transport(api_key="no-key", transport=httpx.MockTransport(canned))
    with t:
        print("generate:", models.generate_content(t, model=MODEL, contents="Why is the sky blue?").text)
        chunks = models.generate_content_stream(t, model=MODEL, contents="Tell me a story.")
        print("stream:", "".join(chunk.text or "" for chunk in chunks))
        print("tokens:", models.count_tokens(t, model=MODEL, contents="why is the sky blue?").total_tokens)
        chat = chats.create(t, model=MODEL)
        chat.send_message("tell me a story")
        print("chat turns:", len(chat.get_history()))


if __name__ == "__main__":
    main()
