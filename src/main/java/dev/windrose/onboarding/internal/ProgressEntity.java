package dev.windrose.onboarding.internal;

import dev.windrose.onboarding.OnboardingStatus;
import dev.windrose.onboarding.WizardStep;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** The one row of wizard progress of this installation. */
@Entity
@Table(name = "onboarding_progress")
public class ProgressEntity {

    /** There is only one set-up per installation (database). */
    public static final long ID = 1;

    @Id
    private long id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private OnboardingStatus status;

    @Enumerated(EnumType.STRING)
    @Column(name = "current_step", nullable = false, length = 16)
    private WizardStep currentStep;

    @Column(name = "cluster_name", length = 64)
    private @Nullable String clusterName;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "updated_by", nullable = false, length = 64)
    private String updatedBy;

    protected ProgressEntity() {
        this.status = OnboardingStatus.NOT_STARTED;
        this.currentStep = WizardStep.CLUSTER;
        this.updatedAt = Instant.EPOCH;
        this.updatedBy = "";
    }

    public ProgressEntity(Instant now, String by) {
        this.id = ID;
        this.status = OnboardingStatus.IN_PROGRESS;
        this.currentStep = WizardStep.CLUSTER;
        this.updatedAt = now;
        this.updatedBy = by;
    }

    public OnboardingStatus status() {
        return status;
    }

    public WizardStep currentStep() {
        return currentStep;
    }

    public @Nullable String clusterName() {
        return clusterName;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public String updatedBy() {
        return updatedBy;
    }

    public void moveTo(OnboardingStatus newStatus, WizardStep step, Instant now, String by) {
        this.status = newStatus;
        this.currentStep = step;
        touch(now, by);
    }

    public void nameCluster(String name, Instant now, String by) {
        this.clusterName = name;
        touch(now, by);
    }

    private void touch(Instant now, String by) {
        this.updatedAt = now;
        this.updatedBy = by;
    }
}
