package dev.windrose.aggregation.internal;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface MemberRepository extends JpaRepository<MemberEntity, Long> {

    List<MemberEntity> findByAggregationIdOrderByName(long aggregationId);

    long countByAggregationId(long aggregationId);
}
