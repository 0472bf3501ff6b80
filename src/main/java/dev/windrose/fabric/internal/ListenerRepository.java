package dev.windrose.fabric.internal;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface ListenerRepository extends JpaRepository<ListenerEntity, Long> {

    List<ListenerEntity> findBySubsystemIdOrderByAddressAscPortAsc(long subsystemId);

    List<ListenerEntity> findByHostIdOrderByAddressAscPortAsc(long hostId);

    boolean existsBySubsystemIdAndHostIdAndAddressAndPort(long subsystemId, long hostId, String address, int port);

    /** Whether any subsystem of this host listens there (subsystems share ports, as NVMe/TCP allows). */
    boolean existsByHostIdAndAddressAndPort(long hostId, String address, int port);
}
