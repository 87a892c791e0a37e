"""Token authentication and scope checks, worded like real Sentry (Django REST framework).

Order on the real server: authenticate (401) -> view-level scope check (401 when
anonymous, 403 when scopes miss) -> resolve the organization (404) -> object checks.
"""
# sentry/api/bases/organization.py::OrganizationReleasePermission (newest, with org:ci).
RELEASE_SCOPES = {
    "GET": ["project:read", "project:write", "project:admin", "project:releases", "org:ci"],
    "POST": ["project:write", "project:admin", "project:releases", "org:ci"],
    "PUT": ["project:write", "project:admin", "project:releases", "org:ci"],
    "DELETE": ["project:admin", "project:releases"],
}
# OrganizationPermission: reading the organization itself.
ORG_SCOPES = {"GET": ["org:read", "org:write", "org:admin"]}
# OrganizationIntegrationsLoosePermission: listing repositories (set-commits).
REPO_SCOPES = {"GET": ["org:read", "org:write", "org:admin", "org:integrations", "org:ci"]}
# ProjectPermission.
PROJECT_SCOPES = {"GET": ["project:read", "project:write", "project:admin"]}

NOT_PROVIDED = "Authentication credentials were not provided."
NO_PERMISSION = "You do not have permission to perform this action."
NOT_FOUND = "The requested resource does not exist"
# Sent with 401 by Sentry's first authenticator (QuietBasicAuthentication).
WWW_AUTHENTICATE = 'xBasic realm="api"'


class AuthError(Exception):
    def __init__(self, status, detail):
        super().__init__(detail)
        self.status = status
        self.detail = detail


def authenticate(store, header):
    """Return (token name, token spec) or (None, None) for anonymous; raise AuthError(401)."""
    if not header:
        return None, None
    parts = header.split()
    if not parts or parts[0].lower() != "bearer":
        return None, None  # other schemes (Basic API keys, DSN) are not modelled
    if len(parts) == 1:
        raise AuthError(401, "Invalid token header. No credentials provided.")
    if len(parts) > 2:
        raise AuthError(401, "Invalid token header. Token string should not contain spaces.")
    token = parts[1]
    spec = store.tokens.get(token)
    if spec is None:
        # Org auth tokens go through a different authenticator with its own wording.
        org_token = token.startswith("sntrys_")
        raise AuthError(401, "Invalid org token" if org_token else "Invalid token")
    return token, spec


def check_scopes(spec, method, scope_map):
    """View-level permission: anonymous -> 401, no matching scope -> 403."""
    if scope_map is None:
        return
    if spec is None:
        raise AuthError(401, NOT_PROVIDED)
    allowed = set(scope_map.get(method, []))
    if not allowed.intersection(spec.get("scopes", [])):
        raise AuthError(403, NO_PERMISSION)


def check_org_binding(spec, org):
    """Org auth tokens only work for their own organization (object permission -> 403)."""
    bound = spec.get("org") if spec else None
    if bound and bound != org["slug"]:
        raise AuthError(403, NO_PERMISSION)
