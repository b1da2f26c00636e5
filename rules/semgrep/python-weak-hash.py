# Test cases for secgate.python.weak-hash (semgrep --test).
import hashlib


def token_for(user_id):
    # ruleid: secgate.python.weak-hash
    return hashlib.md5(str(user_id).encode()).hexdigest()


def signature(body):
    # ruleid: secgate.python.weak-hash
    h = hashlib.sha1()
    h.update(body)
    return h.hexdigest()


def by_name(body):
    # ruleid: secgate.python.weak-hash
    return hashlib.new("md5", body).hexdigest()


def cache_key(blob):
    # ok: secgate.python.weak-hash
    return hashlib.md5(blob, usedforsecurity=False).hexdigest()


def strong(blob):
    # ok: secgate.python.weak-hash
    return hashlib.sha256(blob).hexdigest()


def password_case(password):
    # ok: secgate.python.weak-hash
    return hashlib.md5(password.encode()).hexdigest()
