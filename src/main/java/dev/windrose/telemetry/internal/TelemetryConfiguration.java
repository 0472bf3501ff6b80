package dev.windrose.telemetry.internal;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({TelemetryProperties.class, AlertDeliveryProperties.class})
class TelemetryConfiguration {
}
