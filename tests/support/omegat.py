"""A minimal OmegaT 3.6 project (French → English, OmegaT's sentence segmentation off, so its
segments are ours) and its console translation (``--mode=console-translate``)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from support.interop import require_tool

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>fr</source_lang>
    <target_lang>en</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneFrenchTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""


def omegat_project(tmp_path: Path) -> Path:
    """An empty project in ``tmp_path/project``: put files in source/, tm/auto/, glossary/."""
    require_tool("omegat")
    project = tmp_path / "project"
    for folder in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (project / folder).mkdir(parents=True)
    (project / "omegat.project").write_text(PROJECT, encoding="utf-8")
    return project


def run_omegat(tmp_path: Path, project: Path) -> str:
    """Translate ``project`` in console mode (no screen needed); OmegaT's log. Fails when
    OmegaT does, or when it could not read a TM."""
    env = {**os.environ, "JAVA_TOOL_OPTIONS": "-Djava.awt.headless=true"}
    env.pop("DISPLAY", None)
    result = subprocess.run(
        [require_tool("omegat"), str(project), "--mode=console-translate", "--quiet",
         f"--config-dir={tmp_path / 'omegat-config'}", "--disable-project-locking"],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "Reading of TMX file complete" in log, log
    assert "TF_TM_LOAD_ERROR" not in log, log
    return log
