package dev.windrose.inventory.internal;

import dev.windrose.inventory.DiskAppeared;
import dev.windrose.inventory.DiskDisappeared;
import dev.windrose.security.AuditAction;
import dev.windrose.security.AuditLog;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Disks coming and going are recorded in the audit log, so an administrator can tell when it happened. */
@Component
class DiskEventAudit {

    private final AuditLog auditLog;

    DiskEventAudit(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @EventListener
    void on(DiskAppeared event) {
        auditLog.record(AuditLog.SYSTEM_ACTOR, AuditAction.DISK_APPEARED, event.name(),
                event.devicePath() + " on host " + event.host(), null);
    }

    @EventListener
    void on(DiskDisappeared event) {
        auditLog.record(AuditLog.SYSTEM_ACTOR, AuditAction.DISK_DISAPPEARED, event.name(),
                event.devicePath() + " on host " + event.host(), null);
    }
}
