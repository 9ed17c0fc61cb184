"""Scanner exports written by code, for the intake tests (generated meshes, invented people).

Each writer follows the public facts of its format (see issue 15): iTero manifests in several
versions side by side with a BOM, ``Null`` and empty elements and ``#`` in file names; an exocad
``.dentalProject`` with ``-UpperJaw``/``-TotalJaw0``/``-upperjaw-situ`` meshes; Medit's web
export names; a UTF-16 3Shape order in the 3OX namespace; a plain folder of meshes.
"""

from __future__ import annotations

import zipfile
from datetime import date
from functools import cache
from pathlib import Path

from labdesk.mesh.scan import Scan
from labdesk.mesh.synthetic import generate_arch, write_binary_stl, write_ply

ORDER = "123456"
DUE = date(2026, 12, 18)


@cache
def _arch(jaw: str) -> Scan:
    return generate_arch(jaw, triangles=1_000, seed=3)


def _stl(path: Path, jaw: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_binary_stl(path, _arch(jaw))


def _ply(path: Path, jaw: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_ply(path, _arch(jaw))


def itero_manifest(version: str, order: str = ORDER, *, old_ids: bool = False) -> str:
    """A manifest: 3-unit bridge 4-6 (FDI 15-13), crown 19 (FDI 36), both jaws, margins."""
    order_tag = "CaseId" if old_ids else "OrderID"
    p = f"iTero_Export_#{order}"
    return f"""<?xml version="1.0" encoding="utf-8"?>
<iTeroExport Version="{version}">
  <RxInfo>
    <{order_tag}>{order}</{order_tag}>
    <OrderCode>Null</OrderCode>
    <Patient>Testperson, Alma</Patient>
    <UniquePatientIdentifier>P-0042</UniquePatientIdentifier>
    <ChartNumber></ChartNumber>
    <Doctor>Dr. Emma Lindqvist</Doctor>
    <DoctorLicense>SE-40117</DoctorLicense>
    <DoctorID>88231</DoctorID>
    <LabName>Northside Dental Lab</LabName>
    <LabID>Null</LabID>
    <DueDate>12/18/2026</DueDate>
    <ExportTime>11/27/2026 14:05:09</ExportTime>
    <UtcOffset>+01:00</UtcOffset>
    <ScanRange><UpperRange FromAdaId="1" ToAdaId="16"/>
      <LowerRange FromAdaId="17" ToAdaId="32"/></ScanRange>
    <ToothShadeSystem>VITA classical</ToothShadeSystem>
    <Notes>Please check the contact on 19.</Notes>
    <Teeth>
      <Tooth><AdaId>4</AdaId><RestorationType>2</RestorationType><ToothMaterial>1</ToothMaterial>
        <MiddleShade>A2</MiddleShade><IncisalShade>Null</IncisalShade></Tooth>
      <Tooth><AdaId>5</AdaId><RestorationType>3</RestorationType><ToothMaterial>1</ToothMaterial>
        <MiddleShade>A2</MiddleShade></Tooth>
      <Tooth><AdaId>6</AdaId><RestorationType>2</RestorationType><ToothMaterial>1</ToothMaterial>
        <MiddleShade>A2</MiddleShade></Tooth>
      <Tooth><AdaId>19</AdaId><RestorationType>1</RestorationType><ToothMaterial>1</ToothMaterial>
        <MiddleShade>A3</MiddleShade><GingivalShade/><MarginDesign>Chamfer</MarginDesign></Tooth>
    </Teeth>
  </RxInfo>
  <RxDefines>
    <RestorationTypes>
      <Type Id="1" Name="Crown"/><Type Id="2" Name="Bridge abutment"/><Type Id="3" Name="Pontic"/>
    </RestorationTypes>
    <Materials><Material Id="1" Name="Zirconia"/><Material Id="2" Name="E.max"/></Materials>
    <BridgeTypes/><ImplantTypes/>
  </RxDefines>
  <ExportedObjects>
    <Object ObjectType="Surface" SubType="Jaw" JawId="Upper" FileName="{p}_u.stl"/>
    <Object ObjectType="Surface" SubType="Jaw" JawId="Lower" FileName="{p}_l.stl"/>
    <Object ObjectType="Surface" SubType="PreTreatment_Jaw" JawId="Upper"
      FileName="{p}_pre_u.stl"/>
    <Object ObjectType="Line" SubType="Margin" AdaId="19" FileName="{p}_margin_19.pts"/>
  </ExportedObjects>
</iTeroExport>
"""


def write_itero(
    folder: Path,
    *,
    order: str = ORDER,
    versions: tuple[str, ...] = ("1.0", "2.4", "5.0"),
    missing: tuple[str, ...] = (),
) -> Path:
    """An iTero export folder: one manifest per version (with a BOM), scans, a margin line."""
    folder.mkdir(parents=True, exist_ok=True)
    for version in versions:
        text = itero_manifest(version, order, old_ids=version == "1.0")
        tag = version.replace(".", "")
        (folder / f"iTero_Export_#{order}_v{tag}.xml").write_bytes(b"\xef\xbb\xbf" + text.encode())
    files = {
        f"iTero_Export_#{order}_u.stl": "upper",
        f"iTero_Export_#{order}_l.stl": "lower",
        f"iTero_Export_#{order}_pre_u.stl": "upper",
    }
    for name, jaw in files.items():
        if name not in missing:
            _stl(folder / name, jaw)
    margin = f"iTero_Export_#{order}_margin_19.pts"
    if margin not in missing:
        (folder / margin).write_text("1.0 2.0 3.0\n1.5 2.5 3.1\n")
    return folder


def zip_folder(folder: Path, target: Path, extra: dict[str, bytes] | None = None) -> Path:
    """``folder`` as a zip (members relative to it), plus ``extra`` raw members."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
        for name, data in (extra or {}).items():
            archive.writestr(zipfile.ZipInfo(name), data)
    return target


def write_exocad(folder: Path) -> Path:
    """An exocad project as Medit Link writes it: crown 11 and veneer 21, bite, pre-op."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Novak_Case.dentalProject").write_text(
        """<?xml version="1.0" encoding="utf-8"?>
<Treatment>
  <DateTime>2026-11-26T09:30:00</DateTime>
  <Notes>Match the shade of 12.</Notes>
  <ProjectGUID>5f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b</ProjectGUID>
  <Practice><PracticeId>HV-7</PracticeId><PracticeName>Harbour View Dental</PracticeName></Practice>
  <Patient><PatientId>HV-1001</PatientId><PatientName>Nilsson, Bo</PatientName></Patient>
  <DentistName>Dr. Isabel Costa</DentistName>
  <ToothColor>A1</ToothColor>
  <AntagonistType>Scan</AntagonistType>
  <Teeth>
    <Tooth Number="11" ReconstructionType="Crown" Material="Lithium disilicate"/>
    <Tooth><Number>21</Number><ReconstructionType>Veneer</ReconstructionType><Material>Null</Material></Tooth>
  </Teeth>
</Treatment>
""",
        encoding="utf-8",
    )
    _stl(folder / "Novak_Case-UpperJaw.stl", "upper")
    _stl(folder / "Novak_Case-LowerJaw.stl", "lower")
    _stl(folder / "Novak_Case-TotalJaw0.stl", "lower")
    _stl(folder / "Novak_Case-upperjaw-situ.stl", "upper")
    (folder / "Novak_Case-UpperJaw.matrix4").write_text("1 0 0 0\n0 1 0 0\n0 0 1 0\n0 0 0 1\n")
    return folder


def write_medit(folder: Path) -> Path:
    """Medit's web export: base jaws as PLY, a pre-op and a margin line for tooth 26."""
    _ply(folder / "Maxilla_Base.ply", "upper")
    _ply(folder / "Mandible_Base.ply", "lower")
    _ply(folder / "Maxilla_PreOP.ply", "upper")
    (folder / "Case_MarginLine_26.xyz").write_text("0 0 0\n1 1 1\n")
    return folder


THREESHAPE_ORDER = f"""<?xml version="1.0" encoding="utf-16"?>
<Order xmlns="http://schemas.3shape.com/3OX/OrderInterface/2011/01">
  <ThreeShapeOrderNo>TS-2026-0815</ThreeShapeOrderNo>
  <PatientFirstName>Carl</PatientFirstName>
  <PatientLastName>Example</PatientLastName>
  <DentistName>Dr. Lukas Weber</DentistName>
  <DentistLicense>DE-77120</DentistLicense>
  <ClinicName>Old Town Dental Care</ClinicName>
  <DeliveryDate>{DUE.isoformat()}</DeliveryDate>
  <ToothElement><ToothNumber>46</ToothNumber><CacheToothTypeClass>Crown</CacheToothTypeClass>
    <CacheMaterialName>Zirconia</CacheMaterialName><Color>A3</Color></ToothElement>
  <ModelElement><ModelElementIndex>1</ModelElementIndex><ModelJobType>UpperJaw</ModelJobType>
    <ScanFiles><ScanFile path="Scans\\TS-2026-0815_1.stl"/></ScanFiles></ModelElement>
  <ModelElement><ModelElementIndex>2</ModelElementIndex><ModelJobType>LowerJaw</ModelJobType>
    <ModelFileName>TS-2026-0815_2.stl</ModelFileName></ModelElement>
</Order>
"""


def write_threeshape(folder: Path) -> Path:
    """A 3Shape order (UTF-16, namespaced) with its two model scans."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "TS-2026-0815.xml").write_bytes(THREESHAPE_ORDER.encode("utf-16"))
    _stl(folder / "Scans" / "TS-2026-0815_1.stl", "upper")
    _stl(folder / "TS-2026-0815_2.stl", "lower")
    return folder


def write_plain(folder: Path) -> Path:
    """A folder of meshes named by jaw, one name that says nothing."""
    _stl(folder / "upper.stl", "upper")
    _ply(folder / "mandible scan.ply", "lower")
    _stl(folder / "bite.stl", "lower")
    _stl(folder / "scan3.stl", "lower")
    return folder
