package dev.windrose.security.internal;

import dev.windrose.security.AuditAction;
import dev.windrose.security.AuditLog;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.logout.LogoutHandler;

/** Writes the logout to the audit log (before the session and its authentication are gone). */
class AuditingLogoutHandler implements LogoutHandler {

    private final AuditLog auditLog;

    AuditingLogoutHandler(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response, @Nullable Authentication authentication) {
        if (authentication != null) {
            auditLog.record(authentication.getName(), AuditAction.LOGOUT, authentication.getName(), null,
                    request.getRemoteAddr());
        }
    }
}
