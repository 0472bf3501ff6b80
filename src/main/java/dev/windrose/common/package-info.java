/**
 * Small building blocks every feature may use: the exceptions that REST turns into problem details,
 * the data-directory settings.
 */
@NullMarked
@ApplicationModule(type = ApplicationModule.Type.OPEN)
package dev.windrose.common;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
