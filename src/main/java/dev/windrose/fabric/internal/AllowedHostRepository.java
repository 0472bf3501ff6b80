package dev.windrose.fabric.internal;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface AllowedHostRepository extends JpaRepository<AllowedHostEntity, Long> {

    List<AllowedHostEntity> findBySubsystemIdOrderByHostNqn(long subsystemId);

    /** Hosts whose previous DH-HMAC-CHAP secret's grace period ended at or before now. */
    List<AllowedHostEntity> findByDhchapPreviousUntilLessThanEqual(java.time.Instant now);

    boolean existsBySubsystemIdAndHostNqn(long subsystemId, String hostNqn);
}
