"""The files of a project's current generation, comparable between runs."""

from __future__ import annotations

import json
import re

from fr2en_dossier.outputs import MANIFEST, current_dir
from fr2en_dossier.project import Project


def outputs(project: Project) -> dict[str, str]:
    """Every file of the current generation, run ids and times replaced by placeholders, and
    the MT stage's counts left out of the report (the engine dedupes inputs per chunk; across
    chunks the MT cache does)."""
    folder = current_dir(project.output)
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != MANIFEST:  # their sha256: of files with run ids
            text = path.read_bytes().decode("utf-8", "replace").replace(report["run"]["id"], "RUN")
            files[path.relative_to(folder).as_posix()] = re.sub(
                r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?[^\"<\s]*", "TIME", text)
    del report["run"]["mt_stats"], report["run"]["id"]
    files["report.json"] = json.dumps(report, ensure_ascii=False, indent=0)
    return files
