# Test cases for secgate.python.weak-password-hash (semgrep --test).
import hashlib


def store(user, password):
    # ruleid: secgate.python.weak-password-hash
    user.hash = hashlib.md5(password.encode()).hexdigest()


def store_sha1(user, new_password):
    # ruleid: secgate.python.weak-password-hash
    user.hash = hashlib.sha1(new_password.encode("utf-8")).hexdigest()


def store_new(user, pwd):
    # ruleid: secgate.python.weak-password-hash
    user.hash = hashlib.new("md5", pwd).hexdigest()


def store_scrypt(user, password, salt):
    # ok: secgate.python.weak-password-hash
    user.hash = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)


def checksum(blob):
    # ok: secgate.python.weak-password-hash
    return hashlib.md5(blob).hexdigest()
