"""Programmes: a package of apps, one per programme domain (options A–F, §3 and §4).

The top domain layer: apps here may use ``governance``, ``network`` and ``casm`` below them.
"""
