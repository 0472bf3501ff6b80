package dev.windrose.cluster.internal;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

public interface ClusterSignalRepository extends JpaRepository<ClusterSignalEntity, Long> {

    @Query("select s.generation from ClusterSignalEntity s where s.hostId = :hostId")
    Optional<Long> generationOf(long hostId);

    @Modifying
    @Query("update ClusterSignalEntity s set s.generation = s.generation + 1 where s.hostId = :hostId")
    int raise(long hostId);

    @Modifying
    @Query("update ClusterSignalEntity s set s.generation = s.generation + 1 where s.hostId <> :hostId")
    int raiseAllBut(long hostId);
}
