"""Places: the city pack, OSM features of an extract and opening hours."""
