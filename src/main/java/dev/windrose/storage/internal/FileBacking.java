package dev.windrose.storage.internal;

import dev.windrose.common.PrivateFiles;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The files behind DIRECTORY-pool volumes: sparse for thin volumes, preallocated with {@code fallocate}
 * for thick ones (Java has no posix_fallocate, and writing zeros would take minutes for large volumes).
 */
public final class FileBacking {

    private static final long PROCESS_TIMEOUT_SECONDS = 60;

    private FileBacking() {
    }

    public static void create(Path file, long sizeBytes, boolean preallocate) throws IOException {
        PrivateFiles.createFile(file);
        try {
            resize(file, sizeBytes, preallocate);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    public static void resize(Path file, long sizeBytes, boolean preallocate) throws IOException {
        if (preallocate) {
            run(List.of("fallocate", "-l", Long.toString(sizeBytes), file.toString()));
        } else {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(sizeBytes);
            }
        }
    }

    /** Bytes the files really occupy on disk (du), or null for each file du cannot measure. */
    public static Map<Path, Long> usedBytes(List<Path> files) {
        Map<Path, Long> used = new HashMap<>();
        List<Path> existing = files.stream().filter(Files::isRegularFile).toList();
        if (existing.isEmpty()) {
            return used;
        }
        List<String> command = new ArrayList<>(List.of("du", "--block-size=1", "--"));
        existing.forEach(file -> command.add(file.toString()));
        try {
            for (String line : output(command).split("\n")) {
                String[] fields = line.split("\t", 2);
                if (fields.length == 2 && fields[0].matches("\\d+")) {
                    used.put(Path.of(fields[1]), Long.parseLong(fields[0]));
                }
            }
        } catch (IOException e) {
            // unknown, not zero: callers show "unknown"
        }
        return used;
    }

    private static void run(List<String> command) throws IOException {
        output(command);
    }

    private static String output(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.getFirst() + " did not finish in " + PROCESS_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while running " + command.getFirst(), e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(command.getFirst() + " failed: " + output.strip());
        }
        return output;
    }

    public static @Nullable Long sum(Map<Path, Long> used, List<Path> files) {
        long total = 0;
        for (Path file : files) {
            Long bytes = used.get(file);
            if (bytes == null) {
                return null;
            }
            total += bytes;
        }
        return total;
    }
}
