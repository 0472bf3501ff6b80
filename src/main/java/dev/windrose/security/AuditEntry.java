package dev.windrose.security;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One line of the audit log.
 *
 * @param actor the user who acted, or the username tried in a failed login, or {@code system}
 * @param target what was acted on, e.g. a username or a token name
 */
public record AuditEntry(long id, Instant occurredAt, String actor, AuditAction action, @Nullable String target,
        @Nullable String detail, @Nullable String remoteAddress) {
}
