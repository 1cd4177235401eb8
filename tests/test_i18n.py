"""The interface ships in Simplified Chinese (default) and English.

The code uses English msgids; ``locale/zh_Hans/LC_MESSAGES/django.po`` holds the Chinese. These
tests keep that catalogue complete and well-formed, check that it still matches the strings in the
code, and render a few pages in both languages.

Translations are read straight from the ``.po`` files: the tests compile them into a temporary
locale directory (small ``.mo`` writer below), so they never depend on stale ``.mo`` files and
write nothing into the checkout.
"""

from __future__ import annotations

import ast
import re
import shutil
import struct
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

BASE_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = BASE_DIR / "locale"
ZH_PO = LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po"
EN_PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"

HAN = re.compile(r"[\u3400-\u9fff]")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
NAMED = re.compile(r"%\(\w+\)[sdifr]")
UNNAMED = re.compile(r"%(?!\()[-#0 +]*\d*(?:\.\d+)?[sdifr]")


# --- a small PO reader and MO writer (no third-party dependency) ---------------------------------

@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return ast.literal_eval(text)


def read_po(path: Path) -> list[Entry]:
    """Parse a PO file into entries (header included, obsolete ``#~`` entries flagged)."""
    entries: list[Entry] = []
    cur: Entry | None = None
    target: tuple[str, int | None] | None = None
    pending_flags: set[str] = set()

    def start(lineno: int, obsolete: bool) -> Entry:
        nonlocal pending_flags
        entry = Entry(flags=pending_flags, obsolete=obsolete, line=lineno)
        pending_flags = set()
        entries.append(entry)
        return entry

    def append(entry: Entry, where: tuple[str, int | None], text: str) -> None:
        name, index = where
        if name == "msgstr":
            entry.msgstr[index] = entry.msgstr.get(index, "") + text
        else:
            setattr(entry, name, (getattr(entry, name) or "") + text)

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if line.startswith("|"):
                continue
        if not line:
            cur, target = None, None
            continue
        if line.startswith("#,"):
            pending_flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            assert cur is not None and target is not None, f"{path}:{lineno}: stray string"
            append(cur, target, _unquote(line))
            continue
        if keyword == "msgctxt":
            cur = start(lineno, obsolete)
            cur.msgctxt = ""
            target = ("msgctxt", None)
        elif keyword == "msgid":
            if cur is None or cur.msgctxt is None or target != ("msgctxt", None):
                cur = start(lineno, obsolete)
            target = ("msgid", None)
        elif keyword == "msgid_plural":
            target = ("msgid_plural", None)
            cur.msgid_plural = ""
        elif keyword == "msgstr":
            target = ("msgstr", 0)
        elif m := re.fullmatch(r"msgstr\[(\d+)\]", keyword):
            target = ("msgstr", int(m.group(1)))
        else:
            raise AssertionError(f"{path}:{lineno}: cannot parse {raw!r}")
        append(cur, target, _unquote(rest))
    return entries


def write_mo(entries: list[Entry], path: Path) -> None:
    """Write the translated, non-fuzzy entries as a GNU .mo file (what msgfmt would produce)."""
    pairs: dict[bytes, bytes] = {}
    for e in entries:
        if e.obsolete or ("fuzzy" in e.flags and not e.is_header):
            continue
        strs = [e.msgstr[i] for i in sorted(e.msgstr)]
        if not any(strs):
            continue
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is not None:
            key += "\x00" + e.msgid_plural
        pairs[key.encode()] = "\x00".join(strs).encode()
    keys = sorted(pairs)
    n = len(keys)
    ids = strs_blob = b""
    offsets = []
    for k in keys:
        offsets.append((len(ids), len(k), len(strs_blob), len(pairs[k])))
        ids += k + b"\x00"
        strs_blob += pairs[k] + b"\x00"
    key_start = 7 * 4 + 16 * n
    value_start = key_start + len(ids)
    out = struct.pack("<7I", 0x950412DE, 0, n, 7 * 4, 7 * 4 + 8 * n, 0, 0)
    out += b"".join(struct.pack("<2I", ln, key_start + o) for o, ln, _, _ in offsets)
    out += b"".join(struct.pack("<2I", ln, value_start + o) for _, _, o, ln in offsets)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out + ids + strs_blob)


@pytest.fixture(scope="module")
def zh_entries() -> list[Entry]:
    return read_po(ZH_PO)


