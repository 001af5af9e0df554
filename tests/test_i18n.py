"""Languages of the outputs: catalogs, CLDR formats, place names and their language tags.

Fast tests on the hand-built sample itinerary; the planned demo in German, Arabic and the
other languages is read back in ``test_i18n_print.py``.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from _sample import sample_itinerary
from babel.messages.pofile import read_po

from maps._names import Languages
from maps._schedule import PLANNER_NOTES, note_in
from maps.calendar_ics import build_calendar
from maps.csv_export import COLUMNS, csv_bytes
from maps.gpx_export import build_gpx
from maps.i18n import LANGUAGES, direction_of, language_code, translator
from maps.print_pdf import render_print_html
from tours._errors import InputError
from tours.itinerary import MEAL_WHERE_THE_GROUP_IS, City, Itinerary, PlaceRef

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "maps" / "locale"
FRIDAY = dt.date(2025, 3, 21)
HAN = re.compile(r"[\u4e00-\u9fff]")
KANA = re.compile(r"[\u3040-\u30ff]")
ARABIC = re.compile(r"[\u0600-\u06ff]")


# -- catalogs -------------------------------------------------------------------------------


def _ids(path: Path) -> set[tuple[str | None, str]]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}


def catalog_problems(po: Path, template: set[tuple[str | None, str]]) -> list[str]:
    """Every missing, empty, fuzzy or stale entry of the catalog *po* (empty: complete)."""
    with po.open("rb") as handle:
        catalog = read_po(handle)
    problems = []
    seen = set()
    for message in catalog:
        if not message.id:
            continue
        key = (message.context, message.id if isinstance(message.id, str) else message.id[0])
        seen.add(key)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"{po}: fuzzy {key}")
        if not all(strings):
            problems.append(f"{po}: untranslated {key}")
        wanted = set(re.findall(r"%\(\w+\)[sd]", key[1]))
        for text in strings:
            if text and not set(re.findall(r"%\(\w+\)[sd]", text)) <= wanted:
                problems.append(f"{po}: placeholders of {key} differ in {text!r}")
    problems += [f"{po}: missing {key}" for key in sorted(template - seen, key=str)]
    problems += [f"{po}: obsolete {key}" for key in sorted(seen - template, key=str)]
    return problems


def test_template_is_up_to_date_with_the_sources(tmp_path: Path) -> None:
    """Every marked string of maps/ is in tours.pot (run `scripts/catalogs.sh update`)."""
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "--no-location",
            "--omit-header",
            "-k",
            "N_",
            "-k",
            "NC_:1c,2",
            "-o",
            str(fresh),
            str(ROOT / "maps"),
        ],
        check=True,
        capture_output=True,
    )
    extracted, kept = _ids(fresh), _ids(LOCALE / "tours.pot")
    assert extracted == kept, (
        f"run `bash scripts/catalogs.sh update`: new {sorted(extracted - kept, key=str)}, "
        f"gone {sorted(kept - extracted, key=str)}"
    )
    assert len(kept) > 100


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalog_is_complete(code: str) -> None:
    template = _ids(LOCALE / "tours.pot")
    po = LOCALE / code / "LC_MESSAGES" / "tours.po"
    assert catalog_problems(po, template) == []


def test_catalog_check_finds_missing_fuzzy_and_stale_entries(tmp_path: Path) -> None:
    template = _ids(LOCALE / "tours.pot")
    text = (LOCALE / "de" / "LC_MESSAGES" / "tours.po").read_text(encoding="utf-8")
    broken = text.replace('msgstr "Programm"', 'msgstr ""', 1)
    broken = broken.replace('msgid "Legend"', '#, fuzzy\nmsgid "Legend"', 1)
    broken = broken.replace('msgid "Overview"\nmsgstr "Übersicht"', "", 1)
    po = tmp_path / "tours.po"
    po.write_text(broken, encoding="utf-8")
    problems = catalog_problems(po, template)
    assert any("untranslated (None, 'Programme')" in p for p in problems)
    assert any("fuzzy (None, 'Legend')" in p for p in problems)
    assert any("missing (None, 'Overview')" in p for p in problems)


def test_fuzzy_entries_are_not_used(tmp_path: Path) -> None:
    """A fuzzy translation must not reach an output: the catalog is compiled without it."""
    from maps.i18n import _translations  # noqa: PLC0415 - the compiled catalog itself

    assert _translations("de").gettext("Programme") == "Programm"
    assert _translations("ja").gettext("Programme") == "プログラム"


# -- formats --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "long", "weekday"),
    [
        ("en", "Friday, March 21, 2025", "Friday"),
        ("de", "Freitag, 21. März 2025", "Freitag"),
        ("zh", "2025年3月21日星期五", "星期五"),
        ("fr", "vendredi 21 mars 2025", "vendredi"),
        ("es", "viernes, 21 de marzo de 2025", "viernes"),
        ("ja", "2025年3月21日金曜日", "金曜日"),
        ("ar", "الجمعة، 21 مارس 2025", "الجمعة"),
    ],
)
def test_dates_and_weekdays_follow_cldr(code: str, long: str, weekday: str) -> None:
    t = translator(code)
    assert t.date_long(FRIDAY) == long
    assert t.weekday(FRIDAY) == weekday
    assert t.time(dt.datetime(2025, 3, 21, 9, 5)) in {"09:05", "9:05"}


def test_numbers_distances_and_durations_per_locale() -> None:
    nbsp = "\u00a0"
    assert translator("de").distance(1530) == f"1,5{nbsp}km"
    assert translator("en").distance(1530) == f"1.5{nbsp}km"
    assert translator("fr").distance(846) == "850\u202fm"  # CLDR's narrow no-break space
    assert translator("de").minutes(35) == f"35{nbsp}Min."
    assert translator("zh").minutes(35) == "35分钟"
    assert translator("de").duration(95) == f"1{nbsp}Std. 35{nbsp}Min."
    assert translator("de").number(1234.5, digits=1) == "1.234,5"


def test_plurals_follow_each_language() -> None:
    de, ar = translator("de"), translator("ar")
    assert de.ngettext("%(num)d person", "%(num)d people", 1) % {"num": 1} == "1 Person"
    assert de.ngettext("%(num)d person", "%(num)d people", 14) % {"num": 14} == "14 Personen"
    assert ar.ngettext("%(num)d person", "%(num)d people", 2) % {"num": 2} == "شخصان"
    assert ar.ngettext("%(num)d person", "%(num)d people", 5) % {"num": 5} == "5 أشخاص"
    assert ar.ngettext("%(num)d person", "%(num)d people", 14) % {"num": 14} == "14 شخصًا"
    fr = translator("fr")
    assert fr.ngettext("%(num)d person", "%(num)d people", 1) % {"num": 1} == "1 personne"
    assert fr.ngettext("%(num)d person", "%(num)d people", 14) % {"num": 14} == "14 personnes"


def test_language_tags_directions_and_errors() -> None:
    assert language_code("zh-Hans") == "zh"
    assert language_code("de-AT") == "de"
    assert translator("zh").lang == "zh-Hans"
    assert translator("ar").dir == "rtl"
    assert translator("ja").dir == "ltr"
    assert direction_of("وفد") == "rtl"
    assert direction_of("123 Chengdu") == "ltr"
    with pytest.raises(InputError, match=r"`delegation.languages`: no translation for 'fi'"):
        translator("fi")


# -- place names ----------------------------------------------------------------------------

SQUARE = PlaceRef(
    id="square",
    name_en="Tianfu Square",
    name_zh="天府广场",
    name_de="Tianfu-Platz",
    names={"ja": "天府広場", "ar": "ساحة تيانفو"},
    lat=30.66,
    lon=104.06,
)


def _with(itinerary: Itinerary, languages: list[str], city: City | None = None) -> Itinerary:
    delegation = itinerary.delegation.model_copy(update={"languages": languages})
    return itinerary.model_copy(update={"delegation": delegation, "city": city or itinerary.city})


def test_fallback_chain_requested_then_english_then_local() -> None:
    assert SQUARE.name_in("de") == ("Tianfu-Platz", "de")
    assert SQUARE.name_in("fr") == ("Tianfu Square", "en")
    local_only = PlaceRef(id="x", name_en="", name_local="Kremser Tor", lat=0, lon=0)
    assert local_only.name_in("fr", local_language="de") == ("Kremser Tor", "de")


def test_names_in_order_never_twice_each_with_its_language() -> None:
    it = sample_itinerary()
    de = Languages.of(_with(it, ["de", "zh"]))
    assert [(n.text, n.lang, n.local) for n in de.names(SQUARE)] == [
        ("Tianfu-Platz", "de", False),
        ("天府广场", "zh-Hans", True),
    ]
    ja = Languages.of(_with(it, ["ja"]))
    assert [(n.text, n.lang) for n in ja.names(SQUARE)] == [
        ("天府広場", "ja"),
        ("天府广场", "zh-Hans"),
    ]
    same = SQUARE.model_copy(update={"names": {"ja": "天府广场"}})
    assert [n.lang for n in ja.names(same)] == ["ja"]  # one string, printed once
    ar = Languages.of(_with(it, ["ar", "en"]))
    assert [(n.text, n.dir) for n in ar.names(SQUARE)] == [
        ("ساحة تيانفو", "rtl"),
        ("Tianfu Square", "ltr"),
        ("天府广场", "ltr"),
    ]


class _Tags(HTMLParser):
    """Text of every element that carries a ``lang`` attribute, with that attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str | None] = []
        self.texts: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"br", "meta", "img", "line", "link"}:
            return
        self.stack.append(dict(attrs).get("lang"))

    def handle_endtag(self, tag: str) -> None:
        if tag not in {"br", "meta", "img", "line", "link"} and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        lang = next((tag for tag in reversed(self.stack) if tag), None)
        if lang and data.strip():
            self.texts.append((lang, data.strip()))


