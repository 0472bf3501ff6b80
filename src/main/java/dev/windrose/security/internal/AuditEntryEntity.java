package dev.windrose.security.internal;

import dev.windrose.security.AuditAction;
import dev.windrose.security.AuditEntry;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One line of the audit log; written once, never changed. */
@Entity
@Table(name = "audit_entry")
public class AuditEntryEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    @Column(nullable = false, length = 64)
    private String actor;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 32)
    private AuditAction action;

    @Column(length = 255)
    private @Nullable String target;

    @Column(length = 1000)
    private @Nullable String detail;

    @Column(name = "remote_address", length = 64)
    private @Nullable String remoteAddress;

    protected AuditEntryEntity() {
        this.occurredAt = Instant.EPOCH;
        this.actor = "";
        this.action = AuditAction.LOGIN;
    }

    public AuditEntryEntity(Instant occurredAt, String actor, AuditAction action, @Nullable String target,
            @Nullable String detail, @Nullable String remoteAddress) {
        this.occurredAt = occurredAt;
        this.actor = truncate(actor, 64);
        this.action = action;
        this.target = target == null ? null : truncate(target, 255);
        this.detail = detail == null ? null : truncate(detail, 1000);
        this.remoteAddress = remoteAddress == null ? null : truncate(remoteAddress, 64);
    }

    private static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }

    public AuditEntry toEntry() {
        return new AuditEntry(id == null ? 0 : id, occurredAt, actor, action, target, detail, remoteAddress);
    }
}
