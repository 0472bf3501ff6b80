package dev.windrose.common;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where directory pools and lab disks may live ({@code windrose.storage.*}).
 *
 * @param allowedRoots directories under which pools and lab disks may be placed; empty for the defaults
 *     ({@code /srv/windrose}, {@code /var/lib/windrose}); {@code <data-dir>/pools} and {@code <data-dir>/lab-disks}
 *     are allowed in any case
 */
@ConfigurationProperties(prefix = "windrose.storage")
public record StorageRootsProperties(@Nullable List<Path> allowedRoots) {
}