def compile_catalogues(root: Path) -> Path:
    """Compile ``locale/*/LC_MESSAGES/django.po`` into ``root`` (a LOCALE_PATHS directory)."""
    for po in LOCALE_DIR.glob("*/LC_MESSAGES/django.po"):
        write_mo(read_po(po), root / po.relative_to(LOCALE_DIR).with_suffix(".mo"))
    return root


@pytest.fixture(scope="module")
def compiled_locale(tmp_path_factory) -> Path:
    """The repository catalogues compiled into a temporary LOCALE_PATHS directory."""
    return compile_catalogues(tmp_path_factory.mktemp("locale"))


@pytest.fixture
def catalogues(compiled_locale):
    """Serve translations from the freshly compiled catalogues for the duration of a test."""
    with override_settings(LOCALE_PATHS=[compiled_locale]):
        yield
    translation.activate(settings.LANGUAGE_CODE)
    translation.deactivate()


# --- the catalogue itself -------------------------------------------------------------------------

def test_zh_catalogue_is_complete_and_not_fuzzy(zh_entries):
    header = [e for e in zh_entries if e.is_header]
    assert header and "fuzzy" not in header[0].flags, "the header is still marked fuzzy"
    assert "Plural-Forms: nplurals=1; plural=0;" in header[0].msgstr[0]
    live = [e for e in zh_entries if not e.is_header and not e.obsolete]
    assert len(live) > 300
    empty = [f"line {e.line}: {e.msgid!r}" for e in live if not all(e.msgstr.values())]
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in live if "fuzzy" in e.flags]
    assert not empty, f"{len(empty)} untranslated entries in {ZH_PO}:\n" + "\n".join(empty)
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries in {ZH_PO}:\n" + "\n".join(fuzzy)
    plural = [e for e in live if e.msgid_plural is not None]
    assert plural and all(set(e.msgstr) == {0} for e in plural), "zh has one plural form"


def test_zh_translations_keep_the_placeholders(zh_entries):
    wrong = []
    for e in zh_entries:
        if e.is_header or e.obsolete:
            continue
        for text in e.msgstr.values():
            if sorted(NAMED.findall(text)) != sorted(NAMED.findall(e.msgid)) or \
                    len(UNNAMED.findall(text)) != len(UNNAMED.findall(e.msgid)):
                wrong.append(f"line {e.line}: {e.msgid!r} → {text!r}")
            if HAN.search(e.msgid) is None and CJK.search(text) is None \
                    and e.msgid not in {"English", "PDF"}:
                wrong.append(f"line {e.line}: no Chinese in {text!r}")
    assert not wrong, "\n".join(wrong)


def _written_in_chinese(text: str) -> bool:
    """A msgid in Chinese, as opposed to an English one quoting a Chinese term or value."""
    return len(HAN.findall(text)) > len(re.findall(r"[A-Za-z]", text))


def test_en_catalogue_translates_only_the_chinese_msgids():
    """English msgids need no English translation; a msgid written in Chinese does.

    Msgids such as 'Expected 是 or 否, got …' are English: they quote the values a registry cell
    must literally hold, and stay untranslated.
    """
    entries = [e for e in read_po(EN_PO) if not e.is_header and not e.obsolete]
    assert entries
    assert not [e.msgid for e in entries if "fuzzy" in e.flags]
    chinese = [e for e in entries if _written_in_chinese(e.msgid)]
    untranslated = [e.msgid for e in chinese if not all(e.msgstr.values())]
    assert not untranslated, f"Chinese msgids without English: {untranslated}"
    still_chinese = [e.msgid for e in chinese if _written_in_chinese("".join(e.msgstr.values()))]
    assert not still_chinese
    pointless = [e.msgid for e in entries if not _written_in_chinese(e.msgid)
                 and any(e.msgstr.values()) and "".join(e.msgstr.values()) == e.msgid]
    assert not pointless, f"en entries that merely copy their msgid: {pointless}"


