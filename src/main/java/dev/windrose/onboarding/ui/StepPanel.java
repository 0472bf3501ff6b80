package dev.windrose.onboarding.ui;

import com.vaadin.flow.component.Component;
import dev.windrose.onboarding.OnboardingProgress;
import dev.windrose.onboarding.WizardStep;
import java.util.Map;

/** One step of the wizard: its fields, what was typed in them, and the work its Next does. */
interface StepPanel {

    WizardStep step();

    Component view();

    /** Fills the fields from the stored progress; called every time the step is shown. */
    void show(OnboardingProgress progress);

    /** What is typed or chosen now, to store (Back and Next both keep it). */
    Map<String, String> typed();

    /**
     * Checks the step and does its work (creating through the services). Throws the services'
     * refusals ({@code InvalidInputException}, {@code ConflictException}, {@code NotFoundException}).
     */
    void next(OnboardingProgress progress);

    /** Shows a refusal at the field it names; false when this step has no such field. */
    boolean markInvalid(String field, String message);

    /** Clears the marks of an earlier refusal. */
    void clearInvalid();

    /** The wizard's own Next button is replaced by the step's action (the last step's Finish). */
    default boolean isLast() {
        return false;
    }
}
