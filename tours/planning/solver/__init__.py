"""The orienteering solver with time windows (OPTW): problem model, numba kernel, benchmarks.

:mod:`.optw` holds the problem and solution types and :func:`~.optw.solve`; :mod:`._kernel`
the compiled ruin-and-recreate search; :mod:`.benchmarks` readers of the public instances.
"""
