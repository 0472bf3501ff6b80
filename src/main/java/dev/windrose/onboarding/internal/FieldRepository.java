package dev.windrose.onboarding.internal;

import dev.windrose.onboarding.WizardStep;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface FieldRepository extends JpaRepository<FieldEntity, Long> {

    List<FieldEntity> findByStep(WizardStep step);
}
