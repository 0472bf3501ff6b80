package dev.windrose.dataplane;

/**
 * A dataplane call failed. {@link #errno()} is the positive errno the C library returned (negated
 * there), or 0 when the failure is not an errno (e.g. a layout mismatch).
 */
public class DataplaneException extends RuntimeException {

    private final int errno;

    public DataplaneException(String context, int errno) {
        super(context + ": " + Errno.describe(errno));
        this.errno = errno;
    }

    public DataplaneException(String message) {
        super(message);
        this.errno = 0;
    }

    public DataplaneException(String message, Throwable cause) {
        super(message, cause);
        this.errno = 0;
    }

    public int errno() {
        return errno;
    }
}
