package dev.windrose;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/**
 * Feature packages only use each other's root package (their API), never their internal, ui or
 * api subpackages, and do not form cycles.
 */
class ModuleBoundariesTest {

    @Test
    void feature_modules_respect_each_others_boundaries() {
        ApplicationModules.of(WindroseApplication.class).verify();
    }
}
