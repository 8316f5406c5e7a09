"""One row saying which state of the data the cached page bodies were drawn from
(clusters.page_cache). It lives in the database so that every process agrees on it."""

from django.db import models


class DataVersion(models.Model):
    token = models.CharField(max_length=32)

    def __str__(self):
        return self.token
