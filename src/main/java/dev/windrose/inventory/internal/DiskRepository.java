package dev.windrose.inventory.internal;

import dev.windrose.inventory.DiskKind;
import dev.windrose.inventory.DiskTransport;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import jakarta.persistence.LockModeType;

public interface DiskRepository extends JpaRepository<DiskEntity, Long> {

    List<DiskEntity> findByHostIdAndKind(long hostId, DiskKind kind);

    List<DiskEntity> findByHostId(long hostId);

    /** Kernel names are not unique: a vanished disk keeps the name another disk may have taken since. */
    boolean existsByHostIdAndName(long hostId, String name);

    /** For claiming: two pools must not take the same disk at once. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select d from DiskEntity d where d.id = :id")
    Optional<DiskEntity> findForUpdate(@Param("id") long id);

    /** {@code text} is a lower-case LIKE pattern. */
    @Query("""
            select d from DiskEntity d
            where (:hostId is null or d.hostId = :hostId)
              and (:kind is null or d.kind = :kind)
              and (:transport is null or d.transport = :transport)
              and (:text is null or lower(d.name) like :text or lower(coalesce(d.model, '')) like :text
                   or lower(coalesce(d.serial, '')) like :text)
              and (:eligibleOnly = false or (d.present = true and d.inUseReason is null and d.claimedBy is null))
            """)
    Page<DiskEntity> search(@Param("hostId") @Nullable Long hostId, @Param("kind") @Nullable DiskKind kind,
            @Param("transport") @Nullable DiskTransport transport, @Param("text") @Nullable String text,
            @Param("eligibleOnly") boolean eligibleOnly, Pageable pageable);
}
