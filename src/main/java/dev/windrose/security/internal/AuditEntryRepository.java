package dev.windrose.security.internal;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

public interface AuditEntryRepository extends JpaRepository<AuditEntryEntity, Long> {

    Page<AuditEntryEntity> findAllByOrderByOccurredAtDescIdDesc(Pageable pageable);
}
