package dev.windrose.telemetry.internal;

import dev.windrose.telemetry.IoRates;
import java.time.Instant;

/** A point as kept (live ring or history table): rates over {@code seconds} ending at {@code endsAt}. */
record StoredPoint(Instant endsAt, double seconds, IoRates rates) {
}
