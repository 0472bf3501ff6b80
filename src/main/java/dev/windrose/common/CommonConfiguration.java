package dev.windrose.common;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class CommonConfiguration {

    /** One clock for the whole application, so tests can pin time. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
