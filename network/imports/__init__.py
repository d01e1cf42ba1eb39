"""Member imports from CSV (all-or-nothing, idempotent, with progress) and the CSV export.

One module per step, in the order a file goes through them:

- ``reading``: the upload as a member CSV at all (encoding, delimiter, header, number of rows);
- ``rows``: phase 1, every row checked by ``MemberRowForm`` (a Django form for one row, with the
  member's own field rules and ``Member.clean``), every problem kept with its line;
- ``writing``: phase 2, everything written in one transaction, in bulk and with history; a file
  imported twice changes nothing the second time;
- ``progress``: how far a running job is, for its page;
- ``services``: the two entry points, ``import_job_create`` (staff upload) and ``import_job_run``
  (the worker's task);
- ``export``: the members' CSV export and the import template, in the same columns.
"""
