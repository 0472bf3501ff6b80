/** The guided set-up wizard, the offer that brings an administrator's first visit to it, and its parts. */
@NullMarked
package dev.windrose.onboarding.ui;

import org.jspecify.annotations.NullMarked;
