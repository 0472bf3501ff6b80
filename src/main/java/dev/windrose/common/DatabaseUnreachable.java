package dev.windrose.common;

import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Recognises "the database cannot be reached" among the exceptions a request or a console action ends
 * with, so both answer it the same way: clearly, at once (the pool waits windrose's connect timeout, not
 * 30 s), and saying that nothing changed and that what the nodes serve keeps being served.
 */
public final class DatabaseUnreachable {

    public static final String MESSAGE = "The database cannot be reached, so no change can be made now and nothing "
            + "was changed. What the nodes serve keeps being served. Try again when the database is back; the "
            + "node's log says what the connection attempt met.";

    private DatabaseUnreachable() {
    }

    /** Whether the failure, or anything that caused it, is a lost or refused database connection. */
    public static boolean isCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof CannotCreateTransactionException || cause instanceof DataAccessResourceFailureException
                    || cause instanceof TransientDataAccessResourceException
                    || cause instanceof SQLTransientConnectionException) {
                return true;
            }
        }
        return false;
    }
}
