package dev.windrose.inventory.internal;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface HostRepository extends JpaRepository<HostEntity, Long> {

    Optional<HostEntity> findByMachineId(String machineId);
}
