package dev.windrose.storage.internal;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface VolumeRepository extends JpaRepository<VolumeEntity, Long> {

    List<VolumeEntity> findByPoolIdOrderByName(long poolId);

    boolean existsByHostIdAndName(long hostId, String name);

    boolean existsByUuid(String uuid);

    @Query("select coalesce(sum(v.sizeBytes), 0) from VolumeEntity v where v.poolId = :poolId")
    long allocatedBytes(@Param("poolId") long poolId);

    long countByPoolId(long poolId);

    /** {@code text} is a lower-case LIKE pattern over the name. */
    @Query("""
            select v from VolumeEntity v
            where (:poolId is null or v.poolId = :poolId) and (:hostId is null or v.hostId = :hostId)
              and (:text is null or lower(v.name) like :text)
            """)
    Page<VolumeEntity> search(@Param("poolId") @Nullable Long poolId, @Param("hostId") @Nullable Long hostId,
            @Param("text") @Nullable String text, Pageable pageable);
}
