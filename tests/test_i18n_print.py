"""The demo in German, Arabic and every other language, read back from the real outputs.

The German demo request (``deutsche-kultur-2025.yaml``) is planned on the shared Chengdu
extract and re-checked by ``checker.py``; its outputs are read back with ``pdftotext``,
``pdffonts`` and the calendar parser; the other languages render the same plan in their own
language. Arabic is opened in headless chromium: the print and the map panels run right to
left.
"""

from __future__ import annotations

import json
import re
import subprocess
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from _planning import plan_checked
from icalendar import Calendar

from maps.folium_map import write_maps
from maps.i18n import LANGUAGES, translator
from maps.print_pdf import html_to_pdf, render_print_html
from routing import StreetNetwork
from routing.basemap import load_basemap
from tours.cli._basemap import BASEMAP_MARGIN_M
from tours.itinerary import Itinerary, Visit
from tours.outputs import write_exports
from tours.planning.budget import SearchBudget
from tours.planning.request import city_pack_for, load_request

DATA = Path(__file__).resolve().parents[1] / "data" / "chengdu" / "requests"
GERMAN_REQUEST = DATA / "deutsche-kultur-2025.yaml"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
ITERATIONS = 300
CHROMIUM = "/usr/bin/chromium"
#: Embedded font families a programme in each language must use (``pdffonts`` names).
FONTS = {
    "en": {"Noto-Sans", "Noto-Sans-CJK-SC"},
    "de": {"Noto-Sans", "Noto-Sans-CJK-SC"},
    "fr": {"Noto-Sans", "Noto-Sans-CJK-SC"},
    "es": {"Noto-Sans", "Noto-Sans-CJK-SC"},
    "zh": {"Noto-Sans-CJK-SC"},
    "ja": {"Noto-Sans-CJK-JP", "Noto-Sans-CJK-SC"},
    "ar": {"Noto-Naskh-Arabic", "Noto-Sans-CJK-SC"},
}


@dataclass(frozen=True)
class German:
    itinerary: Itinerary
    out: Path


@pytest.fixture(scope="module")
def german(
    chengdu_net: StreetNetwork, chengdu_pbf: Path, tmp_path_factory: pytest.TempPathFactory
) -> German:
    """The German demo planned (and re-checked), with every output written."""
    request = load_request(GERMAN_REQUEST)
    pack = city_pack_for(request)
    budget = SearchBudget(time_limit=None, max_iterations=ITERATIONS)
    itinerary = plan_checked(request, pack, chengdu_net, budget)
    out = tmp_path_factory.mktemp("i18n-de")
    basemap = load_basemap(chengdu_pbf, bbox=itinerary.bounds(margin_m=BASEMAP_MARGIN_M))
    write_exports(itinerary, out, formats="all", basemap=basemap)
    write_maps(itinerary, out, basemap=basemap)
    return German(itinerary, out)


def _in(itinerary: Itinerary, code: str) -> Itinerary:
    delegation = itinerary.delegation.model_copy(update={"languages": [code, "zh"]})
    return itinerary.model_copy(update={"delegation": delegation})