@pytest.mark.parametrize("po", [ZH_PO, EN_PO], ids=["zh_Hans", "en"])
def test_catalogue_compiles_with_msgfmt(po):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext (msgfmt) is not installed")
    proc = subprocess.run([msgfmt, "--check-format", "--check-header", "--check-domain",
                           "-o", "/dev/null", str(po)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def _source_copy_ignore(directory: str, names: list[str]) -> set[str]:
    skip_dirs = {".venv", ".git", "var", "staticfiles", "media", "node_modules", "__pycache__",
                 ".pytest_cache", "bench-out", "docs", "tests"}
    keep = (".py", ".html", ".txt", ".po")
    return {n for n in names
            if n in skip_dirs or (not n.endswith(keep) and not Path(directory, n).is_dir())}


def test_catalogue_holds_every_string_of_the_code(tmp_path):
    """``makemessages`` on a copy of the sources adds nothing the catalogue lacks."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip("GNU gettext (xgettext, msgmerge) is not installed")
    copy = tmp_path / "src"
    shutil.copytree(BASE_DIR, copy, ignore=_source_copy_ignore)
    proc = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "-v", "0",
         "--ignore", ".venv/*", "--ignore", "var/*", "--ignore", "staticfiles/*"],
        cwd=copy, capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    fresh = read_po(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    known = {e.key for e in read_po(ZH_PO) if not e.obsolete}
    missing = sorted(f"{e.msgctxt + ' | ' if e.msgctxt else ''}{e.msgid}" for e in fresh
                     if not e.obsolete and not e.is_header and e.key not in known)
    assert not missing, ("strings in the code but not in locale/zh_Hans (run `make messages` "
                         "and translate them):\n" + "\n".join(missing))


# --- translations at work -------------------------------------------------------------------------

OFFICIAL_RESULT_WORDING = {
    "NO_PROBLEM": "未发现问题",
    "PROBLEM_PENDING": "发现问题待后续处理",
    "PROBLEM_CORRECTED": "发现问题经责令已改正",
    "NO_ACTIVITY": "未发现开展本次抽查涉及的经营活动",
    "CLOSED": "已关闭停业或正在组织清算",
    "NON_COOPERATION": "不配合检查情节严重",
    "DEREGISTERED": "注销、吊销、撤销或迁出",
}

STATISTICS_COLUMNS = {
    "Planned": "计划抽查数",
    "Tasks drawn": "抽取任务数",
    "Checked": "已检查数",
    "Problems found": "发现问题数",
    "Rectified": "已整改数",
    "Cases opened": "立案查处数",
    "Refused to cooperate": "不配合检查数",
    "Closed or deregistered": "关闭停业或注销吊销数",
}


def test_result_categories_use_the_official_wording(catalogues):
    from inspections.models import ResultCategory

    with translation.override("zh-hans"):
        assert str(ResultCategory.NO_PROBLEM.label) == "未发现问题"
        got = {name: str(ResultCategory[name].label) for name in OFFICIAL_RESULT_WORDING}
    assert got == OFFICIAL_RESULT_WORDING
    with translation.override("en"):
        assert str(ResultCategory.NO_PROBLEM.label) == "No problem found"


def test_statistics_columns_use_the_official_headings(catalogues):
    with translation.override("zh-hans"):
        got = {k: translation.pgettext("statistics column", k) for k in STATISTICS_COLUMNS}
        assert translation.gettext("Page %(page)s of %(pages)s") % {"page": 1, "pages": 3} \
            == "第 1 页，共 3 页"
        assert translation.ngettext("%(n)s institution", "%(n)s institutions", 5) \
            % {"n": 5} == "5 家机构"
    assert got == STATISTICS_COLUMNS


@pytest.mark.django_db
def test_pages_render_in_chinese_by_default(catalogues, ref, client_as):
    client = client_as(None)
    home = client.get("/")
    assert home.status_code == 200
    html = home.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "首页" in html and "抽查计划及结果" in html and "检验检测机构监管平台" in html
    assert "Spot-check plans and results" not in html

    with translation.override("zh-hans"):
        url = reverse("inspections:public_plan_list")
    assert not url.startswith("/en/")
    plans = client.get(url)
    assert plans.status_code == 200
    text = plans.content.decode()
    assert "抽查计划及结果" in text and "双随机、一公开" in text


@pytest.mark.django_db
def test_pages_render_in_english_under_the_en_prefix(catalogues, ref, client_as):
    client = client_as(None)
    home = client.get("/en/")
    assert home.status_code == 200
    html = home.content.decode()
    assert '<html lang="en">' in html
    assert "Home" in html and "Spot-check plans and results" in html
    assert "首页" not in html

    with translation.override("en"):
        url = reverse("inspections:public_plan_list")
    assert url.startswith("/en/")
    text = client.get(url).content.decode()
    assert "Spot-check plans and results" in text and "抽查计划及结果" not in text


@pytest.mark.django_db
def test_staff_pages_render_in_chinese(catalogues, ref, regulator, client_as):
    response = client_as(regulator).get("/reports/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "统计报表" in text and "监督检查信息统计表" in text
