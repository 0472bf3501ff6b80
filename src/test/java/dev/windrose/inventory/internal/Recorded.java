package dev.windrose.inventory.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small sysfs-like trees for tests. */
final class Recorded {

    private Recorded() {
    }

    static void file(Path path, String content) throws IOException {
        Files.createDirectories(path.getParent());
        Files.writeString(path, content + "\n");
    }
}
