package dev.windrose.onboarding.internal;

import dev.windrose.onboarding.WizardStep;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/** One value typed or chosen in one wizard step. */
@Entity
@Table(name = "onboarding_field")
public class FieldEntity {

    public static final int MAX_NAME = 32;
    public static final int MAX_VALUE = 2000;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private WizardStep step;

    @Column(nullable = false, length = MAX_NAME)
    private String field;

    @Column(name = "field_value", nullable = false, length = MAX_VALUE)
    private String value;

    protected FieldEntity() {
        this.step = WizardStep.CLUSTER;
        this.field = "";
        this.value = "";
    }

    public FieldEntity(WizardStep step, String field, String value) {
        this.step = step;
        this.field = field;
        this.value = value;
    }

    public WizardStep step() {
        return step;
    }

    public String field() {
        return field;
    }

    public String value() {
        return value;
    }

    public void setValue(String value) {
        this.value = value;
    }
}
