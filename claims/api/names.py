"""
Names (actors, outlets, tags) as partners' lists show them: as the reader's filter choices do,
not the names that only work still in review mentions (a pending chain's names stay private
until a second editor approves it). A name's own answer by id is a 404 while only such work
mentions it, as its reader page is (claims/models/public_names.py).
"""

from django.db import models

from claims.models import Actor, Outlet, Tag
from claims.models.public_names import listed


def listed_actors() -> models.QuerySet:
    return listed(Actor)


def listed_outlets() -> models.QuerySet:
    return listed(Outlet)


def listed_tags() -> models.QuerySet:
    return listed(Tag)
