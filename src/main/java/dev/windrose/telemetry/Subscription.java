package dev.windrose.telemetry;

/** Ends a subscription; calling it twice does nothing. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    void cancel();

    @Override
    default void close() {
        cancel();
    }
}
