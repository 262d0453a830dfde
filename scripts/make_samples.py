"""Regenerate the sample documents in docs/samples/: the contract (signed original and a 副本), the receipt
(A5 and 80 mm thermal) and the refund slip of a demo deal, each PDF with a PNG preview of page 1.

Needs a CJK font (fonts-wqy-zenhei) and, for the previews, ``pdftoppm`` (poppler-utils).

python scripts/make_samples.py [--out docs/samples]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtGui import QGuiApplication  # noqa: E402

from app.db import Database  # noqa: E402
from app.demo.paperwork import build_paperwork  # noqa: E402
from app.documents.contract import Mode, contract_facts  # noqa: E402
from app.documents.receipt import Layout, payment_receipt, refund_receipt  # noqa: E402
from ui.documents import write_contract_pdf, write_receipt_pdf  # noqa: E402


def preview(pdf: Path) -> Path | None:
    """Page 1 of ``pdf`` as a PNG beside it (``pdftoppm -png``), or None without poppler."""
    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found: no PNG previews")
        return None
    stem = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)], check=True
    )
    return stem.with_suffix(".png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "samples")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    app = QGuiApplication(sys.argv)  # noqa: F841 - Qt's text layout needs the application
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(Path(tmp) / "samples.sqlite3")
        deal = build_paperwork(db)
        contract = contract_facts(db, deal.desk, deal.contract_id)
        written = [
            write_contract_pdf(contract, Mode.ORIGINAL, out / "contract.pdf"),
            write_contract_pdf(contract, Mode.COPY, out / "contract-copy.pdf"),
            write_receipt_pdf(
                payment_receipt(db, deal.desk, deal.payment_id), Layout.A5, out / "receipt.pdf"
            ),
            write_receipt_pdf(
                payment_receipt(db, deal.desk, deal.payment_id), Layout.THERMAL_80, out / "receipt-80mm.pdf"
            ),
            write_receipt_pdf(refund_receipt(db, deal.desk, deal.refund_id), Layout.A5, out / "refund.pdf"),
        ]
        db.close()
    for pdf in written:
        print(pdf.relative_to(ROOT) if pdf.is_relative_to(ROOT) else pdf, preview(pdf) is not None)


if __name__ == "__main__":
    main()
