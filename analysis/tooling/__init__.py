"""Build tooling: notebook runner, registry, manifest, report, verification, doctor.

Only the standard library may be imported at package level: ``make`` runs
``python -m analysis.tooling.registry`` before the project environment exists.
"""
