"""Validation against the published schemas: XLIFF 2.1 (OASIS XLIFF TC: the core schema with the
glossary and metadata modules), XLIFF 1.2 transitional, and the TBX core structure DTD (ISO
30042:2008, which TBX-Basic files follow).

The schema files are kept in ``tests/data/spec`` (its README says where each is published and
under which licence), laid out as ``xliff-2.1/``, ``xliff-1.2/`` and ``tbx/``;
``$FR2EN_SPEC_DIR`` names another folder of that layout. A missing schema fails the test.
"""

from __future__ import annotations

import os
from pathlib import Path


ROOT = Path(__file__).resolve().parents[2]
SPEC = Path(os.environ.get("FR2EN_SPEC_DIR") or ROOT / "tests" / "data" / "spec")
XLIFF21 = (
    "xliff-2.1/xliff_core_2.0.xsd",
    "xliff-2.1/glossary.xsd",
    "xliff-2.1/metadata.xsd",
    "xliff-2.1/xml.xsd",
)
XLIFF12 = ("xliff-1.2/xliff-core-1.2-transitional.xsd", "xliff-1.2/xml.xsd")
TBX = ("tbx/TBXcoreStructV02.dtd",)


def spec_files(names: tuple[str, ...]) -> list[Path]:
    """The schema files ``names`` under the spec folder (all of them must be there)."""
    paths = [SPEC / name for name in names]
    missing = [str(p) for p in paths if not p.is_file()]
    assert not missing, f"schema missing: {', '.join(missing)} (see tests/support/schemas.py)"
    return paths


def _schema(driver: str, xml_xsd: Path):
    from lxml import etree

    class Local(etree.Resolver):  # xml.xsd from the spec folder, never from the network
        def resolve(self, url, public_id, context):
            if url.endswith("xml.xsd"):
                return self.resolve_filename(str(xml_xsd), context)
            return None

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(Local())
    return etree.XMLSchema(etree.fromstring(driver.encode(), parser))


def _imports(pairs: list[tuple[str, Path]]) -> str:
    lines = "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{path.as_uri()}"/>' for ns, path in pairs
    )
    return f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{lines}</xs:schema>'


def assert_valid_xliff21(path: Path) -> None:
    """Fail with the schema's errors unless ``path`` is valid XLIFF 2.1 (core, gls, mda)."""
    core, gls, mda, xml_xsd = spec_files(XLIFF21)
    schema = _schema(
        _imports(
            [
                ("urn:oasis:names:tc:xliff:document:2.0", core),
                ("urn:oasis:names:tc:xliff:glossary:2.0", gls),
                ("urn:oasis:names:tc:xliff:metadata:2.0", mda),
            ]
        ),
        xml_xsd,
    )
    _assert_valid(schema, path)


def assert_valid_xliff12(path: Path) -> None:
    """Fail with the schema's errors unless ``path`` is valid XLIFF 1.2 (transitional)."""
    xsd, xml_xsd = spec_files(XLIFF12)
    schema = _schema(_imports([("urn:oasis:names:tc:xliff:document:1.2", xsd)]), xml_xsd)
    _assert_valid(schema, path)


def assert_valid_tbx(path: Path) -> None:
    """Fail with the DTD's errors unless ``path`` is a valid TBX (martif) document."""
    from lxml import etree

    (dtd_file,) = spec_files(TBX)
    dtd = etree.DTD(str(dtd_file))
    assert dtd.validate(etree.parse(str(path))), dtd.error_log.filter_from_errors()


def _assert_valid(schema, path: Path) -> None:
    from lxml import etree

    assert schema.validate(etree.parse(str(path))), schema.error_log.filter_from_errors()
