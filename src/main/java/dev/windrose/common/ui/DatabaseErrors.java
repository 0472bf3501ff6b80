package dev.windrose.common.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.DefaultErrorHandler;
import com.vaadin.flow.server.ErrorEvent;
import com.vaadin.flow.server.ErrorHandler;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import dev.windrose.common.DatabaseUnreachable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A console action that fails because the database cannot be reached tells the user so, in words, instead
 * of failing silently (Vaadin's default only logs it); every other failure keeps the default handling.
 */
@Component
class DatabaseErrors implements VaadinServiceInitListener {

    private static final Logger log = LoggerFactory.getLogger(DatabaseErrors.class);

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addSessionInitListener(init -> init.getSession().setErrorHandler(new Handler()));
    }

    /** Serializable: Vaadin keeps it in the session. */
    static final class Handler implements ErrorHandler {

        private final DefaultErrorHandler fallback = new DefaultErrorHandler();

        @Override
        public void error(ErrorEvent event) {
            if (DatabaseUnreachable.isCause(event.getThrowable()) && UI.getCurrent() != null) {
                log.warn("A console action failed because the database cannot be reached: {}",
                        event.getThrowable().toString());
                Notices.error(DatabaseUnreachable.MESSAGE);
                return;
            }
            fallback.error(event);
        }
    }
}
