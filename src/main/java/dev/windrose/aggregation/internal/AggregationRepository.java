package dev.windrose.aggregation.internal;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

public interface AggregationRepository extends JpaRepository<AggregationEntity, Long> {

    boolean existsByName(String name);

    Page<AggregationEntity> findAllByOrderByNameAsc(Pageable pageable);
}
