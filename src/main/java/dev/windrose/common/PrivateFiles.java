package dev.windrose.common;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories only the service user may read: volume files, lab disks, the database and the
 * data directory hold other people's data, so they are 0600 and 0700 whatever the process umask is.
 */
public final class PrivateFiles {

    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PrivateFiles() {
    }

    /** Creates a new empty file readable and writable by this user only (fails if it exists). */
    public static Path createFile(Path file) throws IOException {
        return POSIX ? Files.createFile(file, attribute(FILE)) : Files.createFile(file);
    }

    /** Creates the directory and missing parents; those it creates are 0700. */
    public static Path createDirectories(Path directory) throws IOException {
        return POSIX ? Files.createDirectories(directory, attribute(DIRECTORY)) : Files.createDirectories(directory);
    }

    /** Makes an existing file 0600 or directory 0700 (when this user owns it; otherwise leaves it). */
    public static void tighten(Path path) throws IOException {
        if (POSIX && Files.exists(path) && !Files.isSymbolicLink(path)) {
            Files.setPosixFilePermissions(path, Files.isDirectory(path) ? DIRECTORY : FILE);
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> permissions) {
        return PosixFilePermissions.asFileAttribute(permissions);
    }
}
