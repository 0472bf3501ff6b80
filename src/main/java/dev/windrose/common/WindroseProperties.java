package dev.windrose.common;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings shared by all features.
 *
 * @param dataDir where Windrose keeps its files (H2 database, extracted native library)
 */
@ConfigurationProperties(prefix = "windrose")
public record WindroseProperties(Path dataDir) {

    public WindroseProperties {
        if (dataDir == null) {
            dataDir = Path.of("data");
        }
    }
}
