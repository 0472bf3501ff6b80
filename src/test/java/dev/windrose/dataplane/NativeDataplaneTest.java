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

    /**
     * The console (dev.windrose.fabric.Nqn) and the dataplane (wr_nqn_check) judge NQNs alike, so no name passes
     * one layer and fails, or means something else, in the other. The discovery NQN is the one intended difference:
     * the dataplane serves it, the console lets nobody name a subsystem or host with it.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"nqn.2026-01.dev.windrose:alpha",
            "nqn.2014-08.org.nvmexpress:uuid:0f0e0d0c-0b0a-0908-0706-050403020100", "NQN.2026-01.Dev.Windrose:A",
            "nqn.1992-05.com.example-storage.lab:subsystem/one", "nqn.2026-12.dev.example:stockage-é",
            "nqn.2026-12.dev.example:it's$(x)`y`;z", "nqn.2026-12.dev.example:a’b",
            "", "iqn.2026-01.dev.windrose:alpha", "nqn.2026-13.dev.windrose:alpha", "nqn.2026-00.dev.windrose:a",
            "nqn.26-01.dev.windrose:alpha", "nqn.2026-01.windrose:alpha", "nqn.2026-01.dev.windrose",
            "nqn.2026-01.dev.windrose:", "nqn.2026-01.dev.windrose:has space", "nqn.2026-01.-dev.windrose:a",
            "nqn.2026-01.dev-.windrose:a", "nqn.2026-01.dev..windrose:a", "nqn.2026-01.dev_x.windrose:a",
            "nqn.2014-08.org.nvmexpress:uuid:not-a-uuid", "nqn.2014-08.org.nvmexpress:uuid:0f0e0d0c0b0a090807060504030201000000",
            "nqn.2026-12.dev.example:twin\u0000evil", "nqn.2026-12.dev.example:h\u0000x", "nqn.2026-12.dev.example:a\rb",
            "nqn.2026-12.dev.example:a\u001b[31m", "nqn.2026-12.dev.example:a\u007f", "nqn.2026-12.dev.example:a\u0085",
            "nqn.2026-12.dev.example:a\u2028", "nqn.2026-12.dev.example:a\u202egnp", "nqn.2026-12.dev.example:a\u2069",
            "nqn.2026-12.dev.example:a\ud800b"})
    void the_dataplane_accepts_exactly_the_nqns_the_console_accepts(String nqn) {
        assertThat(dataplane.nqnAccepted(nqn)).as(nqn.replace("\u0000", "\\0"))
                .isEqualTo(dev.windrose.fabric.Nqn.isValid(nqn));
    }

    @Test
    void both_layers_count_223_bytes_of_utf8_and_only_the_dataplane_serves_the_discovery_nqn() {
        String prefix = "nqn.2026-01.dev.windrose:";
        for (String nqn : new String[] {prefix + "a".repeat(223 - prefix.length()), prefix + "a".repeat(224 - prefix.length()),
                prefix + "é".repeat(99), prefix + "é".repeat(100)}) {
            assertThat(dataplane.nqnAccepted(nqn)).as(nqn.length() + " characters")
                    .isEqualTo(dev.windrose.fabric.Nqn.isValid(nqn));
        }
        assertThat(dataplane.nqnAccepted("nqn.2014-08.org.nvmexpress.discovery")).isTrue();
        assertThat(dev.windrose.fabric.Nqn.isValid("nqn.2014-08.org.nvmexpress.discovery")).isFalse();
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
