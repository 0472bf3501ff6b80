package dev.windrose.aggregation.internal;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface DriveRepository extends JpaRepository<DriveEntity, Long> {

    List<DriveEntity> findByMemberIdOrderByNsid(long memberId);
}
