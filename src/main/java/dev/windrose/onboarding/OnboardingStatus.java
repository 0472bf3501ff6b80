package dev.windrose.onboarding;

/** Where the guided set-up of this installation stands. */
public enum OnboardingStatus {
    /** Nobody opened it yet: the first administrator to sign in is offered it. */
    NOT_STARTED,
    /** Started and not finished: offered again, and it resumes at the step it stopped. */
    IN_PROGRESS,
    /** Went through to the end. */
    FINISHED,
    /** An administrator chose to set up without it. */
    SKIPPED;

    /** Whether an administrator signing in should land on the wizard. */
    public boolean offered() {
        return this == NOT_STARTED || this == IN_PROGRESS;
    }
}
