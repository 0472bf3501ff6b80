package dev.windrose.telemetry.internal;

import dev.windrose.telemetry.IoRates;
import dev.windrose.telemetry.MetricObject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Downsampling: adds up the raw increments of the samples that end within one wall-clock-aligned
 * step (10 s, 1 min) and turns them into one point per object when the step is over. Histograms are
 * merged, so a 1 min p99 is the p99 of that minute's completions. Confined to the sampler thread.
 */
final class Rollup {

    /**
     * A finished step.
     *
     * @param endsAt          the end of the step (aligned to it)
     * @param coveredSeconds  how much of the step samples covered (less after a start or a gap)
     * @param queuePairErrors errors on each subsystem's queue pairs during the step
     */
    record Window(Instant endsAt, Duration step, double coveredSeconds, Map<MetricObject, IoRates> rates,
            Map<String, Long> queuePairErrors) {
    }

    private final long stepMillis;
    private long currentIndex = Long.MIN_VALUE;
    private double seconds;
    private Map<MetricObject, Counters> counters = new LinkedHashMap<>();
    private Map<String, Long> queuePairErrors = new TreeMap<>();

    Rollup(Duration step) {
        this.stepMillis = step.toMillis();
    }

    /** Adds a sample; returns the previous step when this sample is the first of a new one. */
    Optional<Window> add(SampleDeriver.Derived derived) {
        long index = Math.floorDiv(derived.sample().timestamp().toEpochMilli() - 1, stepMillis);
        Optional<Window> finished = Optional.empty();
        if (index != currentIndex) {
            finished = finish();
            currentIndex = index;
        }
        seconds += derived.seconds();
        derived.increments().forEach((object, increment) ->
                counters.computeIfAbsent(object, o -> new Counters()).add(increment));
        derived.queuePairErrors().forEach((nqn, errors) -> queuePairErrors.merge(nqn, errors, Long::sum));
        return finished;
    }

    private Optional<Window> finish() {
        if (currentIndex == Long.MIN_VALUE || seconds <= 0) {
            return Optional.empty();
        }
        Map<MetricObject, IoRates> rates = new LinkedHashMap<>();
        counters.forEach((object, sum) -> rates.put(object, sum.rates(seconds)));
        Window window = new Window(Instant.ofEpochMilli((currentIndex + 1) * stepMillis), Duration.ofMillis(stepMillis),
                seconds, rates, queuePairErrors);
        seconds = 0;
        counters = new LinkedHashMap<>();
        queuePairErrors = new TreeMap<>();
        return Optional.of(window);
    }
}
