/** The sampler, rate arithmetic, history tables, alert evaluation and event storage. */
@NullMarked
package dev.windrose.telemetry.internal;

import org.jspecify.annotations.NullMarked;
