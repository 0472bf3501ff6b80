package dev.windrose.cluster.internal;

import dev.windrose.cluster.NodeRequestInfo.State;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

public interface NodeRequestRepository extends JpaRepository<NodeRequestEntity, Long> {

    @Query("select r.id from NodeRequestEntity r where r.hostId = :hostId and r.state = :state order by r.id")
    List<Long> idsFor(long hostId, State state);

    /** Locks the row: two passes of one node (or a restart's) never carry a request out twice. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select r from NodeRequestEntity r where r.id = :id")
    Optional<NodeRequestEntity> findForUpdate(long id);

    List<NodeRequestEntity> findAllByOrderByIdDesc(Pageable page);
}
