package dev.windrose.dataplane;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Copies libwindrose.so out of the jar (or test classpath) into a directory, because the dynamic
 * loader needs a file. The file name carries a hash of the content: a running process keeps its
 * mapped library untouched when a newer build starts beside it, and an unchanged library is reused.
 */
final class NativeLibraryExtractor {

    static final String LIBRARY_NAME = "libwindrose.so";

    private NativeLibraryExtractor() {
    }

    static String resourcePath() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new DataplaneException("The dataplane is built for Linux x86-64 only; this is " + os + " " + arch + ".");
        }
        return "native/linux-x86_64/" + LIBRARY_NAME;
    }

    static Path extract(Path directory) {
        String resource = resourcePath();
        byte[] library = readResource(resource);
        try {
            Files.createDirectories(directory);
            Path target = directory.resolve("libwindrose-" + shortHash(library) + ".so");
            if (Files.exists(target) && Files.size(target) == library.length) {
                return target;
            }
            Path temporary = Files.createTempFile(directory, "libwindrose-", ".tmp");
            try {
                Files.write(temporary, library);
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temporary);
            }
            return target;
        } catch (IOException e) {
            throw new DataplaneException("Cannot write the dataplane library to " + directory + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readResource(String resource) {
        try (InputStream in = NativeLibraryExtractor.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new DataplaneException("The dataplane library " + resource + " is not on the classpath: "
                        + "build with 'mvn package' (it compiles dataplane-native/ with CMake).");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new DataplaneException("Cannot read " + resource + ": " + e.getMessage(), e);
        }
    }

    private static String shortHash(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
