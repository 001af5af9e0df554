"""Map elements whose rendered script is added to the page as is.

Branca adds what a :class:`~branca.element.MacroElement` renders to the page as a new Jinja
template, which is compiled and rendered a second time. For the tour's layers that text
holds the base map's GeoJSON and OSM and request text: compiling it costs about a third of
a map's rendering, and a ``{{`` or ``{%`` in a street or place name would be read as Jinja
(evaluated, or a syntax error). :class:`RenderedOnce` adds the text as it is instead.
"""

from __future__ import annotations

from typing import Any

from branca.element import Element, Figure, MacroElement
from folium.elements import ElementAddToElement
from folium.map import Layer


class _Text(Element):
    """Text rendered already: written into the page unchanged."""

    def __init__(self, text: str) -> None:
        super().__init__()
        # what the Jinja template of the text would render: it drops one final newline
        self._text = text.removesuffix("\n")

    def render(self, **kwargs: Any) -> str:
        return self._text


class Macro(MacroElement):
    """A :class:`~branca.element.MacroElement` with a typed constructor: the base of the
    map's own elements (branca's ``MacroElement.__init__`` carries no annotations)."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca: unannotated __init__


class RenderedOnce(MacroElement):
    """A :class:`~branca.element.MacroElement` whose header, html and script macros are
    rendered once and added as text (put it first among the bases)."""

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Add the rendered macros to the figure, then render the children."""
        if getattr(self, "includes", None):  # folium's class includes: its own path
            super().render(**kwargs)  # type: ignore[no-untyped-call]  # branca: unannotated
            return
        figure = self.get_root()
        if not isinstance(figure, Figure):
            msg = "a map element renders only inside a Figure"
            raise TypeError(msg)
        if isinstance(self, Layer) and self.show:  # what folium's Layer.render adds
            parent = self._parent
            assert parent is not None
            self.add_child(
                ElementAddToElement(
                    element_name=self.get_name(), element_parent_name=parent.get_name()
                ),
                name=self.get_name() + "_add",
            )
        parts = {
            "header": figure.header,
            "html": figure.html,
            "script": figure.script,
        }
        for part, target in parts.items():
            macro = self._template.module.__dict__.get(part)
            if macro is not None:
                target.add_child(_Text(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)
