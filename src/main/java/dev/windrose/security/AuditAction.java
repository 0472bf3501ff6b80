package dev.windrose.security;

/** What an audit entry records. */
public enum AuditAction {
    LOGIN,
    LOGIN_FAILED,
    LOGIN_THROTTLED,
    LOGOUT,
    FIRST_ADMIN_CREATED,
    USER_CREATED,
    USER_ROLES_CHANGED,
    USER_ENABLED,
    USER_DISABLED,
    USER_PASSWORD_CHANGED,
    USER_DELETED,
    TOKEN_CREATED,
    TOKEN_REVOKED
}
