package dev.windrose.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The directories an administrator allows for directory pools and lab disks. The console runs as a
 * user that may write almost anywhere (often root), so an operator's "directory" is checked here: after
 * symlinks are resolved it must lie under an allowed root, and never in a system directory or the
 * data directory (the database), even when a careless root would include them.
 */
@Component
public class AllowedRoots {

    /** System places no pool or lab disk may be in, whatever the configuration says. */
    private static final List<Path> NEVER = List.of("/etc", "/root", "/boot", "/dev", "/proc", "/sys", "/run",
            "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/usr", "/var/run", "/var/lock").stream()
            .map(Path::of).toList();
    /** The data directory's subfolders meant for pools and lab disks; the rest of it is the database's. */
    static final List<String> DATA_DIR_SUBFOLDERS = List.of("pools", "lab-disks");
    /** Where an administrator would put storage on a Linux server (FHS: /srv for served data, /var/lib for state). */
    static final List<Path> DEFAULTS = List.of(Path.of("/srv/windrose"), Path.of("/var/lib/windrose"));

    private final List<Path> roots;
    private final Path dataDir;
    private final List<Path> dataDirSubfolders;

    public AllowedRoots(StorageRootsProperties storage, WindroseProperties windrose) {
        this.dataDir = realPath(windrose.dataDir().toAbsolutePath());
        this.dataDirSubfolders = DATA_DIR_SUBFOLDERS.stream().map(dataDir::resolve).toList();
        // The data directory's own pools/ and lab-disks/ always count: the guided setup and lab disks use them.
        List<Path> all = new ArrayList<>(storage.allowedRoots() == null || storage.allowedRoots().isEmpty()
                ? DEFAULTS : storage.allowedRoots());
        all.addAll(dataDirSubfolders);
        this.roots = all.stream().map(root -> realPath(root.toAbsolutePath())).distinct().toList();
    }

    /** The allowed roots, symlinks resolved, in the order configured. */
    public List<Path> roots() {
        return roots;
    }

    /**
     * The directory as it really is (symlinks resolved, absolute) when it may hold pools or lab disks;
     * otherwise a 400 on {@code field} that names the allowed roots.
     */
    public Path check(String field, @Nullable String directory) {
        if (directory == null || directory.isBlank()) {
            throw new InvalidInputException(field, "Give a directory under " + rootList() + ".");
        }
        String text = directory.strip();
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException(field, "The directory contains a control character (such as NUL or a "
                    + "line break); give a plain path under " + rootList() + ".");
        }
        Path path;
        try {
            path = Path.of(text);
        } catch (InvalidPathException e) {
            throw new InvalidInputException(field, "'" + text + "' is not a valid path: " + e.getReason() + ".");
        }
        if (!path.isAbsolute()) {
            throw new InvalidInputException(field, "Give an absolute directory under " + rootList() + ".");
        }
        Path real = realPath(path.normalize());
        String why = refusal(real);
        if (why != null) {
            String shown = real.equals(path.normalize()) ? real.toString() : path + " (really " + real + ")";
            throw new InvalidInputException(field, "The directory " + shown + " " + why + ". Pools and lab disks may "
                    + "only live under " + rootList() + "; an administrator can change that with "
                    + "windrose.storage.allowed-roots (WINDROSE_STORAGE_ALLOWED_ROOTS).");
        }
        return real;
    }

    private @Nullable String refusal(Path real) {
        if (real.getParent() == null) {
            return "is the filesystem root";
        }
        for (Path system : NEVER) {
            if (real.startsWith(system)) {
                return "is a system directory (" + system + ")";
            }
        }
        if (real.startsWith(dataDir) && dataDirSubfolders.stream().noneMatch(real::startsWith)) {
            return "is inside the data directory, which holds the database";
        }
        if (roots.stream().noneMatch(real::startsWith)) {
            return "is outside the allowed directories";
        }
        return null;
    }

    private String rootList() {
        return roots.stream().map(Path::toString).collect(Collectors.joining(", "));
    }

    /**
     * The path with every symlink resolved: the real path of its nearest existing ancestor with the rest
     * appended, so that a directory not created yet is judged by where it would really be.
     */
    static Path realPath(Path absolute) {
        Path existing = absolute;
        Path rest = null;
        while (existing != null && !Files.exists(existing)) {
            Path name = existing.getFileName();
            rest = rest == null ? name : name.resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute.normalize();
        }
        try {
            Path real = existing.toRealPath();
            return rest == null ? real : real.resolve(rest).normalize();
        } catch (IOException e) {
            return absolute.normalize();
        }
    }
}