def _lang_problems(html: str) -> list[str]:
    """Text whose script contradicts the ``lang`` it inherits (Han in a Latin language ...)."""
    parser = _Tags()
    parser.feed(html)
    problems = []
    for lang, text in parser.texts:
        if text.startswith("@") or "{" in text:  # stylesheet text
            continue
        if lang in {"en", "de", "fr", "es"} and (HAN.search(text) or KANA.search(text)):
            problems.append(f"{lang}: {text}")
        if lang == "zh-Hans" and KANA.search(text):
            problems.append(f"{lang}: {text}")
    return problems


def test_print_of_a_city_with_another_local_language_labels_it_right() -> None:
    """A Finnish city's names are Finnish, never called Chinese or tagged zh."""
    it = sample_itinerary()
    city = City(id="turku", name_en="Turku", timezone="Asia/Shanghai", language="fi")
    finnish = [
        day.model_copy(
            update={
                "start_place": day.start_place.model_copy(
                    update={"name_zh": "", "name_local": "Hotelli Kakola"}
                )
            }
        )
        for day in it.days
    ]
    it = _with(it, ["de"], city).model_copy(update={"days": finnish})
    html = render_print_html(it)
    assert "Ortsnamen stehen auch auf Finnisch, der Landessprache." in html
    assert '<span class="name name-other name-local" lang="fi" dir="ltr">Hotelli Kakola' in html
    assert 'lang="zh-Hans">Hotelli' not in html
    assert "Chinesisch" not in html


