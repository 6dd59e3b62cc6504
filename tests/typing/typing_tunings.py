"""`genai_min.tunings`: datasets and configs as models or dicts; jobs come back as `TuningJob`s.

Checked by mypy (``warn_unused_ignores`` is on, so each ``# type: ignore[...]`` proves an error), never run.
"""

from __future__ import annotations

from typing import assert_type

from genai_min import Transport, operations, tunings, types


def check_tunings(t: Transport) -> None:
    job = tunings.tune(
        t,
        base_model="m",
        training_dataset=types.TuningDataset(gcs_uri="gs://bucket/train.jsonl"),
        config=types.CreateTuningJobConfig(epoch_count=1, tuned_model_display_name="my model"),
    )
    assert_type(job, types.TuningJob)
    gemini = tunings.tune(
        t,
        base_model="m",
        training_dataset={"examples": [{"text_input": "1", "output": "2"}]},
        config={"epoch_count": 3, "learning_rate_multiplier": 1.0},
    )
    assert_type(gemini, types.TuningJob)
    assert_type(tunings.get(t, name="tuningJobs/1"), types.TuningJob)
    assert_type(tunings.list(t, config={"page_size": 10}), types.Pager[types.TuningJob])
    assert_type(tunings.cancel(t, name="tuningJobs/1"), None)
    assert_type(operations.wait(t, job, interval=30).has_succeeded, bool)
    tunings.tune(t, base_model="m", training_dataset={"uri": "gs://b/t.jsonl"})  # type: ignore[arg-type]
    tunings.tune(t, base_model="m", training_dataset={"gcs_uri": "gs://b"}, config={"epochs": 1})  # type: ignore[arg-type]
