"""Why a place was left out, and plain-words refusals of impossible requests."""

from __future__ import annotations

from tours.planning.explain.explainer import Explainer as Explainer
