"""The house's directions are a test: import-linter's contracts (pyproject.toml) hold on
the package, and a forbidden import planted in a copy of it makes them fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(package_parent: Path) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"PYTHONPATH": str(package_parent)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(ROOT / "pyproject.toml")],
        cwd=package_parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_package_keeps_every_contract() -> None:
    result = _lint(ROOT / "src")
    assert result.returncode == 0, result.stdout[-4000:]
    assert "0 broken" in result.stdout


def test_a_forbidden_import_breaks_a_contract(tmp_path: Path) -> None:
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "speciosa", copy / "speciosa")
    # A pure instrument reaching for the database: exactly what the layers forbid.
    (copy / "speciosa" / "instruments" / "planted.py").write_text(
        "from speciosa.store.journal_store import JournalStore\n", encoding="utf-8"
    )
    result = _lint(copy)
    assert result.returncode != 0
    assert "speciosa.instruments.planted -> speciosa.store.journal_store" in result.stdout
