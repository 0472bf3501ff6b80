package dev.windrose.storage.internal;

import dev.windrose.storage.PoolType;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface PoolRepository extends JpaRepository<PoolEntity, Long> {

    /** Allocations in one pool are serialised by locking its row. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select p from PoolEntity p where p.id = :id")
    Optional<PoolEntity> findForUpdate(@Param("id") long id);

    boolean existsByHostIdAndName(long hostId, String name);

    Optional<PoolEntity> findByLabelUuid(String labelUuid);

    boolean existsByHostIdAndDirectory(long hostId, String directory);

    List<PoolEntity> findByHostIdAndType(long hostId, PoolType type);

    List<PoolEntity> findByHostIdOrderByName(long hostId);

    @Query("""
            select p from PoolEntity p
            where (:hostId is null or p.hostId = :hostId) and (:type is null or p.type = :type)
            """)
    Page<PoolEntity> search(@Param("hostId") @Nullable Long hostId, @Param("type") @Nullable PoolType type,
            Pageable pageable);
}
