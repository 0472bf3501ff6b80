package dev.windrose.security.internal;

import dev.windrose.security.UserService;
import dev.windrose.security.UserSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Headless set-up: when WINDROSE_INITIAL_ADMIN_PASSWORD is set and no user exists yet, creates the
 * first administrator before the web server opens. Once any user exists the password is ignored.
 * A password that fails the policy stops the start, since the operator asked for an admin and
 * would otherwise get none.
 */
@Component
class InitialAdministrator implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(InitialAdministrator.class);

    private final UserService users;
    private final String username;
    private final String password;

    InitialAdministrator(UserService users, @Value("${windrose.initial-admin.username:admin}") String username,
            @Value("${windrose.initial-admin.password:}") String password) {
        this.users = users;
        this.username = username;
        this.password = password;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (password.isEmpty()) {
            if (!users.hasAnyUser()) {
                log.info("No user exists yet: open the console in a browser to create the administrator at /setup.");
            }
            return;
        }
        if (users.hasAnyUser()) {
            log.info("WINDROSE_INITIAL_ADMIN_PASSWORD is set but users exist already: ignored. You can remove it.");
            return;
        }
        try {
            UserSummary admin = users.createFirstAdmin(username, password);
            log.info("Created the first administrator '{}' from WINDROSE_INITIAL_ADMIN_PASSWORD.", admin.username());
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot create the first administrator '" + username
                    + "' from WINDROSE_INITIAL_ADMIN_USERNAME/WINDROSE_INITIAL_ADMIN_PASSWORD: " + e.getMessage(), e);
        }
    }
}
