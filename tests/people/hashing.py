"""A real password hasher that counts the hashes it computes, so a test can show two sign-in attempts did
the same work without ever timing them."""

from django.contrib.auth.hashers import MD5PasswordHasher


class CountingHasher(MD5PasswordHasher):
    """MD5 (fast, for tests) under its own name; every hash it computes, to store or to check, is counted."""

    algorithm = "counted_md5"
    computed = 0

    def encode(self, password, salt):
        CountingHasher.computed += 1
        return super().encode(password, salt)
