package dev.windrose.fabric.internal;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface ListenerRepository extends JpaRepository<ListenerEntity, Long> {

    List<ListenerEntity> findBySubsystemIdOrderByAddressAscPortAsc(long subsystemId);

    boolean existsBySubsystemIdAndHostIdAndAddressAndPort(long subsystemId, long hostId, String address, int port);
}
