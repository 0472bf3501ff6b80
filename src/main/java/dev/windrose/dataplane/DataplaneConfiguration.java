package dev.windrose.dataplane;

import dev.windrose.common.WindroseProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Loads the dataplane at start-up, failing the start when the library is missing or its layouts
 * disagree with Java; runs the embedded target; stops the target, then closes the library (and
 * its arena) when the application stops.
 */
@Configuration(proxyBeanMethods = false)
class DataplaneConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DataplaneConfiguration.class);

    @Bean(destroyMethod = "close")
    NativeDataplane dataplane(WindroseProperties properties) {
        var libraryFile = NativeLibraryExtractor.extract(properties.dataDir().resolve("native"));
        NativeDataplane dataplane = NativeDataplane.load(libraryFile);
        log.info("Dataplane libwindrose {} (ABI {}) loaded from {}; struct layouts match.", dataplane.version(),
                dataplane.abiVersion(), libraryFile);
        return dataplane;
    }

    @Bean
    EmbeddedTarget embeddedTarget(Dataplane dataplane, EmbeddedTargetProperties properties) {
        return new EmbeddedTarget(dataplane, properties);
    }

    @Bean
    AdmissionMeters dataplaneAdmissionMeters(EmbeddedTarget target) {
        return new AdmissionMeters(target);
    }

    @Bean
    DataplaneHealthIndicator dataplaneHealthIndicator(Dataplane dataplane, EmbeddedTarget target) {
        return new DataplaneHealthIndicator(dataplane, target);
    }
}
