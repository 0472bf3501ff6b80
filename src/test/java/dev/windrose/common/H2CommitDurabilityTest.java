package dev.windrose.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The H2 URL the console ships with makes a commit survive a crash of the process: a child JVM commits
 * one row through it and halts at once (as kill -9 does: no shutdown hook, the database never closed),
 * and the row is there afterwards. H2's default WRITE_DELAY (500 ms) fails this: the commit was only in
 * memory (issue 13).
 */
class H2CommitDurabilityTest {

    @TempDir
    Path dataDir;

    @Test
    void a_commit_through_the_configured_h2_url_survives_a_halt_of_the_process_right_after_it() throws Exception {
        String url = configuredUrl().replace("${windrose.data-dir}", dataDir.toString());

        Process child = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), CommitThenHalt.class.getName(), url))
                .redirectErrorStream(true).start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = new String(child.getInputStream().readAllBytes());
        assertThat(child.exitValue()).as(output).isEqualTo(CommitThenHalt.HALTED);

        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                ResultSet rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM acknowledged")) {
            rows.next();
            assertThat(rows.getInt(1)).as("rows committed before the halt").isEqualTo(1);
        }
    }

    private static String configuredUrl() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = H2CommitDurabilityTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        String url = properties.getProperty("spring.datasource.url");
        assertThat(url).startsWith("jdbc:h2:file:");
        return url;
    }

    /** The child: creates the table, waits until H2 has surely stored that, commits a row, halts. */
    public static final class CommitThenHalt {
        static final int HALTED = 9;

        public static void main(String[] args) throws Exception {
            Connection connection = DriverManager.getConnection(args[0], "sa", "");
            connection.createStatement().execute("CREATE TABLE acknowledged (id INT)");
            Thread.sleep(1500);
            connection.createStatement().execute("INSERT INTO acknowledged VALUES (1)"); // auto-commit
            Runtime.getRuntime().halt(HALTED);
        }
    }
}
