/** REST for telemetry: statistics (current, history, the SSE stream), events and alert thresholds. */
@NullMarked
package dev.windrose.telemetry.api;

import org.jspecify.annotations.NullMarked;
