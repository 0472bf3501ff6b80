package dev.windrose.cluster.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

public interface JobRunRepository extends JpaRepository<JobRunEntity, Long> {

    Optional<JobRunEntity> findFirstByJobOrderByStartedAtDesc(String job);

    List<JobRunEntity> findByJobAndStartedAtAfterOrderByStartedAt(String job, Instant after);

    @Modifying
    @Query("delete from JobRunEntity r where r.job = :job and r.startedAt < :before")
    int deleteOlder(String job, Instant before);
}
