package dev.windrose.onboarding.ui;

import dev.windrose.MainLayout;
import dev.windrose.onboarding.OnboardingService;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The cluster's name from the guided setup (or a rename since), for the layout's header and tab titles. */
@Component
class ClusterNameInLayout implements MainLayout.ClusterName {

    private final OnboardingService onboarding;

    ClusterNameInLayout(OnboardingService onboarding) {
        this.onboarding = onboarding;
    }

    @Override
    public Optional<String> current() {
        return onboarding.clusterName();
    }
}
