package dev.windrose.onboarding;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The stored progress of the guided set-up.
 *
 * @param fields per step, what was typed or chosen there (and the ids of what the step created)
 * @param updatedAt null while nobody has touched it
 */
public record OnboardingProgress(OnboardingStatus status, WizardStep currentStep, @Nullable String clusterName,
        Map<WizardStep, Map<String, String>> fields, @Nullable Instant updatedAt, @Nullable String updatedBy) {

    public OnboardingProgress {
        fields = fields.entrySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                Map.Entry::getKey, entry -> Map.copyOf(entry.getValue())));
    }

    /** What was stored for a step; empty when nothing was. */
    public Map<String, String> fieldsOf(WizardStep step) {
        return fields.getOrDefault(step, Map.of());
    }

    public Optional<String> field(WizardStep step, String name) {
        return Optional.ofNullable(fieldsOf(step).get(name));
    }
}
