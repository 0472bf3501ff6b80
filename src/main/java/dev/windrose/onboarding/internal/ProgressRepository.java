package dev.windrose.onboarding.internal;

import org.springframework.data.jpa.repository.JpaRepository;

public interface ProgressRepository extends JpaRepository<ProgressEntity, Long> {
}
