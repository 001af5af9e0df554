"""Languages of the outputs: gettext catalogs and CLDR formatting for one delegation language.

UI strings are English message ids marked for gettext and translated through the catalogs in
``maps/locale/<lang>/LC_MESSAGES/tours.po`` (managed with Babel: extract, update, compile; see
``maps/locale/README.md``). The ``.po`` files are compiled in memory on first use, so a fresh
clone needs no build step. Dates, times, weekday names, numbers, distances and durations are
formatted with Babel from CLDR data, never by hand.

In Python::

    t = translator("de")
    _ = t.gettext
    _("Programme")                      # "Programm"
    t.ngettext("%(num)d person", "%(num)d people", 12) % {"num": 12}
    t.date_long(day.date)               # "Freitag, 21. März 2025"

Strings kept in module-level tables are marked with :func:`N_` and translated when used.
In templates (from :func:`environment`): ``{{ _("Programme") }}``,
``{{ _("Day %(num)s", num=3) }}`` and the translator as ``t``: ``{{ t.date_long(d) }}``.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Any

import jinja2
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.units import format_unit

from maps._clock import clock
from routing._cache import default_cache_dir
from tours._errors import InputError
from tours.settings import OUTPUT_LANGUAGES

#: Languages with a complete catalog, in the order they are listed to users.
LANGUAGES: tuple[str, ...] = OUTPUT_LANGUAGES
NBSP = "\u00a0"
#: Catalog domain (``maps/locale/<lang>/LC_MESSAGES/<DOMAIN>.po``).
DOMAIN = "tours"
#: Babel locale of a language whose bare code is ambiguous in CLDR.
_BABEL_LOCALES = {"zh": "zh_Hans"}
#: The ``lang`` attribute written for a language code (the script where it matters).
_HTML_TAGS = {"zh": "zh-Hans"}
#: Spellings of a language tag accepted beside the bare code.
_ALIASES = {
    "zh-hans": "zh",
    "zh-cn": "zh",
    "zh-sg": "zh",
    "zh_hans": "zh",
    "zh_cn": "zh",
}


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext-noop name
    """Mark *message* for extraction without translating it (translate it when shown)."""
    return message


def NC_(context: str, message: str) -> tuple[str, str]:  # noqa: N802 - gettext-noop style
    """Mark *message* in *context* for extraction; translate with ``t.pgettext(*marked)``."""
    return context, message


def language_code(tag: str) -> str:
    """The catalog code of a language tag: ``"de-DE"`` → ``"de"``, ``"zh-Hans"`` → ``"zh"``.

    Raises
    ------
    InputError
        For a language without a catalog, naming the supported ones.
    """
    lowered = tag.strip().lower()
    code = _ALIASES.get(lowered, lowered.replace("_", "-").split("-", 1)[0])
    if code not in LANGUAGES:
        msg = (
            f"`delegation.languages`: no translation for {tag!r}; "
            f"choose from {', '.join(LANGUAGES)}"
        )
        raise InputError(msg)
    return code


def html_lang(code: str) -> str:
    """The ``lang`` attribute for a language code (``zh`` → ``zh-Hans``; others unchanged).

    Any code is accepted (a city's local language may have no catalog); it is returned in
    BCP 47 form.
    """
    code = code.strip().replace("_", "-")
    return _HTML_TAGS.get(code.lower(), code)


def text_direction(code: str) -> str:
    """``"rtl"`` for a right-to-left language (CLDR character order), else ``"ltr"``."""
    try:
        locale = Locale.parse(_BABEL_LOCALES.get(code, code.replace("-", "_")))
    except (ValueError, LookupError):
        return "ltr"
    return "rtl" if locale.character_order == "right-to-left" else "ltr"


def direction_of(text: str) -> str:
    """``"rtl"`` or ``"ltr"`` from the first strongly directional letter of *text*.

    For text of unknown language (names and notes from OSM or a request): the ``dir``
    attribute is then set explicitly, as not every renderer honours ``dir="auto"``.
    """
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in {"R", "AL"}:
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def _catalog_text(code: str) -> str:
    root = resources.files("maps").joinpath("locale", code, "LC_MESSAGES", f"{DOMAIN}.po")
    return root.read_text(encoding="utf-8")


@functools.cache
def _translations(code: str) -> gettext.GNUTranslations:
    """The compiled catalog of *code* (compiled from its ``.po`` in memory, once)."""
    catalog = read_po(io.StringIO(_catalog_text(code)), locale=_BABEL_LOCALES.get(code, code))
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@dataclass(frozen=True)
class Translator:
    """UI strings and CLDR formats of one language.

    ``code`` is the catalog code (``de``), ``lang`` the HTML ``lang`` attribute
    (``zh-Hans``), ``dir`` ``"ltr"`` or ``"rtl"``.
    """

    code: str
    locale: Locale
    translations: gettext.GNUTranslations

    @property
    def lang(self) -> str:
        """The HTML ``lang`` attribute of the language (with its region: ``en-GB``)."""
        if self.locale.territory:
            return "-".join(
                part for part in (self.code, self.locale.script, self.locale.territory) if part
            )
        return html_lang(self.code)

    @property
    def dir(self) -> str:
        """``"rtl"`` for Arabic, else ``"ltr"``."""
        return text_direction(self.code)

    def gettext(self, message: str) -> str:
        """*message* translated (the English message id when the catalog lacks it)."""
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        """The plural form for *number* (CLDR plural rules of the catalog)."""
        return self.translations.ngettext(singular, plural, number)

    def pgettext(self, context: str, message: str) -> str:
        """*message* translated in *context* (for short words with several meanings)."""
        return self.translations.pgettext(context, message)

    # -- dates and times ------------------------------------------------------------------
    def date_long(self, date: dt.date) -> str:
        """``Freitag, 21. März 2025``, ``2025年3月21日星期五``, ``Friday, March 21, 2025``."""
        return format_date(date, "full", locale=self.locale)

    def date_short(self, date: dt.date) -> str:
        """Weekday, day and month: ``Fr., 21. März``, ``3月21日周五``, ``Fri, Mar 21``."""
        return str(format_skeleton("MMMEd", date, locale=self.locale))

    def date_medium(self, date: dt.date) -> str:
        """Weekday, day, month and year: ``Fr., 21. März 2025``."""
        return str(format_skeleton("yMMMEd", date, locale=self.locale))

    def weekday(self, date: dt.date) -> str:
        """The weekday's full name: ``Freitag``, ``星期五``, ``vendredi``."""
        return format_date(date, "EEEE", locale=self.locale)

    def time(self, moment: dt.datetime | dt.time) -> str:
        """Hours and minutes on the 24-hour clock as the locale writes it (``09:05``).

        A datetime is rounded up to the minute first, as every output shows times
        (:func:`maps._clock.clock`).
        """
        if isinstance(moment, dt.datetime):
            moment = clock(moment)
        return str(format_skeleton("Hm", moment, locale=self.locale))

    def time_span(self, start: dt.datetime, end: dt.datetime) -> str:
        """``09:05–10:30`` (an en dash; Arabic keeps the same digits)."""
        return f"{self.time(start)}\N{EN DASH}{self.time(end)}"

    # -- numbers and quantities -------------------------------------------------------------
    def number(self, value: float, *, digits: int = 0) -> str:
        """*value* with the locale's decimal sign and grouping, *digits* after the sign."""
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def distance(self, metres: float) -> str:
        """``850 m`` below one kilometre (to 10 m), else ``1,5 km`` (one decimal)."""
        if metres < 1000:
            value = round(metres / 10) * 10
            return _unbroken(format_unit(value, "length-meter", "short", locale=self.locale))
        text = format_unit(
            self.number(metres / 1000, digits=1), "length-kilometer", "short", locale=self.locale
        )
        return _unbroken(text)

    def minutes(self, minutes: float) -> str:
        """A duration in minutes: ``35 Min.``, ``35分钟``."""
        return _unbroken(
            format_unit(round(minutes), "duration-minute", "short", locale=self.locale)
        )

    def duration(self, minutes: float) -> str:
        """``45 min``, ``1 h``, ``1 h 30 min`` in the locale's short units."""
        whole = round(minutes)
        hours, rest = divmod(whole, 60)
        parts = []
        if hours:
            parts.append(format_unit(hours, "duration-hour", "short", locale=self.locale))
        if rest or not hours:
            parts.append(format_unit(rest, "duration-minute", "short", locale=self.locale))
        return " ".join(_unbroken(part) for part in parts)

    def language_name(self, code: str) -> str:
        """The name of language *code* in this language: ``Chinesisch`` for ``zh`` in German."""
        try:
            other = Locale.parse(code.replace("-", "_"))
        except (ValueError, LookupError):
            return code
        name = other.get_language_name(self.locale)
        return name or code

    def join(self, items: list[str]) -> str:
        """Items joined the locale's way: ``A, B und C``."""
        from babel.lists import format_list  # noqa: PLC0415 - only needed for lists

        return format_list(items, locale=self.locale)


def _unbroken(quantity: str) -> str:
    """*quantity* with no-break spaces, so a number never wraps away from its unit."""
    return quantity.replace(" ", NBSP)


@functools.cache
def translator(tag: str) -> Translator:
    """The :class:`Translator` of language *tag* (``"de"``, ``"zh-Hans"``, ``"ar"`` ...).

    Raises
    ------
    InputError
        For a language without a catalog.
    """
    code = language_code(tag)
    return Translator(code=code, locale=_locale(tag, code), translations=_translations(code))


def _locale(tag: str, code: str) -> Locale:
    """The CLDR locale of *tag*: with its region where CLDR has it (``en-GB`` writes
    ``Friday 21 March 2025``), else the language's default (``zh`` is Simplified)."""
    default = Locale.parse(_BABEL_LOCALES.get(code, code))
    parts = tag.strip().replace("_", "-").split("-")
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    if region is None:
        return default
    try:
        regional = Locale(default.language, territory=region, script=default.script)
        regional.date_formats  # noqa: B018 - fails for a region CLDR does not know
    except (ValueError, LookupError, UnknownLocaleError):
        return default
    return regional


#: Cache folder (under the cache root) of the compiled templates.
TEMPLATE_CACHE_FOLDER = "templates"


def _template_cache(tag: str) -> jinja2.BytecodeCache | None:
    """Compiled templates of language *tag* kept between runs (Jinja checks each against its
    source), so a run does not compile the print and map templates again; ``None`` if the
    cache root cannot be created. One folder per language: Jinja folds filters of constant
    text into the compiled code, and the filters of each language's environment differ."""
    folder = default_cache_dir() / TEMPLATE_CACHE_FOLDER
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder), pattern=f"{tag}-%s.cache")


@functools.cache
def environment(tag: str) -> jinja2.Environment:
    """The autoescaping Jinja environment of ``maps/templates`` in language *tag*.

    The ``jinja2.ext.i18n`` extension is installed with the language's catalog
    (new-style gettext: ``{{ _("Day %(num)s", num=2) }}`` escapes its arguments), and the
    translator is the global ``t``.
    """
    t = translator(tag)
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("maps", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=_template_cache(tag),
    )
    env.install_gettext_translations(t.translations, newstyle=True)  # type: ignore[attr-defined]
    env.globals["t"] = t
    env.filters["dir"] = direction_of
    return env


def render(template: str, tag: str, **context: Any) -> str:
    """Render ``maps/templates/<template>`` in language *tag* with autoescaping."""
    return environment(tag).get_template(template).render(**context)
