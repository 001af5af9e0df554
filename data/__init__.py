"""Embedded city packs (package data, read through ``importlib.resources``)."""
