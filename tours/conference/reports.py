"""The host's outputs: master schedule (HTML chart, PDF table), guides, coaches, conflicts.

Everything is written into a folder given by the caller (a staging folder in the CLI); names
come from request files and OSM, so every HTML and PDF renders them through autoescaping
Jinja2 templates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import jinja2

from tours.conference.joint import ConferencePlan
from tours.conference.resources import Use
from tours.itinerary import OSM_ATTRIBUTION

DASH = "\u2013"

_ENV = jinja2.Environment(
    loader=jinja2.DictLoader(
        {
            "chart.html": """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Master schedule — {{ title }}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1rem; color: #222; }
h1 { font-size: 1.3rem; } h2 { font-size: 1.05rem; margin-top: 1.5rem; }
.venue { margin: .6rem 0 1rem; }
.label { font-weight: 600; } .cap { color: #555; font-weight: 400; }
.track { position: relative; background: #f3f3f3; border: 1px solid #ccc; margin-top: .2rem; }
.lane { position: relative; height: 1.6rem; border-top: 1px dotted #ddd; }
.bar { position: absolute; top: 2px; bottom: 2px; background: #0072B2; color: #fff;
  border-radius: 3px; font-size: 11px; overflow: hidden; white-space: nowrap; padding: 0 3px; }
.bar.must { background: #D55E00; }
.hours { display: flex; justify-content: space-between; font-size: 11px; color: #666; }
table { border-collapse: collapse; width: 100%; margin-top: .5rem; }
td, th { border: 1px solid #ccc; padding: 2px 6px; text-align: left; font-size: 12px; }
footer { margin-top: 2rem; font-size: 11px; color: #666; }
</style></head><body>
<h1>Master schedule — {{ title }}</h1>
<p>{{ summary }}</p>
{% for day in days %}
<h2>{{ day.label }}</h2>
<div class="hours">{% for h in day.hours %}<span>{{ h }}</span>{% endfor %}</div>
{% for venue in day.venues %}
<div class="venue"><span class="label">{{ venue.name }}</span>
 <span class="cap">({{ venue.capacity }}; {{ venue.count }} visit(s))</span>
 <div class="track">{% for lane in venue.lanes %}<div class="lane">
 {% for bar in lane %}<div class="bar{{ ' must' if bar.must }}" style="left: {{ bar.left }}%;
 width: {{ bar.width }}%" title="{{ bar.title }}">{{ bar.text }}</div>{% endfor %}
 </div>{% endfor %}</div></div>
{% endfor %}
{% endfor %}
<h2>All visits to shared venues</h2>
{% include "table.html" %}
<footer>Street data {{ attribution }}</footer>
</body></html>
""",
            "table.html": """<table><thead><tr><th>Day</th><th>Time</th><th>Venue</th>
<th>Capacity</th><th>Delegation</th><th>People</th></tr></thead><tbody>
{% for row in rows %}<tr><td>{{ row.day }}</td><td>{{ row.time }}</td><td>{{ row.venue }}</td>
<td>{{ row.capacity }}</td><td>{{ row.delegation }}</td><td>{{ row.size }}</td></tr>
{% endfor %}</tbody></table>""",
            "pdf.html": """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><style>
@page { size: A4 landscape; margin: 14mm;
  @bottom-center { content: "Street data {{ attribution }} — page " counter(page);
    font-size: 8pt; } }
body { font: 9pt/1.3 "Noto Sans", "Noto Sans CJK SC", sans-serif; }
h1 { font-size: 14pt; }
table { border-collapse: collapse; width: 100%; }
td, th { border: .5pt solid #999; padding: 2pt 4pt; text-align: left; }
thead { display: table-header-group; } tr { page-break-inside: avoid; }
</style></head><body>
<h1>Master schedule — {{ title }}</h1><p>{{ summary }}</p>
{% include "table.html" %}
</body></html>
""",
        }
    ),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def _rows(plan: ConferencePlan) -> list[dict[str, Any]]:
    rows: list[tuple[Any, ...]] = []
    clock = plan.clock
    for use in plan.uses():
        cap = plan.conference.capacities[use.place_id]
        d = plan.results[use.delegation].delegation
        start, end = clock.at(use.start), clock.at(use.end)
        rows.append(
            (
                use.start,
                cap.name,
                {
                    "day": f"{start:%a} {start.day} {start:%b}",
                    "time": f"{start:%H:%M}{DASH}{end:%H:%M}",
                    "venue": cap.name,
                    "capacity": cap.describe(),
                    "delegation": d.name,
                    "size": d.size,
                },
            )
        )
    return [r[2] for r in sorted(rows, key=lambda r: (r[0], r[1], r[2]["delegation"]))]


def _lanes(uses: list[Use]) -> list[list[Use]]:
    """Uses packed into as few lanes as overlap allows (first fit, by start)."""
    lanes: list[list[Use]] = []
    for use in sorted(uses, key=lambda u: (u.start, u.delegation)):
        for lane in lanes:
            if lane[-1].end <= use.start:
                lane.append(use)
                break
        else:
            lanes.append([use])
    return lanes


def _summary(plan: ConferencePlan) -> str:
    n = len(plan.results)
    method = "joint plan" if plan.method == "joint" else "first come, first served"
    return (
        f"{n} delegation(s), {method} (fairness {plan.conference.fairness}, "
        f"{plan.rounds} round(s)); total priority {plan.total_priority}, worst share "
        f"{plan.worst_share:.0%}; capacity exceeded nowhere."
    )


def _days(plan: ConferencePlan) -> list[dict[str, Any]]:
    clock = plan.clock
    by_day: dict[dt.date, dict[str, list[Use]]] = defaultdict(lambda: defaultdict(list))
    for use in plan.uses():
        by_day[clock.at(use.start).date()][use.place_id].append(use)
    out: list[dict[str, Any]] = []
    for day in sorted(by_day):
        venues = by_day[day]
        lo = min(u.start for us in venues.values() for u in us) // 60 * 60
        hi = -(-max(u.end for us in venues.values() for u in us) // 60) * 60
        span = max(hi - lo, 60)
        rows = []
        for place_id in sorted(venues, key=lambda p: plan.conference.capacities[p].name):
            cap = plan.conference.capacities[place_id]
            lanes = []
            for lane in _lanes(venues[place_id]):
                bars = []
                for use in lane:
                    name = plan.results[use.delegation].delegation.name
                    times = f"{clock.at(use.start):%H:%M}{DASH}{clock.at(use.end):%H:%M}"
                    bars.append(
                        {
                            "left": round(100 * (use.start - lo) / span, 2),
                            "width": round(100 * (use.end - use.start) / span, 2),
                            "text": name,
                            "title": f"{name}, {times}",
                            "must": use.must_see,
                        }
                    )
                lanes.append(bars)
            rows.append(
                {
                    "name": cap.name,
                    "capacity": cap.describe(),
                    "count": len(venues[place_id]),
                    "lanes": lanes,
                }
            )
        hours = [f"{clock.at(m):%H:%M}" for m in range(lo, hi + 1, 60)]
        out.append({"label": f"{day:%A} {day.day} {day:%B %Y}", "hours": hours, "venues": rows})
    return out


def master_schedule_html(plan: ConferencePlan) -> str:
    """Venue × time occupancy as an HTML chart (one lane per overlapping visit) and a table."""
    return _ENV.get_template("chart.html").render(
        title=plan.conference.title,
        summary=_summary(plan),
        days=_days(plan),
        rows=_rows(plan),
        attribution=OSM_ATTRIBUTION,
    )


def master_schedule_pdf(plan: ConferencePlan) -> bytes:
    """The master schedule as a printable A4 table (WeasyPrint)."""
    from maps.print_pdf import html_to_pdf  # noqa: PLC0415 - WeasyPrint loads slowly

    html = _ENV.get_template("pdf.html").render(
        title=plan.conference.title,
        summary=_summary(plan),
        rows=_rows(plan),
        attribution=OSM_ATTRIBUTION,
    )
    return html_to_pdf(html)


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def guides_csv(plan: ConferencePlan) -> str:
    """One row per guide and day: who they accompany and when."""
    rows = [
        [
            g.date.isoformat(),
            g.guide,
            g.language,
            plan.results[g.delegation].delegation.name,
            f"{g.start:%H:%M}",
            f"{g.end:%H:%M}",
            "yes" if g.fallback else "no",
        ]
        for g in plan.guides
    ]
    header = ["date", "guide", "language", "delegation", "from", "to", "english_fallback"]
    return _csv(header, rows)


def coaches_csv(plan: ConferencePlan) -> str:
    """The coach dispatch sheet: coach numbers per delegation and day, times, first pickup."""
    rows = [
        [
            c.date.isoformat(),
            " ".join(str(n) for n in c.coaches),
            plan.results[c.delegation].delegation.name,
            plan.results[c.delegation].delegation.size,
            f"{c.start:%H:%M}",
            f"{c.end:%H:%M}",
            c.coach_legs,
            c.first_pickup,
        ]
        for c in sorted(plan.coaches, key=lambda c: (c.date, c.coaches))
    ]
    header = ["date", "coaches", "delegation", "people", "out", "back", "coach_legs", "pickup"]
    return _csv(header, rows)


def conflicts_text(plan: ConferencePlan) -> str:
    """What shared resources decided: contested venue times, places left out for capacity."""
    lines = [f"Conflicts report — {plan.conference.title}", "", _summary(plan), ""]
    lines.append("Places left out because a shared venue was full:")
    any_left = False
    for r in plan.results:
        for left in r.itinerary.left_out:
            if left.code == "capacity":
                any_left = True
                lines.append(f"  {r.delegation.name}: {left.place.name_en}: {left.reason}")
    if not any_left:
        lines.append("  none")
    lines += ["", "Contested venue times, as the rounds resolved them:"]
    lines += [f"  {c}" for c in plan.contested] or ["  none"]
    if plan.repaired:
        names = ", ".join(plan.results[i].delegation.name for i in plan.repaired)
        lines += ["", f"Planned one by one around the others (final repair): {names}"]
    return "\n".join(lines) + "\n"


def summary_json(plan: ConferencePlan, folders: dict[str, str]) -> str:
    """``conference.json``: the machine-readable result (per delegation, reservations)."""
    clock = plan.clock
    data = {
        "title": plan.conference.title,
        "method": plan.method,
        "fairness": plan.conference.fairness,
        "rounds": plan.rounds,
        "total_priority": plan.total_priority,
        "worst_share": round(plan.worst_share, 4),
        "violations": plan.violations(),
        "delegations": [
            {
                "id": r.delegation.id,
                "name": r.delegation.name,
                "folder": folders.get(r.delegation.id, r.delegation.id),
                "size": r.delegation.size,
                "language": r.delegation.language,
                "total_priority": r.itinerary.total_priority,
                "requested_priority": r.requested_priority,
                "share": round(r.share, 4),
                "must_sees": r.must_sees,
            }
            for r in plan.results
        ],
        "reservations": [
            {
                "place": u.place_id,
                "delegation": plan.results[u.delegation].delegation.id,
                "start": clock.at(u.start).isoformat(),
                "end": clock.at(u.end).isoformat(),
            }
            for u in sorted(plan.uses(), key=lambda u: (u.start, u.place_id, u.delegation))
        ],
        "guides": [
            {
                "date": g.date.isoformat(),
                "guide": g.guide,
                "delegation": plan.results[g.delegation].delegation.id,
            }
            for g in plan.guides
        ],
        "coaches": [
            {
                "date": c.date.isoformat(),
                "coaches": list(c.coaches),
                "delegation": plan.results[c.delegation].delegation.id,
            }
            for c in plan.coaches
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_host_outputs(plan: ConferencePlan, folder: Path, *, pdf: bool = True) -> list[str]:
    """Write the host's files into *folder*; their names."""
    files: dict[str, str | bytes] = {
        "conference.json": summary_json(
            plan, {r.delegation.id: r.delegation.id for r in plan.results}
        ),
        "master-schedule.html": master_schedule_html(plan),
        "guides.csv": guides_csv(plan),
        "coaches.csv": coaches_csv(plan),
        "conflicts.txt": conflicts_text(plan),
    }
    if pdf:
        files["master-schedule.pdf"] = master_schedule_pdf(plan)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return list(files)
