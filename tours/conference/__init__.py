"""Conference mode: many delegations planned jointly around shared venues, guides and coaches.

- :mod:`.schema` — the conference file (:func:`load_conference`).
- :mod:`.resources` — venue uses, capacities, guide and coach assignment.
- :mod:`.engine` — the Dask distributed engine (:class:`Engine`).
- :mod:`.joint` — the joint planner (:func:`plan_conference`), rounds and final repair.
- :mod:`.replan` — a delegation runs late or drops out.
- :mod:`.reports` — the host's master schedule, guide and coach sheets, conflicts report.
- :mod:`.api` — the public verbs, re-exported by ``tours``: ``tours.load_conference``,
  ``tours.plan_conference``, ``tours.replan_conference``, ``tours.write_conference_outputs``.
"""

from tours.conference.engine import Engine as Engine
from tours.conference.joint import Budget as Budget
from tours.conference.joint import ConferencePlan as ConferencePlan
from tours.conference.joint import InfeasibleConferenceError as InfeasibleConferenceError
from tours.conference.joint import keep_and_replan as keep_and_replan
from tours.conference.joint import plan_conference as plan_conference
from tours.conference.schema import Conference as Conference
from tours.conference.schema import ConferenceFileError as ConferenceFileError
from tours.conference.schema import load_conference as load_conference