@pytest.mark.parametrize("code", LANGUAGES)
def test_print_html_tags_every_text_with_its_language(code: str) -> None:
    it = _with(sample_itinerary(), [code, "zh"])
    html = render_print_html(it)
    t = translator(code)
    assert f'<html lang="{t.lang}" dir="{t.dir}">' in html
    assert t.gettext("Programme") in html
    assert t.date_long(FRIDAY) in html
    assert _lang_problems(html) == []


def test_exports_speak_the_delegation_language() -> None:
    it = _with(sample_itinerary(), ["de", "zh"])
    events = [c for c in build_calendar(it).walk() if c.name == "VEVENT"]
    summaries = [str(e["SUMMARY"]) for e in events]
    assert "Besichtigung" not in summaries  # a visit is named by its place
    assert any(s.startswith("Lunch: ") for s in summaries)  # titles are the request's
    assert all(e["SUMMARY"].params["LANGUAGE"] == "de" for e in events)
    stops = [e for e in events if "travel" not in e["CATEGORIES"].cats]  # not the journeys
    description = str(stops[0]["DESCRIPTION"])
    assert description.startswith("Tag 1, Station 1: ")
    assert "Kartendaten © OpenStreetMap contributors" in description
    gpx = build_gpx(it)
    assert gpx.tracks[0].name == "Tag 1 · 1 Bus"  # a track per coach or walking stretch
    header = csv_bytes(it).decode("utf-8-sig").splitlines()[0].split(",")
    assert header[:3] == ["Tag", "Datum", "Beginn"]
    english = csv_bytes(_with(it, ["en"])).decode("utf-8-sig").splitlines()[0]
    assert english.split(",") == list(COLUMNS)


def test_a_region_gives_its_own_formats() -> None:
    """``en-GB`` (the British demo) writes British dates; the catalog stays English."""
    t = translator("en-GB")
    assert (t.code, t.lang) == ("en", "en-GB")
    assert t.date_long(FRIDAY) == "Friday, 21 March 2025"
    assert translator("en-XX").lang == "en"  # a region CLDR does not know: the default
    html = render_print_html(_with(sample_itinerary(), ["en-GB", "zh"]))
    assert '<html lang="en-GB" dir="ltr">' in html
    assert "Friday, 21 March 2025" in html


def test_a_request_in_a_language_without_catalog_fails_at_check(tmp_path: Path) -> None:
    from click.testing import CliRunner  # noqa: PLC0415 - CLI test only

    from tours.cli import cli  # noqa: PLC0415

    request = ROOT / "data" / "chengdu" / "requests" / "deutsche-kultur-2025.yaml"
    finnish = tmp_path / "fi.yaml"
    finnish.write_text(
        request.read_text(encoding="utf-8").replace("languages: [de, zh]", "languages: [fi, zh]"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["check", str(finnish)])
    assert result.exit_code == 2
    assert "field `delegation.languages`: the outputs cannot be written in 'fi'" in result.output
    assert "Traceback" not in result.output


def test_every_travel_mode_is_translated() -> None:
    """A mode added to ``tours.modes`` needs its label (and lower-case form) in the catalogs."""
    from tours.modes import MODES  # noqa: PLC0415

    ids = {key for _, key in _ids(LOCALE / "tours.pot")}
    for mode in MODES.values():
        assert {mode.label, mode.label.lower()} <= ids, mode.id


def test_the_planners_own_meal_note_is_translated() -> None:
    """The note the planner writes on a meal "where the group is" is shown translated."""
    assert MEAL_WHERE_THE_GROUP_IS in PLANNER_NOTES
    assert note_in(MEAL_WHERE_THE_GROUP_IS, translator("de")).startswith("Dort, wo die Gruppe")
    assert note_in("Bring the gifts.", translator("de")) == "Bring the gifts."  # request text
