"""Readiness: the checks a person runs before a shift, the runner, saved results and reports.

``checks`` runs one item; ``runner`` runs many concurrently; ``secrets`` is the keyring seam;
``results`` holds results and what is saved per person; ``report`` writes JSON and JUnit.
Side effects enter through ``proc`` (subprocesses), ``net`` (sockets, DNS, HTTP) and ``secrets``.
"""
