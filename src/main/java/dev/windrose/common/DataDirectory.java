package dev.windrose.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps the data directory (the H2 database, lab disks, the guided setup's pools, the native library)
 * readable by the service user only. {@link #makePrivate} runs before any bean writes there (see
 * {@code CommonConfiguration}); after start-up the files the database created meanwhile are made private too.
 */
@Component
class DataDirectory {

    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
    /** The data directory, its subfolders and what is in them (pools/<files>); volume files deeper are rare. */
    private static final int DEPTH = 2;

    private final Path directory;

    DataDirectory(WindroseProperties windrose) {
        this.directory = windrose.dataDir();
    }

    @EventListener(ApplicationReadyEvent.class)
    void afterStart() {
        makePrivate(directory);
    }

    /** Creates the directory 0700, or makes an existing one and what is in it 0700 / 0600. */
    static void makePrivate(Path directory) {
        try {
            if (!Files.isDirectory(directory)) {
                PrivateFiles.createDirectories(directory);
            }
            try (Stream<Path> tree = Files.walk(directory, DEPTH)) {
                tree.forEach(DataDirectory::tighten);
            }
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not make the data directory {} private (0700, files 0600): {}. Check its owner and "
                    + "permissions.", directory.toAbsolutePath(), e.getMessage());
        }
    }

    private static void tighten(Path path) {
        try {
            PrivateFiles.tighten(path);
        } catch (IOException e) {
            log.warn("Could not make {} readable by the service user only: {}", path, e.getMessage());
        }
    }
}
