"""Which names of a place an output shows, in which order, each with its real language.

For a delegation with ``languages: [de, zh]`` in a city whose local language is Chinese:

1. the name in the delegation's language (fallback chain: the language → English → the local
   name; see :meth:`tours.itinerary.PlaceRef.name_in`);
2. the name in each further language of the delegation, where the place has one;
3. the name in the city's local language, for the driver (always, when known).

A name equal to one already shown is left out, so no name is printed twice. Each name keeps
the language it is really in (``lang`` attribute; ``dir`` for right-to-left scripts).
"""

from __future__ import annotations

from dataclasses import dataclass

from maps.i18n import Translator, html_lang, language_code, text_direction, translator
from tours.itinerary import City, Itinerary, PlaceRef


@dataclass(frozen=True)
class Name:
    """One name as shown: ``text``, its ``lang`` attribute and text direction ``dir``.

    ``local`` is true for the name in the city's local language (the driver's).
    """

    text: str
    lang: str
    dir: str
    local: bool = False


@dataclass(frozen=True)
class Languages:
    """The languages of one itinerary's outputs.

    ``ui`` is the delegation's language (with a catalog), ``extra`` its further languages,
    ``local`` the city's local language (``""`` when unknown), ``tag`` the language as the
    request gives it (``en-GB``: British dates).
    """

    ui: str
    extra: tuple[str, ...]
    local: str
    tag: str = ""

    @classmethod
    def of(cls, itinerary: Itinerary, *, language: str | None = None) -> Languages:
        """The languages of *itinerary* (``language`` overrides the delegation's first one)."""
        wanted = list(itinerary.delegation.languages) or ["en"]
        ui = language_code(language or wanted[0])
        extra = tuple(
            dict.fromkeys(_code(tag) for tag in wanted if _code(tag) != ui),
        )
        tag = language or wanted[0]
        return cls(ui=ui, extra=extra, local=_code(itinerary.city.local_language), tag=tag)

    @property
    def key(self) -> str:
        """The tag to render with (the request's, else the catalog code)."""
        return self.tag or self.ui

    @property
    def t(self) -> Translator:
        """The translator of the delegation's language (in its region's formats: ``en-GB``)."""
        return translator(self.key)

    def names(self, place: PlaceRef) -> list[Name]:
        """The names of *place* to show, primary first, none twice."""
        shown: list[Name] = []

        def add(text: str, code: str, *, local: bool = False) -> None:
            text = text.strip()
            if text and all(text.casefold() != name.text.casefold() for name in shown):
                shown.append(Name(text, html_lang(code or "und"), text_direction(code), local))

        text, code = place.name_in(self.ui, local_language=self.local)
        add(text, code, local=bool(self.local) and code == self.local)
        for extra in self.extra:
            add(place.name_for(extra), extra, local=extra == self.local)
        if self.local:
            add(place.name_for(self.local) or place.name_local, self.local, local=True)
        return shown

    def primary(self, place: PlaceRef) -> Name:
        """The name of *place* in the delegation's language (after the fallback chain)."""
        return self.names(place)[0]

    def local_name(self, place: PlaceRef) -> Name | None:
        """The name of *place* in the city's local language, if known."""
        if not self.local:
            return None
        text = place.name_for(self.local) or place.name_local
        if not text:
            return None
        return Name(text, html_lang(self.local), text_direction(self.local), True)

    def city_place(self, city: City) -> PlaceRef:
        """The city as a place, so its names follow the same rules as every place's."""
        return PlaceRef(id=city.id, name_en=city.name_en, name_zh=city.name_zh, lat=0, lon=0)

    def bilingual(self, place: PlaceRef) -> str:
        """The main name with the others in brackets: ``Wenshu-Kloster (文殊院)``."""
        first, *others = self.names(place)
        if not others:
            return first.text
        return f"{first.text} ({', '.join(name.text for name in others)})"

    def joined(self, place: PlaceRef, *, separator: str = " / ") -> str:
        """Every name of *place* as plain text (calendars, GPX): ``Wenshu-Kloster / 文殊院``."""
        return separator.join(name.text for name in self.names(place))


def _code(tag: str) -> str:
    """A language tag's primary code (``zh-Hans`` → ``zh``), lower case."""
    lowered = tag.strip().lower().replace("_", "-")
    return lowered.split("-", 1)[0] if lowered else ""


#: The languages of a renderer called without an itinerary's: English with Chinese names.
ENGLISH = Languages(ui="en", extra=("zh",), local="")
