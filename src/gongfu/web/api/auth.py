"""POST /api/v1/auth/token (OAuth2 password flow), logout, and who am I."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from gongfu.access import authenticate, issue_token, revoke_token
from gongfu.access.scope import Scope
from gongfu.web.api.params import ERRORS
from gongfu.web.auth import api_scope, client_address, get_db, oauth2

router = APIRouter(prefix="/auth", tags=["auth"], responses={400: ERRORS[400], 422: ERRORS[422]})


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: str


class Me(BaseModel):
    name: str
    role: str
    region_code: str
    region_name: str


@router.post(
    "/token",
    response_model=Token,
    responses={401: ERRORS[401], 423: {**ERRORS[401], "description": "账户已临时锁定"}},
)
def token(request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    """Exchange a user name and password for a bearer token (OAuth2 password flow)."""
    db = get_db(request)
    user = authenticate(db, form.username, form.password, source=client_address(request))
    secret, _, expires = issue_token(db, user, "bearer")
    return Token(access_token=secret, expires_at=expires.isoformat())


@router.post("/logout", status_code=204, response_class=Response, responses={401: ERRORS[401]})
def logout(
    request: Request, scope: Annotated[Scope, Depends(api_scope)], tok: str = Depends(oauth2)
) -> Response:
    """Revoke the bearer token used for this request."""
    revoke_token(get_db(request), tok)
    return Response(status_code=204)


@router.get("/me", response_model=Me, responses={401: ERRORS[401]})
def me(scope: Annotated[Scope, Depends(api_scope)]) -> Me:
    p = scope.principal
    return Me(
        name=p.name,
        role=p.role,
        region_code=p.region_code,
        region_name=scope.registry.full_name(p.region_code),
    )
