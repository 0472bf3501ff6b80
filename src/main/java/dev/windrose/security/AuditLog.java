package dev.windrose.security;

import dev.windrose.security.internal.AuditEntryEntity;
import dev.windrose.security.internal.AuditEntryRepository;
import dev.windrose.security.internal.CurrentRequest;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The security audit log: every login, logout, user and token change. Readable by administrators. */
@Service
public class AuditLog {

    /** Actor of entries written without a signed-in user (start-up, headless set-up). */
    public static final String SYSTEM_ACTOR = "system";

    private final AuditEntryRepository entries;
    private final Clock clock;

    AuditLog(AuditEntryRepository entries, Clock clock) {
        this.entries = entries;
        this.clock = clock;
    }

    /** Records an action of the signed-in user (or {@value #SYSTEM_ACTOR}), from the current request's address. */
    @Transactional
    public void record(AuditAction action, @Nullable String target, @Nullable String detail) {
        record(CurrentRequest.actorOr(SYSTEM_ACTOR), action, target, detail, CurrentRequest.remoteAddress());
    }

    /** Records an action on behalf of a named actor, e.g. the username tried in a failed login. */
    @Transactional
    public void record(String actor, AuditAction action, @Nullable String target, @Nullable String detail,
            @Nullable String remoteAddress) {
        entries.save(new AuditEntryEntity(clock.instant(), actor, action, target, detail, remoteAddress));
    }

    /** Newest entries first. */
    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.ADMIN)
    public Page<AuditEntry> page(Pageable pageable) {
        return entries.findAllByOrderByOccurredAtDescIdDesc(pageable).map(AuditEntryEntity::toEntry);
    }
}
