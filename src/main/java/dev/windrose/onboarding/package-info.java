/**
 * The guided set-up (issue 8): a wizard that takes a new administrator from the first visit to a
 * connected host. This package is the module's API: {@link dev.windrose.onboarding.OnboardingService}
 * and its records. It creates nothing of its own but through the inventory, storage and fabric
 * services, so what it creates is ordinary state; it keeps only its progress (what was typed, which
 * step) in {@code internal}.
 */
@NullMarked
package dev.windrose.onboarding;

import org.jspecify.annotations.NullMarked;
