"""Work tickets and tray labels read the way a lab floor reads them: the PDF rendered to pixels
and every barcode decoded by zbar, in the order printed; the text stays text, the bars are
vector, and an unshared patient's name is nowhere in the file."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PortalApi

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed"
)


def _decode_pages(pdf: Path, dpi: int = 200) -> list[list[str]]:
    from PIL import Image
    from pyzbar.pyzbar import ZBarSymbol, decode

    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True)
    pages = sorted(
        pdf.parent.glob(f"{prefix.name}-*.png"), key=lambda p: int(p.stem.rsplit("-")[-1])
    )
    return [
        [d.data.decode() for d in decode(Image.open(page), symbols=[ZBarSymbol.CODE128])]
        for page in pages
    ]


def _page_text(pdf: Path, page: int) -> str:
    args = ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _lab_cases(api: PortalApi, count: int) -> list[Any]:
    from labdesk.api.schemas import Case

    listing = api.as_("lab_admin").get("/cases", params={"since": 0, "limit": 500}).json()
    cases = [Case.model_validate(c) for c in listing["cases"]]
    rush = [c for c in cases if c.rush][:3]
    unshared = [c for c in cases if not c.share_patient_name][:3]
    others = [c for c in cases if c not in rush and c not in unshared]
    chosen = (rush + unshared + others)[:count]
    assert any(c.rush for c in chosen)
    assert any(not c.share_patient_name for c in chosen)
    return chosen


def test_a_batch_of_tickets_scans_back_to_the_cases_printed(
    qapp: Any, portal_api: PortalApi, tmp_path: Path
) -> None:
    from labdesk.printing.render import write_pdf
    from labdesk.printing.ticket_content import ticket_for

    cases = _lab_cases(portal_api, 22)
    pdf = tmp_path / "tickets.pdf"
    write_pdf(pdf, [ticket_for(c, lab_name="Demo Dental Lab", notation="fdi") for c in cases])

    decoded = _decode_pages(pdf)
    assert decoded == [[c.number] for c in cases]  # one ticket per page, in the order given

    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    for case in cases:
        assert case.number in text  # text stays text
        if not case.share_patient_name:
            assert case.patient_initials in text
    with portal_api.running.app.state.portal.db.read_session() as session:
        from sqlalchemy import select

        from labdesk.server import models as m

        hidden = dict(
            session.execute(
                select(m.Case.id, m.Case.patient_name).where(
                    m.Case.id.in_([c.id for c in cases if not c.share_patient_name])
                )
            ).all()
        )
    assert hidden
    for page, case in enumerate(cases, start=1):
        if case.id not in hidden:
            continue
        page_text = _page_text(pdf, page)
        assert case.number in page_text
        for part in hidden[case.id].split():
            assert part not in page_text, (case.number, part)
    assert "RUSH" in text
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True)
    assert len(images.stdout.strip().splitlines()) <= 2, "the ticket holds no raster image"


@pytest.mark.parametrize("paper", ["62x29mm", "4x6in"])
def test_tray_labels_scan_back(
    qapp: Any, portal_api: PortalApi, tmp_path: Path, paper: str
) -> None:
    from labdesk.printing.render import write_pdf
    from labdesk.printing.ticket_content import label_for

    cases = _lab_cases(portal_api, 5)
    pdf = tmp_path / f"labels-{paper}.pdf"
    write_pdf(pdf, labels=[label_for(c) for c in cases], paper=paper)
    assert _decode_pages(pdf, dpi=300) == [[c.number] for c in cases]
