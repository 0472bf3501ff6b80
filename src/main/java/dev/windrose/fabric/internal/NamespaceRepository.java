package dev.windrose.fabric.internal;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface NamespaceRepository extends JpaRepository<NamespaceEntity, Long> {

    List<NamespaceEntity> findBySubsystemIdOrderByNsid(long subsystemId);

    Optional<NamespaceEntity> findBySubsystemIdAndNsid(long subsystemId, int nsid);

    Optional<NamespaceEntity> findByVolumeId(long volumeId);
}
