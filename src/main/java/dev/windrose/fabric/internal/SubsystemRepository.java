package dev.windrose.fabric.internal;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface SubsystemRepository extends JpaRepository<SubsystemEntity, Long> {

    boolean existsByNqn(String nqn);

    Optional<SubsystemEntity> findByNqn(String nqn);

    List<SubsystemEntity> findAllByOrderByNqn();
}
