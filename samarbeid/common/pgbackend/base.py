"""Django's PostgreSQL backend with a health check that costs no round trip.

With `CONN_HEALTH_CHECKS` Django asks the server `SELECT 1` before the first query of
every request that reuses a kept connection: a second round trip on every request (on the
bench machine a third of a cached page's time). A connection the server has closed (a
restart, a terminated backend) has something waiting on its socket: the server's goodbye
or the end of the stream. So the socket is polled first, without blocking; only when
something is waiting on an idle connection is the server asked, as Django does, and a dead
connection is replaced before the request uses it.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        if self.connection is None:
            return False
        try:
            waiting, _, _ = select.select([self.connection.fileno()], [], [], 0)
        except (OSError, ValueError, base.Database.Error):
            return False
        return not waiting or super().is_usable()
