#!/usr/bin/env bash
# The gettext catalogs of the renderers (maps/locale/<lang>/LC_MESSAGES/tours.po), with Babel.
#   bash scripts/catalogs.sh extract   # marked strings of maps/ -> maps/locale/tours.pot
#   bash scripts/catalogs.sh update    # extract, then merge the template into every .po
#   bash scripts/catalogs.sh compile   # .mo files (optional: tours compiles the .po in memory)
#   bash scripts/catalogs.sh init LANG # a new language's catalog from the template
# After `update`, translate every new or fuzzy entry (msgstr "" / "#, fuzzy") in each .po;
# tests/test_i18n.py fails while any entry is missing, fuzzy or out of date.
set -euo pipefail
cd "$(dirname "$0")/.."
pybabel=.venv/bin/pybabel
pot=maps/locale/tours.pot

extract() {
  "$pybabel" extract -F babel.cfg --no-location --sort-output --omit-header \
    -k N_ -k NC_:1c,2 -o "$pot" maps
}

case "${1:-}" in
  extract) extract ;;
  update)
    extract
    "$pybabel" update -i "$pot" -d maps/locale -D tours --no-fuzzy-matching \
      --ignore-obsolete --no-wrap
    ;;
  compile) "$pybabel" compile -d maps/locale -D tours --statistics ;;
  init)
    "$pybabel" init -i "$pot" -d maps/locale -D tours -l "${2:?language code}" --no-wrap
    ;;
  *) echo "usage: $0 extract|update|compile|init LANG" >&2; exit 2 ;;
esac
