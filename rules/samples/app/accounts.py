"""Known-vulnerable sample for `secgate doctor`. Never deploy or import it.

Each flaw below is one that a bundled Semgrep rule must keep finding; doctor
fails when a scanner upgrade stops reporting one of them.
"""
import hashlib


def find_account(cur, name):
    # secgate.python.sql-injection: the name is formatted into the SQL text.
    cur.execute("SELECT id FROM accounts WHERE name = '%s'" % name)
    return cur.fetchone()


def store_password(cur, name, password):
    # secgate.python.weak-password-hash: MD5 is no password hash.
    digest = hashlib.md5(password.encode()).hexdigest()
    cur.execute("UPDATE accounts SET pw = ? WHERE name = ?", (digest, name))


def cache_key(body):
    # secgate.python.weak-hash: SHA-1 without usedforsecurity=False.
    return hashlib.sha1(body).hexdigest()
