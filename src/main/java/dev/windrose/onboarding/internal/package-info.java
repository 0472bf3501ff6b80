/** The wizard's stored progress: entities and repositories, private to the onboarding module. */
@NullMarked
package dev.windrose.onboarding.internal;

import org.jspecify.annotations.NullMarked;
