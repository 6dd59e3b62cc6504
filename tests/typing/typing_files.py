"""`genai_min.files`: uploads and listings return `File`s; configs are checked key by key.

Checked by mypy (``warn_unused_ignores`` is on, so each ``# type: ignore[...]`` proves an error), never run.
"""

from __future__ import annotations

import io
from typing import assert_type

from genai_min import Transport, files, models, types


def check_files(t: Transport) -> None:
    report = files.upload(
        t, file="report.pdf", config={"display_name": "Q3 report", "mime_type": "application/pdf"}
    )
    assert_type(report, types.File)
    assert_type(
        files.upload(t, file=io.BytesIO(b"x"), config=types.UploadFileConfig(mime_type="text/plain")),
        types.File,
    )
    assert_type(files.get(t, name="files/abc"), types.File)
    assert_type(files.wait_active(t, file=report, timeout=None), types.File)
    assert_type(files.list(t, config={"page_size": 10}), types.Pager[types.File])
    assert_type(files.delete(t, name="files/abc"), types.DeleteFileResponse)
    assert_type(files.download(t, file=report), bytes)
    assert_type(report.state, types.FileState | str | None)
    models.generate_content(t, model="m", contents=["Summarise this file", report])
    files.upload(t, file="report.pdf", config={"displayname": "Q3"})  # type: ignore[arg-type]
    files.list(t, config={"page_size": "10"})  # type: ignore[arg-type]
    files.upload(t, file=42)  # type: ignore[arg-type]
