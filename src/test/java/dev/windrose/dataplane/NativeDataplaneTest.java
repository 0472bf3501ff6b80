package dev.windrose.dataplane;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FFM binding against the real libwindrose the Maven build compiled from dataplane-native/. */
class NativeDataplaneTest {

    @TempDir
    static Path libraryDir;
    static NativeDataplane dataplane;

    @BeforeAll
    static void load() {
        dataplane = NativeDataplane.load(NativeLibraryExtractor.extract(libraryDir));
    }

    @AfterAll
    static void close() {
        dataplane.close();
    }

    @Test
    void the_version_is_the_one_cmake_built_and_the_abi_is_the_one_java_expects() throws IOException {
        String cmake = Files.readString(Path.of("dataplane-native/CMakeLists.txt"));
        Matcher version = Pattern.compile("project\\(\\s*\\w+\\s+VERSION\\s+([0-9.]+)").matcher(cmake);
        assertThat(version.find()).as("CMakeLists.txt declares the project version").isTrue();
        assertThat(dataplane.version()).isEqualTo(version.group(1));
        assertThat(dataplane.abiVersion()).isEqualTo(StatsLayouts.ABI_VERSION);
    }

    @Test
    void every_java_struct_layout_matches_the_c_sizes_and_offsets() {
        for (StatsLayouts.Checked checked : StatsLayouts.ALL) {
            assertThat(dataplane.layoutMismatches(checked.id(), checked.layout())).as(checked.id().name()).isEmpty();
            assertThat(dataplane.structSize(checked.id())).isEqualTo(checked.layout().byteSize());
        }
        dataplane.checkCompatibility();
    }

    @Test
    void a_layout_that_drifted_from_c_is_reported_field_by_field() {
        StructLayout drifted = MemoryLayout.structLayout(
                JAVA_INT.withName("reactor_id"),
                JAVA_INT.withName("qpair_count"),
                JAVA_LONG.withName("idle_ns"),
                JAVA_LONG.withName("busy_ns"),
                JAVA_LONG.withName("polls")).withName("wr_reactor_stats");

        assertThat(dataplane.layoutMismatches(StatsLayouts.StructId.REACTOR_STATS, drifted)).containsExactly(
                "wr_reactor_stats is 40 bytes in C but 32 in Java",
                "REACTOR_STATS.idle_ns is at offset 16 in C but 8 in Java",
                "REACTOR_STATS.busy_ns is at offset 8 in C but 16 in Java");
    }

    @Test
    void a_negative_errno_result_becomes_a_dataplane_exception_carrying_the_errno_and_the_call() {
        assertThatThrownBy(() -> dataplane.structOffset(StatsLayouts.StructId.NS_STATS, "no_such_field"))
                .isInstanceOf(DataplaneException.class)
                .hasMessage("wr_struct_offset(NS_STATS, no_such_field): ENOENT (no such entry) [errno 2]")
                .satisfies(e -> assertThat(((DataplaneException) e).errno()).isEqualTo(Errno.ENOENT));
    }

    @Test
    void extracting_twice_reuses_the_same_content_addressed_file() {
        Path first = NativeLibraryExtractor.extract(libraryDir);
        Path second = NativeLibraryExtractor.extract(libraryDir);
        assertThat(second).isEqualTo(first);
        assertThat(first.getFileName().toString()).matches("libwindrose-[0-9a-f]{16}\\.so");
    }

    @Test
    void a_file_that_is_not_a_library_fails_with_a_clear_message(@TempDir Path dir) throws IOException {
        Path bogus = Files.writeString(dir.resolve("libwindrose.so"), "not an ELF file");
        assertThatThrownBy(() -> NativeDataplane.load(bogus))
                .isInstanceOf(DataplaneException.class)
                .hasMessageStartingWith("Cannot load the dataplane library " + bogus);
    }
}
