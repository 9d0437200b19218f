"""Shared by the API and the pages: the classifier (loaded once), region children, the actor of a scope."""

from __future__ import annotations

from fastapi import Request

from gongfu.cases.actor import CaseActor, from_scope
from gongfu.cases.classify import CaseClassifier, load_model
from gongfu.errors import NotFound


def classifier(request: Request) -> CaseClassifier | None:
    """The trained model ($GONGFU_CASE_MODEL or the user data dir), or None: cases are then 待分类."""
    if not hasattr(request.app.state, "case_classifier"):
        try:
            request.app.state.case_classifier = load_model()
        except NotFound:
            request.app.state.case_classifier = None
    return request.app.state.case_classifier


def actor_of(scope) -> CaseActor:
    return from_scope(scope)


def children(request: Request, code: str) -> list[str]:
    return [r.code for r in request.app.state.registry.children(code)]
