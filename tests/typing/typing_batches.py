"""`genai_min.batches`: sources as URIs, inline requests or dicts; jobs come back as `BatchJob`s.

Checked by mypy (``warn_unused_ignores`` is on, so each ``# type: ignore[...]`` proves an error), never run.
"""

from __future__ import annotations

from typing import assert_type

from genai_min import Transport, batches, operations, types


def check_batches(t: Transport) -> None:
    job = batches.create(t, model="m", src="gs://bucket/requests.jsonl", config={"dest": "gs://bucket/out"})
    assert_type(job, types.BatchJob)
    inline = batches.create(
        t,
        model="m",
        src=[{"contents": "hi", "config": {"temperature": 0}}, types.InlinedRequest(contents="yo")],
    )
    assert_type(inline, types.BatchJob)
    batches.create(t, model="m", src=["gs://bucket/a.jsonl", "gs://bucket/b.jsonl"])
    batches.create(t, model="m", src={"file_name": "files/abc"}, config={"display_name": "nightly"})
    assert_type(batches.get(t, name="batches/abc"), types.BatchJob)
    assert_type(batches.cancel(t, name="batches/abc"), None)
    assert_type(batches.delete(t, name="batches/abc"), types.DeleteResourceJob)
    assert_type(batches.list(t, config={"page_size": 10}), types.Pager[types.BatchJob])
    assert_type(operations.wait(t, job, interval=30), types.BatchJob)
    assert_type(job.state, types.JobState | str | None)
    batches.create(t, model="m", src=[{"content": "hi"}])  # type: ignore[list-item]
    batches.create(t, model="m", src=[{"contents": "hi", "config": {"temprature": 0}}])  # type: ignore[list-item]
    batches.create(t, model="m", src="gs://b/r.jsonl", config={"destination": "gs://b/o"})  # type: ignore[arg-type]
