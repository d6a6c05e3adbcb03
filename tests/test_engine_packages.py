"""Argos packages: validation, all-or-nothing install, and interoperability with argostranslate."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from fr2en_dossier.engine.packages import (
    find_fr_en,
    install_file,
    installed_packages,
    require_fr_en,
    validate_archive,
)
from fr2en_dossier.errors import Fr2enError

TOP = "translate-fr_en-1_9"


def rezip(source: Path, target: Path, edit) -> Path:
    """Copy an archive; ``edit(name, data)`` returns new data, or None to drop the member."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            data = edit(info.filename, src.read(info))
            if data is not None:
                dst.writestr(info, data)
    return target


def edit_metadata(**changes):
    def edit(name, data):
        if name.endswith("metadata.json"):
            return json.dumps({**json.loads(data), **changes}).encode()
        return data

    return edit


def assert_nothing_installed(packages_dir: Path) -> None:
    assert list(packages_dir.iterdir()) == []


def test_install_unpacks_the_real_layout_and_argostranslate_sees_it(
    synthetic_package, argos_packages_dir
):
    from argostranslate import package

    pkg = install_file(synthetic_package)
    assert pkg.path == argos_packages_dir / TOP
    assert (pkg.name, pkg.version) == ("translate-fr_en", "1.9")
    assert (pkg.from_code, pkg.to_code) == ("fr", "en")
    for member in ("metadata.json", "README.md", "sentencepiece.model", "model/model.bin"):
        assert (pkg.path / member).is_file()
    assert [p.package_path for p in package.get_installed_packages()] == [pkg.path]
    assert list(argos_packages_dir.iterdir()) == [pkg.path]  # no staging left behind


def test_a_package_installed_by_argostranslate_is_found(synthetic_package, argos_packages_dir):
    from argostranslate import package

    package.install_from_path(synthetic_package)
    assert require_fr_en().path == argos_packages_dir / TOP


def test_reinstall_replaces_the_previous_copy(synthetic_package, argos_packages_dir, tmp_path):
    install_file(synthetic_package)
    (argos_packages_dir / TOP / "stale.txt").write_text("old")
    newer = rezip(synthetic_package, tmp_path / "new.argosmodel", edit_metadata(argos_version="2"))
    install_file(newer)
    assert not (argos_packages_dir / TOP / "stale.txt").exists()
    metadata = json.loads((argos_packages_dir / TOP / "metadata.json").read_text())
    assert metadata["argos_version"] == "2"


def test_the_highest_version_is_used(synthetic_package, argos_packages_dir, tmp_path):
    def move_to(top, version):
        def edit(name, data):
            return edit_metadata(package_version=version)(name, data)

        path = tmp_path / f"{top}.argosmodel"
        with zipfile.ZipFile(synthetic_package) as src, zipfile.ZipFile(path, "w") as dst:
            for info in src.infolist():
                info.filename = info.filename.replace(TOP, top, 1)
                dst.writestr(info, edit(info.filename, src.read(info.orig_filename)))
        return install_file(path)

    move_to("translate-fr_en-1_10", "1.10")
    move_to("translate-fr_en-1_2", "1.2")
    assert find_fr_en().version == "1.10"
    assert sorted(p.version for p in installed_packages()) == ["1.10", "1.2"]


def test_a_folder_without_metadata_is_not_a_package(installed_package, argos_packages_dir):
    (argos_packages_dir / ".fr2en-install-leftover").mkdir()
    assert [p.path for p in installed_packages()] == [installed_package.path]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (edit_metadata(from_code="en", to_code="de"), "en→de"),
        (edit_metadata(type="sbd"), "not a fr→en translate package"),
        (edit_metadata(package_version=""), "no package_version"),
        (edit_metadata(languages=5), "languages must be a list of objects, not 5"),
        (edit_metadata(package_version=1.9), "package_version must be a string, not 1.9"),
        (edit_metadata(links=[None]), "links must be a list of strings"),
        (
            lambda name, data: None if name.endswith("model.bin") else data,
            "missing model/model.bin",
        ),
        (
            lambda name, data: None if "vocabulary" in name else data,
            "missing model/shared_vocabulary.txt",
        ),
        (
            lambda name, data: b"{not json" if name.endswith("metadata.json") else data,
            "not valid JSON",
        ),
        (
            lambda name, data: None if name.endswith("metadata.json") else data,
            "no translate-fr_en-1_9/metadata.json",
        ),
    ],
)
def test_bad_packages_are_refused_naming_the_file_and_nothing_is_installed(
    synthetic_package, argos_packages_dir, tmp_path, edit, message
):
    bad = rezip(synthetic_package, tmp_path / "bad.argosmodel", edit)
    with pytest.raises(Fr2enError) as err:
        install_file(bad)
    assert str(bad) in str(err.value) and message in str(err.value)
    assert "\n" not in str(err.value)
    assert_nothing_installed(argos_packages_dir)


