"""Sessions in PostgreSQL with Redis as a cache in front (SESSION_ENGINE with
REDIS_URL): a Redis outage logs no seat out and does not stop new log-ins, since every
cache call here that fails is a miss and the database answers. Django's cached_db store
forgives a failed read and a failed save (logging a traceback each time); this one
forgives every cache call (the refill after a miss, the existence check of a new key,
the delete at log-out) with one warning a minute (callcenter.cache).

Every request saves the session to push its expiry back (SESSION_SAVE_EVERY_REQUEST).
When nothing in it changed, that save goes to Redis, which is read first, and to the
database row, read only when Redis has no copy, at most once a minute: the row's
expiry then trails the real one by less than a minute, and only a Redis outage could
make it count (a seat logged out up to a minute before its idle time is up). Changed
data, a new session, or a session Redis no longer holds always reach the database; an
unchanged one only has its Redis copy's expiry pushed (TOUCH), so a request that began
before a log-out cannot write the logged-out session back.
"""

import datetime
import time

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.utils import timezone

from . import cache as tolerant

ROW_REFRESH_SECONDS = 60
ROW_WRITTEN = "_row_written_at"  # in the session's data: when its row was last saved


class SessionStore(CachedDBStore):
    def load(self):
        data = tolerant.get(self.cache_key)
        if data is not None:
            return data
        session = self._get_session_from_db()
        if not session:
            return {}
        data = self.decode(session.session_data)
        tolerant.set(self.cache_key, data, self.get_expiry_age(expiry=session.expire_date))
        return data

    def save(self, must_create=False):
        unchanged = not (must_create or self.modified or self.session_key is None)
        if (
            unchanged
            and not self._row_due()
            and tolerant.touch(self.cache_key, self.get_expiry_age())
        ):
            return
        # Changed, new, the row due, or not in Redis: ended meanwhile (the row is gone
        # too, and the save fails as Django's does), evicted, or Redis down.
        self._save_row(must_create)
        tolerant.set(self.cache_key, self._session, self.get_expiry_age())

    @classmethod
    def clear_expired(cls):
        """The nightly sweep: rows expired over a minute ago. A row's expiry may trail
        the live one in Redis by up to that minute, and a swept row could not be saved
        again by a seat still working."""
        cutoff = timezone.now() - datetime.timedelta(seconds=ROW_REFRESH_SECONDS)
        cls.get_model_class().objects.filter(expire_date__lt=cutoff).delete()

    def _row_due(self) -> bool:
        return time.time() - self._session.get(ROW_WRITTEN, 0) >= ROW_REFRESH_SECONDS

    def _save_row(self, must_create):
        self._session[ROW_WRITTEN] = int(time.time())
        super(CachedDBStore, self).save(must_create)

    def exists(self, session_key):
        if session_key and tolerant.get(self.cache_key_prefix + session_key) is not None:
            return True
        return super(CachedDBStore, self).exists(session_key)

    def delete(self, session_key=None):
        if session_key is None:
            session_key = self.session_key
        super(CachedDBStore, self).delete(session_key)
        if session_key is not None:
            tolerant.delete(self.cache_key_prefix + session_key)
