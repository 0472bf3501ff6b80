package dev.windrose.cluster.internal;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface JoinTokenRepository extends JpaRepository<JoinTokenEntity, Long> {

    Optional<JoinTokenEntity> findByTokenHash(String tokenHash);
}
