"""Sessions in PostgreSQL with Redis as a cache in front (SESSION_ENGINE with
REDIS_URL): a Redis outage logs no seat out and does not stop new log-ins, since every
cache call here that fails is a miss and the database answers. Django's cached_db store
forgives a failed read and a failed save (logging a traceback each time); this one
forgives every cache call (the refill after a miss, the existence check of a new key,
the delete at log-out) with one warning a minute (callcenter.cache).
"""

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

from . import cache as tolerant


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
        super(CachedDBStore, self).save(must_create)
        tolerant.set(self.cache_key, self._session, self.get_expiry_age())

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
