package dev.windrose.security.api;

import dev.windrose.common.Paging;
import dev.windrose.security.AuditEntry;
import dev.windrose.security.AuditLog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.data.domain.Page;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/audit")
@Tag(name = "Audit log", description = "Security-relevant actions, newest first (administrators only)")
class AuditController {

    private final AuditLog auditLog;

    AuditController(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    record AuditPage(List<AuditEntry> entries, int page, int size, long totalEntries) {
    }

    @GetMapping
    @Operation(summary = "A page of the audit log, newest first")
    AuditPage page(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        Page<AuditEntry> entries = auditLog.page(Paging.request(page, size));
        return new AuditPage(entries.getContent(), page, size, entries.getTotalElements());
    }
}
