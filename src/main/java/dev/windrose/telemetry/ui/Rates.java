package dev.windrose.telemetry.ui;

import dev.windrose.telemetry.IoRates;
import dev.windrose.telemetry.Latency;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The three charts' values out of one object's rates, and the same figures in words. */
final class Rates {

    private Rates() {
    }

    /** Read and write IOPS; nothing at all when the object was not seen (a gap, not 0). */
    static @Nullable Double[] iops(@Nullable IoRates rates) {
        return rates == null ? new Double[] {null, null} : new Double[] {rates.readIops(), rates.writeIops()};
    }

    static @Nullable Double[] throughput(@Nullable IoRates rates) {
        return rates == null ? new Double[] {null, null} : new Double[] {rates.readMiBps(), rates.writeMiBps()};
    }

    /** p50, p99 and p99.9 of reads and writes together; absent over an interval without I/O. */
    static @Nullable Double[] latency(@Nullable IoRates rates) {
        Latency latency = rates == null ? null : rates.latency();
        return latency == null ? new Double[] {null, null, null}
                : new Double[] {latency.p50Micros(), latency.p99Micros(), latency.p999Micros()};
    }

    static String iopsText(@Nullable IoRates rates) {
        if (rates == null) {
            return "no data";
        }
        return number(rates.totalIops()) + " IOPS (read " + number(rates.readIops()) + ", write "
                + number(rates.writeIops()) + ")";
    }

    static String throughputText(@Nullable IoRates rates) {
        if (rates == null) {
            return "no data";
        }
        return decimal(rates.totalMiBps()) + " MiB/s (read " + decimal(rates.readMiBps()) + ", write "
                + decimal(rates.writeMiBps()) + ")";
    }

    static String latencyText(@Nullable IoRates rates) {
        Latency latency = rates == null ? null : rates.latency();
        if (latency == null) {
            return "no I/O in the last interval";
        }
        return "p50 " + micros(latency.p50Micros()) + ", p99 " + micros(latency.p99Micros()) + ", p99.9 "
                + micros(latency.p999Micros());
    }

    static String number(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    static String decimal(double value) {
        return String.format(Locale.ROOT, "%,.1f", value);
    }

    static String micros(double micros) {
        return micros >= 10_000 ? String.format(Locale.ROOT, "%,.1f ms", micros / 1000)
                : String.format(Locale.ROOT, "%,.0f µs", micros);
    }
}
