import os
import shutil
import subprocess
import sys
from pathlib import Path

PO = Path(__file__).resolve().parents[1] / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_every_string_has_a_vietnamese_translation():
    result = subprocess.run(
        ["msgfmt", "--check-format", "--statistics", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


def test_compiled_catalogue_matches_the_po_file(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(PO)], check=True)
    assert compiled.read_bytes() == PO.with_suffix(".mo").read_bytes(), (
        "run: manage.py compilemessages -l vi"
    )


def test_no_string_in_the_code_is_missing_from_the_catalogue(tmp_path):
    """makemessages on a copy of the project adds nothing untranslated or fuzzy."""
    root = PO.parents[3]
    apps = [p.parent.name for p in root.glob("*/apps.py")]
    for name in [*apps, "templates", "locale"]:
        shutil.copytree(root / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(root / "manage.py", tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-location"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "callcenter.settings"},
    )
    po = tmp_path / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    for flag in ("--untranslated", "--only-fuzzy"):
        left = subprocess.run(
            ["msgattrib", flag, "--no-obsolete", str(po)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        msgids = [line for line in left.splitlines() if line.startswith("msgid ")]
        assert msgids[1:] == [], f"{flag}: {msgids[1:]} (run makemessages and translate)"
