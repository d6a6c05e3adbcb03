"""Engine options as settings: [engine] in fr2en.toml, the CLI flags, their one-line errors."""

from __future__ import annotations

import sys

import pytest

from fr2en_dossier.engine import EngineOptions
from fr2en_dossier.engine.options import CPU_BATCH_TOKENS, GPU_BATCH_TOKENS
from fr2en_dossier.errors import Fr2enError
from fr2en_dossier.project import CONFIG_FILE, Project


def project_with(tmp_path, engine: str) -> Project:
    (tmp_path / CONFIG_FILE).write_text(f"[engine]\n{engine}\n", encoding="utf-8")
    return Project.find(tmp_path)


def test_the_ray_and_gpu_settings_are_read_from_the_project_file(tmp_path):
    project = project_with(tmp_path, 'backend = "ray"\naddress = "ray://head:10001"\nworkers = 3\n'
                                     'gpus_per_worker = 1\ndevice = "auto"\ndevice_index = [0, 1]')
    options = project.engine_options()
    assert (options.backend, options.address, options.workers) == ("ray", "ray://head:10001", 3)
    assert options.gpus_per_worker == 1 and options.device_index == (0, 1)
    assert project.engine_options(backend="local", workers=None).backend == "local"


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('backend = "spark"', "--backend must be one of local, ray"),
        ('backend = "ray"\naddress = "somewhere"', "--address must be local, auto, HOST:PORT"),
        ("device_index = 0", "device_index: must be a list of integers"),
        ('device_index = ["0"]', "device-index must be a list of GPU numbers"),
        ("gpus_per_worker = -1", "gpus-per-worker must be 0 or more"),
        ('gpus_per_worker = "1"', "gpus_per_worker: must be a number"),
        ('backend = "ray"\ngpus_per_worker = 0.5', "--gpus-per-worker needs --device cuda or auto"),
        ('backend = "ray"\ndevice = "cuda"', "needs --gpus-per-worker above 0"),
    ],
)
def test_a_bad_engine_setting_is_one_line_naming_the_file(tmp_path, setting, message):
    with pytest.raises(Fr2enError) as err:
        project_with(tmp_path, setting)
    assert str(err.value).startswith(f"{tmp_path / CONFIG_FILE}: [engine]")
    assert message in str(err.value) and "\n" not in str(err.value)


def test_the_batch_budget_is_larger_on_a_gpu_unless_set():
    assert EngineOptions().batch_tokens("cpu") == CPU_BATCH_TOKENS
    assert EngineOptions().batch_tokens("cuda") == GPU_BATCH_TOKENS > CPU_BATCH_TOKENS
    assert EngineOptions(max_batch_tokens=512).batch_tokens("cuda") == 512
    assert EngineOptions(max_input_tokens=3000).batch_tokens("cpu") == 3000


def test_the_ray_backend_without_ray_is_one_line_saying_how_to_install_it(
    installed_package, monkeypatch
):
    from fr2en_dossier.engine import load_engine

    monkeypatch.setitem(sys.modules, "ray", None)  # import ray fails
    with pytest.raises(Fr2enError) as err:
        load_engine(EngineOptions(backend="ray"))
    assert str(err.value) == "--backend ray needs Ray: pip install 'fr2en-dossier[ray]'"


def test_the_cli_passes_the_engine_flags(installed_package, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from fr2en_dossier import cli
    from fr2en_dossier.engine.stage import MtStage

    seen = {}

    def engine(stage):
        seen["engine_options"] = stage.options
        raise Fr2enError("stopped before loading")

    monkeypatch.setattr(MtStage, "engine", engine)
    (tmp_path / "a.txt").write_text("Bonjour à tous.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli.main, [
        "translate", "a.txt", "--backend", "ray", "--address", "auto", "--workers", "2",
        "--gpus-per-worker", "0.5", "--device", "auto", "--device-index", "0,1"])
    assert result.exit_code == 2 and "stopped before loading" in result.output, result.output
    options = seen["engine_options"]
    assert (options.backend, options.address, options.workers, options.gpus_per_worker,
            options.device_index) == ("ray", "auto", 2, 0.5, (0, 1))
    bad = CliRunner().invoke(cli.main, ["translate", "a.txt", "--device-index", "first"])
    assert bad.exit_code == 2 and "GPU numbers separated by commas" in bad.output
