package dev.windrose.fabric.internal;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface AllowedHostRepository extends JpaRepository<AllowedHostEntity, Long> {

    List<AllowedHostEntity> findBySubsystemIdOrderByHostNqn(long subsystemId);

    boolean existsBySubsystemIdAndHostNqn(long subsystemId, String hostNqn);
}
