"""Small genai-replay cassettes the throwaway projects replay, written without recording them."""

from __future__ import annotations

from pathlib import Path

from replay import Body, BodyKind, Cassette, Interaction, Meta, Request, Response, save_cassette

MODEL = "gemini-2.0-flash-001"
GENERATE = f"https://generativelanguage.googleapis.com/v1beta/models/{MODEL}:generateContent"


def generate(question: str, reply: str) -> Interaction:
    """One generateContent exchange as genai_min and the official SDK send it: `question`, then `reply`."""
    asked = {"contents": [{"role": "user", "parts": [{"text": question}]}]}
    answered = {
        "candidates": [{"content": {"role": "model", "parts": [{"text": reply}]}, "finishReason": "STOP"}]
    }
    return Interaction(
        Request("POST", GENERATE, (("content-type", "application/json"),), Body(BodyKind.JSON, json=asked)),
        Response(200, (("content-type", "application/json"),), Body(BodyKind.JSON, json=answered)),
    )


def save_answers(path: Path, *pairs: tuple[str, str]) -> Path:
    """Save a cassette at `path` answering each (question, reply) pair, in order; return the path."""
    interactions = tuple(generate(question, reply) for question, reply in pairs)
    save_cassette(Cassette(interactions, Meta(recorded_against="emulator")), path)
    return path
