package dev.windrose.inventory.internal;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The heartbeat and the periodic disk rescan run on Spring's scheduler. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class InventoryConfiguration {
}
