"""Uploads for an import: each file is streamed to a temporary folder of its own on the
host that received it, given a safe name, and removed when its import ends. The import job
itself (a worker thread and a row every worker can read) is
:class:`speciosa.app.import_jobs.ImportJobs`'s.
"""

from __future__ import annotations

import shutil
from pathlib import Path


def upload_folder() -> Path:
    import tempfile

    return Path(tempfile.mkdtemp(prefix="speciosa-import-"))


def remove_folder(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def safe_name(filename: str) -> str:
    """The upload's own base name, reduced to safe characters (formats are sniffed)."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(c if c.isalnum() or c in "._-" else "_" for c in base).lstrip(".")
    return kept[:100] or "upload"
