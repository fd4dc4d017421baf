"""Results that take long to compute, stored in the database and shared by every app server.

Writes leave a mark: each commit records which scopes its rows belong to (a visit, a
programme, everyone's contacts, or everything else) with a fresh version in ``data_version``
(cop.computed.changes). A stored result (``stored_view``) names the versions it was computed
from, so a view reads it while they still hold and computes afresh when one has moved; the
workers compute the heavy ones (network, report) as soon as the data changes, so a page view
reads a stored result and says how fresh it is."""
