package dev.windrose.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The allowed roots without a Spring context: defaults, symlinks, and the data directory's own folders. */
class AllowedRootsTest {

    @TempDir
    Path work;

    @Test
    void by_default_only_srv_windrose_var_lib_windrose_and_the_data_directorys_pools_and_lab_disks_are_allowed()
            throws Exception {
        Path dataDir = Files.createDirectories(work.resolve("data"));
        AllowedRoots roots = new AllowedRoots(new StorageRootsProperties(null), new WindroseProperties(dataDir));

        assertThat(roots.roots()).containsExactly(Path.of("/srv/windrose"), Path.of("/var/lib/windrose"),
                dataDir.toRealPath().resolve("pools"), dataDir.toRealPath().resolve("lab-disks"));
        assertThat(roots.check("directory", "/srv/windrose/fast/")).isEqualTo(Path.of("/srv/windrose/fast"));
        assertThat(roots.check("directory", dataDir + "/pools/p1")).isEqualTo(dataDir.toRealPath().resolve("pools/p1"));
        for (String refused : List.of("/tmp", "/var/lib", "/srv", "/srv/windrose/../../etc", work.toString(),
                dataDir + "/windrose.mv.db", "relative/dir")) {
            assertThatThrownBy(() -> roots.check("directory", refused)).as(refused)
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("/srv/windrose, /var/lib/windrose");
        }
    }

    @Test
    void a_root_of_slash_still_refuses_system_directories_and_the_database() throws Exception {
        Path dataDir = Files.createDirectories(work.resolve("data"));
        AllowedRoots roots = new AllowedRoots(new StorageRootsProperties(List.of(Path.of("/"))),
                new WindroseProperties(dataDir));

        assertThat(roots.check("directory", work.toString())).isEqualTo(work.toRealPath());
        for (String refused : List.of("/", "/etc/windrose", "/proc/self", "/boot", "/root", dataDir.toString())) {
            assertThatThrownBy(() -> roots.check("directory", refused)).as(refused)
                    .isInstanceOf(InvalidInputException.class);
        }
    }

    @Test
    void a_path_through_a_symlink_is_judged_where_it_really_leads_even_below_a_missing_directory() throws Exception {
        Path allowed = Files.createDirectories(work.resolve("allowed"));
        Files.createSymbolicLink(allowed.resolve("escape"), Path.of("/etc"));
        Files.createSymbolicLink(work.resolve("in"), allowed);
        AllowedRoots roots = new AllowedRoots(new StorageRootsProperties(List.of(allowed)),
                new WindroseProperties(work.resolve("data")));

        assertThat(roots.check("directory", work + "/in/new/deeper")).isEqualTo(allowed.toRealPath().resolve("new/deeper"));
        assertThatThrownBy(() -> roots.check("directory", allowed + "/escape/new"))
                .hasMessageContaining("really /etc/new");
    }

    @Test
    void the_data_directory_and_what_is_in_it_become_readable_by_the_service_user_only() throws Exception {
        Path dataDir = Files.createDirectories(work.resolve("data"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Path database = Files.createFile(dataDir.resolve("windrose.mv.db"));
        Files.setPosixFilePermissions(database, PosixFilePermissions.fromString("rw-r--r--"));
        Path native_ = Files.createDirectories(dataDir.resolve("native"));
        Files.setPosixFilePermissions(native_, PosixFilePermissions.fromString("rwxr-xr-x"));

        DataDirectory.makePrivate(dataDir);
        DataDirectory.makePrivate(work.resolve("fresh"));

        assertThat(Files.getPosixFilePermissions(dataDir)).isEqualTo(PrivateFiles.DIRECTORY);
        assertThat(Files.getPosixFilePermissions(native_)).isEqualTo(PrivateFiles.DIRECTORY);
        assertThat(Files.getPosixFilePermissions(database)).isEqualTo(PrivateFiles.FILE);
        assertThat(Files.getPosixFilePermissions(work.resolve("fresh"))).isEqualTo(PrivateFiles.DIRECTORY);
    }
}
