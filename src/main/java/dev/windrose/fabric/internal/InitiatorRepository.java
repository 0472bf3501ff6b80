package dev.windrose.fabric.internal;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface InitiatorRepository extends JpaRepository<InitiatorEntity, Long> {

    List<InitiatorEntity> findAllByOrderByName();

    boolean existsByHostNqn(String hostNqn);
}
