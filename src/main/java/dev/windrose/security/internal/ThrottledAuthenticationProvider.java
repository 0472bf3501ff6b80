package dev.windrose.security.internal;

import dev.windrose.security.AuditAction;
import dev.windrose.security.AuditLog;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Username and password sign-in for both the login form and {@code POST /api/v1/auth/tokens}:
 * refuses while the {@link LoginThrottle} locks the username or address, then checks the password
 * with the delegate, and records the outcome in the throttle and the audit log.
 */
class ThrottledAuthenticationProvider implements AuthenticationProvider {

    private final AuthenticationProvider passwordCheck;
    private final LoginThrottle throttle;
    private final AuditLog auditLog;

    ThrottledAuthenticationProvider(AuthenticationProvider passwordCheck, LoginThrottle throttle, AuditLog auditLog) {
        this.passwordCheck = passwordCheck;
        this.throttle = throttle;
        this.auditLog = auditLog;
    }

    @Override
    public Authentication authenticate(Authentication request) {
        String username = String.valueOf(request.getName());
        String address = remoteAddress(request.getDetails());
        Optional<Duration> lock = throttle.remainingLock(username, address);
        if (lock.isPresent()) {
            if (throttle.firstRefusalOfLock(username, address)) {
                auditLog.record(username, AuditAction.LOGIN_THROTTLED, username,
                        "sign-in paused for " + lock.get().toSeconds() + " s after repeated failures", address);
            }
            throw new LoginThrottledException(lock.get());
        }
        try {
            Authentication result = passwordCheck.authenticate(request);
            if (result == null) {
                throw new IllegalStateException("password check gave no result for " + username);
            }
            throttle.recordSuccess(username, address);
            auditLog.record(result.getName(), AuditAction.LOGIN, result.getName(), null, address);
            return withoutPassword(result);
        } catch (AuthenticationException failure) {
            throttle.recordFailure(username, address);
            auditLog.record(username, AuditAction.LOGIN_FAILED, username, failure.getClass().getSimpleName(), address);
            throw failure;
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private static Authentication withoutPassword(Authentication result) {
        if (result.getPrincipal() instanceof WindrosePrincipal principal) {
            var cleaned = UsernamePasswordAuthenticationToken.authenticated(principal.withoutPassword(), null,
                    result.getAuthorities());
            cleaned.setDetails(result.getDetails());
            return cleaned;
        }
        return result;
    }

    private static @Nullable String remoteAddress(@Nullable Object details) {
        return details instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : null;
    }
}
