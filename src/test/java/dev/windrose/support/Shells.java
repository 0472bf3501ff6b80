package dev.windrose.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs generated shell text the way an initiator host would, with the commands it calls (nvme, esxcli, …)
 * replaced by shell functions that record their arguments: what a command receives is what the shell made of
 * the quoting, nothing else. Also runs shellcheck over generated scripts. Shells: dash (Debian's /bin/sh, as
 * strict as POSIX gets) and BusyBox ash (ESXi's shell), each only from the machine's own packages.
 */
public final class Shells {

    /** dash and BusyBox ash, as command lines that read a script file. */
    public static final List<List<String>> POSIX = List.of(List.of("dash"), List.of("busybox", "sh"));

    private Shells() {
    }

    /**
     * Runs {@code script} in {@code shell} with each of {@code commands} defined as a function that records its
     * arguments (NUL-separated, one line per call in the returned list) and succeeds.
     */
    public static List<List<String>> run(List<String> shell, String script, Path workDirectory, String... commands)
            throws IOException, InterruptedException {
        requireTool(shell.getFirst());
        Path log = workDirectory.resolve("calls");
        Files.deleteIfExists(log);
        StringBuilder stubs = new StringBuilder();
        for (String command : commands) {
            // printf's %s never interprets its argument; a call is its name and arguments, NUL-separated, then RS.
            stubs.append(command).append("() { printf '%s\\0' ").append(command)
                    .append(" \"$@\" >> \"$WR_CALLS\"; printf '\\036' >> \"$WR_CALLS\"; return 0; }\n");
        }
        String body = script.startsWith("#!") ? script.substring(script.indexOf('\n') + 1) : script;
        Path file = workDirectory.resolve("script.sh");
        Files.writeString(file, stubs + body);
        List<String> argv = new ArrayList<>(shell);
        argv.add(file.toString());
        ProcessBuilder builder = new ProcessBuilder(argv).directory(workDirectory.toFile()).redirectErrorStream(true);
        builder.environment().put("WR_CALLS", log.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the script ends").isTrue();
        assertThat(process.exitValue()).as(String.join(" ", shell) + " ran the script; it said: " + output).isZero();
        if (!Files.exists(log)) {
            return List.of();
        }
        String calls = Files.readString(log, StandardCharsets.UTF_8);
        List<List<String>> result = new ArrayList<>();
        for (String call : calls.split("\u001e")) {
            if (!call.isEmpty()) {
                String[] words = call.split("\u0000", -1);   // ends with a NUL: the last piece is empty
                result.add(Arrays.asList(words).subList(0, words.length - 1));
            }
        }
        return result;
    }

    /**
     * shellcheck's findings for a POSIX sh script at every severity (style included); empty when it has nothing to
     * say. Two checks that only guess at a person's intent are left out, because a generated name means exactly
     * what it holds: SC2016 ("expressions don't expand in single quotes": a quoted {@code $(…)} in a name must not
     * expand) and SC1112 ("this is a unicode quote": a typographic quote in a name is a literal character; the
     * tests run such scripts in dash and BusyBox ash and see it arrive intact).
     */
    public static String shellcheck(String script, Path workDirectory) throws IOException, InterruptedException {
        requireTool("shellcheck");
        Path file = workDirectory.resolve("check.sh");
        Files.writeString(file, script);
        Process process = new ProcessBuilder("shellcheck", "--shell=sh", "--severity=style", "--exclude=SC2016,SC1112", "--norc", file.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("shellcheck ends").isTrue();
        return process.exitValue() == 0 ? "" : output;
    }

    /**
     * A missing tool fails when WINDROSE_REQUIRE_SHELL_TOOLS=true (./test.sh sets it and installs the Debian
     * packages shellcheck and busybox-static); elsewhere the test is skipped with the reason.
     */
    private static void requireTool(String tool) throws IOException, InterruptedException {
        Process which = new ProcessBuilder("sh", "-c", "command -v \"$0\"", tool).start();
        which.getInputStream().readAllBytes();
        if (which.waitFor() == 0) {
            return;
        }
        String message = tool + " is not installed (Debian package " + switch (tool) {
            case "busybox" -> "busybox-static";
            case "dash" -> "dash";
            default -> tool;
        } + "); ./test.sh installs it.";
        if (Boolean.parseBoolean(System.getenv("WINDROSE_REQUIRE_SHELL_TOOLS"))) {
            fail(message);
        }
        Assumptions.abort(message);
    }

    /** A string literal read back: its value and the index after its closing quote. */
    public record Literal(String value, int end) {
    }

    /**
     * The single-quoted PowerShell string starting at {@code start}, read as PowerShell's tokenizer reads it: any of
     * its four single quotes (', U+2018, U+2019, U+201A, U+201B) ends the string unless another one follows, and
     * such a pair is one quote character. Written out here so that tests do not trust the code they test.
     */
    public static Literal powerShellString(String text, int start) {
        String quotes = "'\u2018\u2019\u201a\u201b";
        assertThat(quotes.indexOf(text.charAt(start))).as("a string starts at " + start).isNotNegative();
        StringBuilder value = new StringBuilder();
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (quotes.indexOf(c) >= 0) {
                if (i + 1 < text.length() && quotes.indexOf(text.charAt(i + 1)) >= 0) {
                    value.append(c);
                    i += 2;
                    continue;
                }
                return new Literal(value.toString(), i + 1);
            }
            value.append(c);
            i++;
        }
        throw new AssertionError("unterminated string in " + text);
    }
}