def _text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def _fonts(pdf: Path) -> list[tuple[str, bool]]:
    """``(family, embedded)`` of every font in *pdf* (subset prefix and style dropped)."""
    lines = subprocess.run(
        ["pdffonts", str(pdf)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    fonts = []
    for line in lines:
        name = line.split()[0].split("+", 1)[-1]
        family = re.sub(r"-(Bold|Regular|Italic)$", "", name)
        emb = line.split()[-5] == "yes"
        fonts.append((family, emb))
    return fonts


@cache
def _font_chars(family: str) -> frozenset[int]:
    """Code points the installed font *family* (a ``pdffonts`` name) has glyphs for."""
    from fontTools.ttLib import TTCollection, TTFont  # noqa: PLC0415 - test helper only

    query = family.replace("-", " ")
    path = subprocess.run(
        ["fc-match", "-f", "%{file}", query], check=True, capture_output=True, text=True
    ).stdout
    index = int(
        subprocess.run(
            ["fc-match", "-f", "%{index}", query], check=True, capture_output=True, text=True
        ).stdout
        or 0
    )
    font = TTCollection(path).fonts[index] if path.endswith(".ttc") else TTFont(path)
    return frozenset(font.getBestCmap())


def _font_file(name: str) -> tuple[str, int]:
    """Installed file and collection index of a ``pdffonts`` font name (``Noto-Sans-Bold``)."""
    family, _, style = name.partition("-Bold")
    query = family.replace("-", " ") + (":bold" if style or name.endswith("-Bold") else "")
    found = subprocess.run(
        ["fc-match", "-f", "%{file}|%{index}", query], check=True, capture_output=True, text=True
    ).stdout
    path, index = found.split("|")
    return path, int(index or 0)


@cache
def _glyph_count(name: str) -> int:
    from fontTools.ttLib import TTCollection, TTFont  # noqa: PLC0415 - test helper only

    path, index = _font_file(name)
    font = TTCollection(path).fonts[index] if path.endswith(".ttc") else TTFont(path)
    return len(font.getGlyphOrder())


def notdef_glyphs(path: Path) -> list[tuple[str, int]]:
    """``(font, glyph id)`` of every .notdef (missing-glyph box) drawn in *pdf*.

    WeasyPrint writes text as glyph ids of the original font (Identity-H, two bytes per
    glyph); Pango gives a character no font has glyph 0 or an id past the font's last
    glyph, which every viewer draws as the .notdef box. Fonts are found by their subset tag.
    """
    listing = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    tags = dict(line.split()[0].split("+", 1) for line in listing if "+" in line.split()[0])
    pdf = path.read_bytes()
    missing: list[tuple[str, int]] = []
    for match in re.finditer(rb"<<(.*?)>>\s*stream\r?\n", pdf, re.S):
        head = match.group(1)
        length = re.search(rb"/Length (\d+)", head)
        if length is None or b"/FlateDecode" not in head or b"/Image" in head:
            continue
        try:
            content = zlib.decompress(pdf[match.end() : match.end() + int(length.group(1))])
        except zlib.error:
            continue
        font = ""
        for op in re.finditer(rb"/(\w+) [\d.]+ Tf|\[(.*?)\] TJ", content, re.S):
            if op.group(1):
                font = tags.get(op.group(1).decode(), "")
                continue
            for hexes in re.findall(rb"<([0-9a-fA-F]*)>", op.group(2)):
                for i in range(0, len(hexes), 4):
                    gid = int(hexes[i : i + 4], 16)
                    if gid == 0 or (font and gid >= _glyph_count(font)):
                        missing.append((font, gid))
    return missing


def test_the_notdef_check_sees_a_missing_glyph(tmp_path: Path) -> None:
    """The check below is real: a character no installed font has is found as .notdef."""
    clean, tofu = tmp_path / "clean.pdf", tmp_path / "tofu.pdf"
    clean.write_bytes(html_to_pdf("<p lang='de'>Freitag, 21. März · 成都 · الجمعة</p>"))
    assert notdef_glyphs(clean) == []
    tofu.write_bytes(html_to_pdf("<p>Freitag \ue000</p>"))  # private use: no font has it
    assert notdef_glyphs(tofu)


# -- German demo ----------------------------------------------------------------------------


def test_german_pdf_has_german_headings_and_weekdays(german: German) -> None:
    text = _text(german.out / "itinerary.pdf")
    flat = " ".join(text.split())
    for heading in ("PROGRAMM", "Delegation", "Zeitraum", "Übersicht", "Kontakte"):
        assert heading in text, heading
    assert "Freitag, 21. März 2025 – Samstag, 22. März 2025" in flat
    assert "Tag 1 – Freitag, 21. März 2025" in flat
    assert "Tag 2 – Samstag, 22. März 2025" in flat
    assert "Weg zur nächsten Station" in flat
    assert "Nicht in diesem Programm" in flat
    assert "Ortsnamen stehen auch auf Chinesisch, der Landessprache." in flat
    for english in ("Overview", "Day 1", "Friday", "PROGRAMME", "日程"):
        assert english not in text, english


def test_german_demo_shows_chinese_names_for_the_driver(german: German) -> None:
    html = (german.out / "itinerary.html").read_text(encoding="utf-8")
    text = " ".join(_text(german.out / "itinerary.pdf").split())
    stops = [s for day in german.itinerary.days for s in day.stops]
    assert any(s.place.name_de for s in stops)
    for stop in stops:
        place = stop.place
        main = place.name_de or place.name_en
        main_lang = "de" if place.name_de else "en"
        cell = (
            f'<span class="name name-main" lang="{main_lang}" dir="ltr">{_esc(main)}</span><br>'
            f'<span class="name name-other name-local" lang="zh-Hans" dir="ltr">'
            f"{_esc(place.name_zh)}</span>"
        )
        assert cell in html, place.id
        assert place.name_zh.replace(" ", "") in text.replace(" ", ""), place.id
    assert "Wenshu-Kloster" in text and "文殊院" in text


def _esc(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )


def test_german_calendar_speaks_german(german: German) -> None:
    calendar = Calendar.from_ical((german.out / "itinerary.ics").read_bytes())
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    by_uid = {str(e["UID"]): e for e in events}
    for day in german.itinerary.days:
        for stop in day.stops:
            event = by_uid[stop.uid]
            summary = str(event["SUMMARY"])
            if isinstance(stop, Visit):
                assert summary == (stop.place.name_de or stop.place.name_en)
            else:
                assert summary.startswith(f"{stop.title}: ")
            assert event["SUMMARY"].params["LANGUAGE"] == "de"
            assert str(event["DESCRIPTION"]).startswith("Tag ")
            assert stop.place.name_zh in str(event["LOCATION"])
    assert any(str(e["SUMMARY"]).startswith("Mittagessen: ") for e in events)
    csv_head = (german.out / "itinerary.csv").read_bytes().decode("utf-8-sig").splitlines()[0]
    assert csv_head.startswith("Tag,Datum,Beginn,Ende,Art,Titel")
    gpx = (german.out / "itinerary.gpx").read_text(encoding="utf-8")
    tracks = re.findall(r"<trk>\s*<name>([^<]*)</name>", gpx)
    assert tracks, "no tracks in the GPX"
    assert all(re.fullmatch(r"Tag \d · \d+ (Bus|zu Fuß)", name) for name in tracks), tracks


def test_german_maps_speak_german(german: German) -> None:
    day = (german.out / "day-2.html").read_text(encoding="utf-8")
    assert '<html lang="de">' in day
    for word in (
        "Legende",
        "Ganze Tour zeigen",
        "Vollbild",
        "Wo bin ich?",
        "Vergrößern",
        "Besichtigung",
    ):
        assert word in day or json.dumps(word)[1:-1] in day, word  # panels come as JSON
    assert "Tag 2 · Sa., 22. März" in day
    assert "Show the whole tour" not in day


# -- every language -------------------------------------------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_language_prints_without_missing_glyphs(
    german: German, code: str, tmp_path: Path
) -> None:
    """Fonts of the language embedded; no .notdef drawn; every character has a glyph."""
    itinerary = _in(german.itinerary, code)
    pdf = tmp_path / f"{code}.pdf"
    pdf.write_bytes(html_to_pdf(render_print_html(itinerary, for_pdf=True)))
    fonts = _fonts(pdf)
    assert all(embedded for _, embedded in fonts), fonts
    families = {family for family, _ in fonts}
    assert FONTS[code] <= families, families
    assert "DejaVu-Sans" not in families  # no fallback to a font outside the Noto set
    assert notdef_glyphs(pdf) == []
    text = _text(pdf)
    covered = frozenset().union(*(_font_chars(family) for family in families))
    missing = {ch for ch in text if not ch.isspace() and ord(ch) not in covered}
    assert missing == set(), f"{code}: no glyph for {sorted(missing)}"
    t = translator(code)
    flat = " ".join(re.sub("[\u202a-\u202e]", "", text).split())
    first = german.itinerary.days[0].date
    if t.dir == "rtl":  # pdftotext gives right-to-left runs in its own order: whole words
        assert t.weekday(first) in flat
        assert t.gettext("Programme") in flat
    else:
        assert t.date_long(first) in flat
    # a page image: rendered, not blank
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "2", "-l", "2", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    page = next(tmp_path.glob("p-*.png"))
    assert page.stat().st_size > 5_000


def test_japanese_names_are_tagged_japanese(german: German, tmp_path: Path) -> None:
    """A Japanese name is tagged ``ja`` (Japanese glyph shapes), the Chinese one ``zh-Hans``."""
    itinerary = _in(german.itinerary, "ja")
    html = render_print_html(itinerary)
    assert '<span class="name name-main" lang="ja" dir="ltr">天府広場</span>' in html
    assert 'lang="zh-Hans" dir="ltr">天府广场</span>' in html
    assert 'lang="zh-Hans" dir="ltr">天府広場' not in html
    pdf = tmp_path / "ja.pdf"
    pdf.write_bytes(html_to_pdf(render_print_html(itinerary, for_pdf=True)))
    assert "Noto-Sans-CJK-JP" in {family for family, _ in _fonts(pdf)}


# -- Arabic, right to left ------------------------------------------------------------------


@pytest.mark.browser
def test_arabic_print_and_map_run_right_to_left(
    german: German, browser: Any, tmp_path: Path
) -> None:
    itinerary = _in(german.itinerary, "ar")
    html = render_print_html(itinerary)
    assert '<html lang="ar" dir="rtl">' in html
    (tmp_path / "itinerary.html").write_text(html, encoding="utf-8")
    maps = write_maps(itinerary, tmp_path / "maps")
    context = browser.new_context(viewport={"width": 1280, "height": 800}, offline=True)
    page = context.new_page()
    page.goto((tmp_path / "itinerary.html").as_uri())
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    number = page.locator(".schedule th.n").first.bounding_box()
    travel = page.locator(".schedule th.next").first.bounding_box()
    assert number["x"] > travel["x"]  # the first column is on the right
    latin = page.locator('.schedule .name[lang="zh-Hans"]').first
    assert latin.evaluate("e => getComputedStyle(e).direction") == "ltr"

    page.goto(maps[2].as_uri())
    panel = page.locator("details.tour-timeline")
    assert panel.get_attribute("dir") == "rtl"
    assert panel.get_attribute("lang") == "ar"
    if not panel.evaluate("e => e.open"):
        panel.locator("summary").click()
    row = page.locator(".tour-tl-stop").first
    time_box = row.locator("time").bounding_box()
    name_box = row.locator(".tour-tl-name").bounding_box()
    assert time_box["x"] > name_box["x"]  # time on the right, the name to its left
    assert panel.evaluate("e => getComputedStyle(e).textAlign") in {"start", "right"}
    legend = page.locator("details.tour-legend")
    assert legend.get_attribute("dir") == "rtl"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "i18n-ar-day-2-desktop.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "i18n-ar-day-2-phone.png"))
    context.close()
