package dev.windrose.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Maven build (the one a package comes from) builds {@code wr-bench} beside the library, where
 * bench/README.md says it is, so measuring a packaged console needs no second build.
 */
class PackagedBenchmarkToolTest {

    private static final Path WR_BENCH = Path.of("target/native-build/initiator/wr-bench");

    @Test
    void the_build_leaves_a_wr_bench_that_runs_where_the_bench_readme_says() throws Exception {
        assertThat(WR_BENCH).as("built by the exec plugin's native-build execution").isExecutable();
        Process help = new ProcessBuilder(WR_BENCH.toString(), "--help").redirectErrorStream(true).start();
        String usage = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(help.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(usage).startsWith("usage: wr-bench --addr A");
        assertThat(Files.readString(Path.of("bench/README.md")))
                .contains("`target/native-build/initiator/wr-bench`")
                .contains("cmake -S dataplane-native -B dataplane-native/build -DWR_BUILD_TESTS=OFF");
    }
}