def test_truncated_archive_is_refused(synthetic_package, argos_packages_dir, tmp_path):
    bad = tmp_path / "truncated.argosmodel"
    bad.write_bytes(synthetic_package.read_bytes()[: synthetic_package.stat().st_size // 2])
    with pytest.raises(Fr2enError, match="not an Argos package"):
        install_file(bad)
    assert_nothing_installed(argos_packages_dir)


def test_corrupt_member_fails_during_unpacking_and_nothing_is_installed(
    synthetic_package, argos_packages_dir, tmp_path
):
    data = bytearray(synthetic_package.read_bytes())
    with zipfile.ZipFile(synthetic_package) as zf:
        info = zf.getinfo(f"{TOP}/model/model.bin")
    # Flip bytes inside model.bin's stored data: the central directory stays valid, the CRC not.
    middle = info.header_offset + 100 + info.compress_size // 2
    data[middle : middle + 8] = bytes(b ^ 0xFF for b in data[middle : middle + 8])
    bad = tmp_path / "crc.argosmodel"
    bad.write_bytes(bytes(data))
    with pytest.raises(Fr2enError, match="cannot install"):
        install_file(bad)
    assert_nothing_installed(argos_packages_dir)


def test_unsafe_member_paths_are_refused(synthetic_package, argos_packages_dir, tmp_path):
    bad = tmp_path / "slip.argosmodel"
    rezip(synthetic_package, bad, lambda name, data: data)
    with zipfile.ZipFile(bad, "a") as zf:
        zf.writestr(f"{TOP}/../../evil.txt", "x")
    with pytest.raises(Fr2enError, match="unsafe path"):
        validate_archive(bad)
    assert_nothing_installed(argos_packages_dir)


def test_not_a_zip_and_missing_file(argos_packages_dir, tmp_path):
    text = tmp_path / "notes.argosmodel"
    text.write_text("hello")
    with pytest.raises(Fr2enError, match="not a readable zip"):
        install_file(text)
    with pytest.raises(Fr2enError, match="no such file"):
        install_file(tmp_path / "absent.argosmodel")
    assert_nothing_installed(argos_packages_dir)


def test_a_killed_install_is_cleaned_up_and_the_previous_copy_put_back(
    installed_package, argos_packages_dir
):
    """A staging folder holding the installed copy moved aside, as a kill -9 leaves it."""
    from argostranslate import package

    staging = argos_packages_dir.parent / ".fr2en-install-killed"
    staging.mkdir()
    installed_package.path.rename(staging / f"previous-{installed_package.path.name}")
    (argos_packages_dir / ".fr2en-install-old").mkdir()  # where earlier versions staged
    assert find_fr_en() is None
    with pytest.raises(Exception):
        package.get_installed_packages()  # argostranslate takes the stray folder for a package
    assert require_fr_en().path == installed_package.path  # the next run puts it back
    assert not staging.exists() and not (argos_packages_dir / ".fr2en-install-old").exists()
    assert len(package.get_installed_packages()) == 1


# --- hostile archives: each is refused, or installed where its metadata says, never over
# another package -----------------------------------------------------------------------


def renamed(source: Path, target: Path, top: str, edit=lambda name, data: data) -> Path:
    """A copy of ``source`` whose top folder is ``top`` (``edit`` as for :func:`rezip`)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            data = edit(info.filename, src.read(info))
            info.filename = info.filename.replace(TOP, top, 1)
            dst.writestr(info, data)
    return target


def unpack_as(archive: Path, packages_dir: Path, top: str, **metadata) -> Path:
    """Unzip ``archive`` into ``packages_dir/top`` with its metadata changed, as argospm or
    LibreTranslate would have installed another package there."""
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(packages_dir / ".tmp")
    (packages_dir / ".tmp" / TOP).rename(packages_dir / top)
    (packages_dir / ".tmp").rmdir()
    meta = packages_dir / top / "metadata.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text()), **metadata}))
    return packages_dir / top


def snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_an_archive_named_like_another_pair_installs_where_its_metadata_says(
    synthetic_package, argos_packages_dir, tmp_path
):
    en_de = unpack_as(synthetic_package, argos_packages_dir, "translate-en_de-1_0",
                      from_code="en", to_code="de", package_version="1.0")
    before = snapshot(en_de)
    disguised = renamed(synthetic_package, tmp_path / "translate-en_de-1_0.argosmodel",
                        "translate-en_de-1_0")
    pkg = install_file(disguised)
    assert pkg.path == argos_packages_dir / TOP and pkg.is_fr_en
    assert snapshot(en_de) == before  # the en→de package is untouched
    pairs = sorted((p.from_code, p.to_code) for p in installed_packages())
    assert pairs == [("en", "de"), ("fr", "en")]


def test_a_folder_of_that_name_holding_another_pair_is_never_replaced(
    synthetic_package, argos_packages_dir
):
    squatter = unpack_as(synthetic_package, argos_packages_dir, TOP, from_code="en", to_code="de")
    before = snapshot(squatter)
    with pytest.raises(Fr2enError, match="holds a en→de package: not replaced") as err:
        install_file(synthetic_package)
    assert "\n" not in str(err.value) and snapshot(squatter) == before


@pytest.mark.parametrize("depth", [40, 100_000])
def test_deeply_nested_metadata_is_a_one_line_error(
    synthetic_package, argos_packages_dir, tmp_path, depth
):
    nested = "[" * depth + "]" * depth
    bad = rezip(synthetic_package, tmp_path / "deep.argosmodel", lambda name, data: (
        data.replace(b'"type"', b'"extra": ' + nested.encode() + b', "type"')
        if name.endswith("metadata.json") else data))
    with pytest.raises(Fr2enError, match=f"nests {depth + 1} levels deep") as err:
        install_file(bad)
    assert str(bad) in str(err.value) and "\n" not in str(err.value)
    assert_nothing_installed(argos_packages_dir)


def test_brackets_inside_strings_do_not_count_as_nesting():
    from fr2en_dossier.engine.packages import parse_metadata

    text = json.dumps({"to_name": "[" * 100 + '"\\' + "{" * 100, "links": [["x"]]})
    assert parse_metadata(text.encode(), "m")["to_name"].startswith("[[")


def test_oversized_metadata_is_refused_before_parsing(synthetic_package, argos_packages_dir, tmp_path):
    bad = rezip(synthetic_package, tmp_path / "big.argosmodel", lambda name, data: (
        data.replace(b'"type"', b'"pad": "' + b"x" * (2 << 20) + b'", "type"')
        if name.endswith("metadata.json") else data))
    with pytest.raises(Fr2enError, match="metadata.json is over 1024 KB"):
        install_file(bad)
    assert_nothing_installed(argos_packages_dir)


def test_an_installed_package_with_deeply_nested_metadata_is_a_one_line_error(
    installed_package, argos_packages_dir
):
    meta = installed_package.path / "metadata.json"
    meta.write_text(meta.read_text().replace('"type"', '"x": ' + "[" * 50_000 + "]" * 50_000 + ', "type"'))
    with pytest.raises(Fr2enError, match="unreadable package metadata: .* levels deep") as err:
        installed_packages()
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("member", ["model/model.bin", "sentencepiece.model"])
def test_a_package_that_does_not_load_never_replaces_a_working_one(
    installed_package, argos_packages_dir, tmp_path, member
):
    from fr2en_dossier.engine import EngineOptions, load_engine

    before = snapshot(installed_package.path)
    garbage = rezip(installed_package_archive(installed_package, tmp_path), tmp_path / "g.argosmodel",
                    lambda name, data: b"garbage" * 100 if name.endswith(member) else data)
    with pytest.raises(Fr2enError, match="model does not load .*nothing installed") as err:
        install_file(garbage)
    assert str(garbage) in str(err.value) and "\n" not in str(err.value)
    assert snapshot(installed_package.path) == before
    assert list(argos_packages_dir.iterdir()) == [installed_package.path]
    with load_engine(EngineOptions()) as engine:
        assert engine.translate(["Bonjour."])[0].text


def installed_package_archive(pkg, tmp_path: Path) -> Path:
    """The installed package zipped again (the archive it came from)."""
    import shutil

    return Path(shutil.make_archive(str(tmp_path / "again"), "zip", root_dir=pkg.path.parent,
                                    base_dir=pkg.path.name))
