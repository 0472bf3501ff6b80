package dev.windrose.telemetry.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Seals, once the node is up, an SMTP password a version before sealing stored in clear. Every node tries
 * at its start; the first one seals it, the others then find it sealed. A node that cannot do it now (the
 * database is away) logs why and tries again at its next start; the mailer still reads the clear value.
 */
@Component
class ClearSmtpPasswordSealing {

    private static final Logger log = LoggerFactory.getLogger(ClearSmtpPasswordSealing.class);

    private final AlertDeliveryStore store;

    ClearSmtpPasswordSealing(AlertDeliveryStore store) {
        this.store = store;
    }

    @EventListener(ApplicationReadyEvent.class)
    void sealAtStart() {
        try {
            if (store.sealClearSmtpPassword()) {
                log.info("The SMTP password stored in clear is now sealed with the key in the data directory");
            }
        } catch (RuntimeException e) {
            log.warn("Could not seal the SMTP password stored in clear (tried again at the next start): {}", e.toString());
        }
    }
}
