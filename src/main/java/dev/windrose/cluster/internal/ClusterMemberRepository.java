package dev.windrose.cluster.internal;

import dev.windrose.cluster.Membership;
import java.time.Instant;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

public interface ClusterMemberRepository extends JpaRepository<ClusterMemberEntity, Long> {

    long countByState(Membership state);

    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update ClusterMemberEntity m set m.state = dev.windrose.cluster.Membership.MEMBER, m.acceptedBy = :by, "
            + "m.acceptedAt = :at where m.hostId = :hostId and m.state = dev.windrose.cluster.Membership.ASKING")
    int acceptNode(long hostId, String by, Instant at);

    @Query("select m.cntlidSlot from ClusterMemberEntity m where m.cntlidSlot is not null")
    java.util.List<Integer> takenCntlidSlots();
}
