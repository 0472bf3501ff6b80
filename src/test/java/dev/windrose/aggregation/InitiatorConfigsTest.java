package dev.windrose.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import dev.windrose.support.Shells;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated texts equal the reviewed golden files under src/test/resources/aggregation (regenerate with
 * -Dwindrose.golden.update=true and review the diff against the tools' documentation), and every command
 * line has the shape its tool documents.
 */
class InitiatorConfigsTest {

    static final String HOST = "nqn.2014-08.org.nvmexpress:uuid:6a1f0b52-3a57-4c4e-9d1c-2f4d7b1e8a90";
    static final String SUBSYSTEM = AggregationService.NQN_PREFIX + "lab.node1";
    static final List<Endpoint> LISTENERS = List.of(new Endpoint("192.0.2.10", 4420), new Endpoint("192.0.2.11", 4420));
    static final Endpoint DISCOVERY = new Endpoint("192.0.2.10", 8009);

    @Test
    void esxi_matches_its_golden_file() throws IOException {
        assertGolden(MemberOs.ESXI, "node1-esxi.sh");
    }

    @Test
    void linux_matches_its_golden_file() throws IOException {
        assertGolden(MemberOs.LINUX, "node1-linux.sh");
    }

    @Test
    void windows_matches_its_golden_file() throws IOException {
        assertGolden(MemberOs.WINDOWS, "node1-windows.ps1");
    }

    @Test
    void esxi_commands_use_the_options_esxcli_nvme_fabrics_documents() {
        List<String> commands = commands(generate(MemberOs.ESXI));
        assertThat(commands).contains("esxcli nvme fabrics enable --protocol TCP --device vmnic1");
        // discover: -a adapter -i IP -p port; connect adds -s subsystem NQN, one per listener.
        assertThat(commands).filteredOn(c -> c.startsWith("esxcli nvme fabrics discover"))
                .containsExactly("esxcli nvme fabrics discover -a vmhba65 -i 192.0.2.10 -p 8009");
        Pattern connect = Pattern.compile("esxcli nvme fabrics connect -a vmhba\\d+ -i [0-9.]+ -p \\d+ -s \\S+");
        assertThat(commands).filteredOn(c -> c.startsWith("esxcli nvme fabrics connect")).hasSize(2)
                .allSatisfy(c -> assertThat(c).matches(connect).endsWith(" -s " + SUBSYSTEM));
    }

    @Test
    void linux_commands_use_nvme_cli_options_and_name_the_members_host_nqn() {
        String text = generate(MemberOs.LINUX);
        List<String> commands = commands(text);
        Pattern connect = Pattern.compile("nvme connect -t tcp -a [0-9.]+ -s \\d+ -n \\S+ -q \\S+");
        assertThat(commands).filteredOn(c -> c.startsWith("nvme connect")).hasSize(2)
                .allSatisfy(c -> assertThat(c).matches(connect).endsWith(" -q " + HOST));
        assertThat(commands).contains("nvme discover -t tcp -a 192.0.2.10 -s 8009 -q " + HOST);
        // discovery.conf holds the long options of 'nvme discover', one controller per line.
        assertThat(InitiatorConfigs.discoveryConfLine(HOST, DISCOVERY))
                .isEqualTo("--transport=tcp --traddr=192.0.2.10 --trsvcid=8009 --hostnqn=" + HOST);
        assertThat(text).contains("printf '%s\\n' '" + InitiatorConfigs.discoveryConfLine(HOST, DISCOVERY)
                + "' >> /etc/nvme/discovery.conf");
        assertThat(text).startsWith("#!/bin/sh\n");
    }

    @Test
    void windows_does_not_invent_cmdlets_and_says_why() {
        String text = generate(MemberOs.WINDOWS);
        assertThat(text).contains("found no published").contains("Get-Command -Noun *Nvme*");
        assertThat(commands(text)).allSatisfy(c -> assertThat(c).matches(
                "(Get-Command|Get-PhysicalDisk|\\$Windrose\\w+ +=|@\\{|\\)).*"));
        assertThat(text).contains("$WindroseHostNqn      = '" + HOST + "'");
    }

    @Test
    void without_a_discovery_controller_only_the_connect_commands_remain() {
        String linux = InitiatorConfigs.linux("lab", "node1", HOST, SUBSYSTEM, LISTENERS, null);
        assertThat(linux).doesNotContain("nvme discover").doesNotContain("discovery.conf").contains("nvme connect");
    }

    // ---- hostile values: validation refuses them today; the quoting must hold without it -----------------------

    static final String EVIL_HOST = "nqn.2026-12.dev.example:h'; touch pwned; echo '$(touch pwned)`touch pwned`\ntouch pwned";
    static final String EVIL_SUBSYSTEM = "nqn.2026-12.dev.example:s\\\"$(touch pwned)\";touch pwned #’‘";
    static final Endpoint EVIL_ADDRESS = new Endpoint("192.0.2.10;touch pwned", 4420);
    static final Endpoint EVIL_DISCOVERY = new Endpoint("192.0.2.10$(touch pwned)", 8009);

    static String hostile(MemberOs os) {
        return InitiatorConfigs.generate(os, "lab\ntouch pwned", "node1'\n$(touch pwned)", EVIL_HOST, EVIL_SUBSYSTEM,
                List.of(EVIL_ADDRESS), EVIL_DISCOVERY).text();
    }

    @Test
    void the_linux_script_hands_hostile_names_to_nvme_as_single_arguments_and_runs_nothing(@TempDir Path dir)
            throws Exception {
        for (List<String> shell : Shells.POSIX) {
            List<List<String>> calls = Shells.run(shell, hostile(MemberOs.LINUX), dir,
                    "modprobe", "nvme", "grep", "systemctl", "touch", "echo");

            assertThat(calls).containsExactly(
                    List.of("modprobe", "nvme-tcp"),
                    List.of("nvme", "discover", "-t", "tcp", "-a", EVIL_DISCOVERY.address(), "-s", "8009", "-q", EVIL_HOST),
                    List.of("nvme", "connect", "-t", "tcp", "-a", EVIL_ADDRESS.address(), "-s", "4420", "-n",
                            EVIL_SUBSYSTEM, "-q", EVIL_HOST),
                    List.of("nvme", "list"),
                    List.of("grep", "-qxF", "--", InitiatorConfigs.discoveryConfLine(EVIL_HOST, EVIL_DISCOVERY),
                            "/etc/nvme/discovery.conf"),
                    List.of("systemctl", "enable", "nvmf-autoconnect.service"));
            assertThat(dir.resolve("pwned")).doesNotExist();
        }
    }

    @Test
    void the_esxi_script_hands_hostile_names_to_esxcli_as_single_arguments_and_runs_nothing(@TempDir Path dir)
            throws Exception {
        for (List<String> shell : Shells.POSIX) {
            List<List<String>> calls = Shells.run(shell, hostile(MemberOs.ESXI), dir, "esxcli", "touch", "echo");

            assertThat(calls).contains(
                    List.of("esxcli", "nvme", "fabrics", "discover", "-a", "vmhba65", "-i", EVIL_DISCOVERY.address(),
                            "-p", "8009"),
                    List.of("esxcli", "nvme", "fabrics", "connect", "-a", "vmhba65", "-i", EVIL_ADDRESS.address(),
                            "-p", "4420", "-s", EVIL_SUBSYSTEM));
            assertThat(calls).allSatisfy(call -> assertThat(call.getFirst()).isEqualTo("esxcli"));
            assertThat(dir.resolve("pwned")).doesNotExist();
        }
    }

    @Test
    void the_generated_shell_scripts_pass_shellcheck_with_ordinary_and_hostile_names(@TempDir Path dir)
            throws Exception {
        for (MemberOs os : List.of(MemberOs.LINUX, MemberOs.ESXI)) {
            assertThat(Shells.shellcheck(generate(os), dir)).as(os + " script").isEmpty();
            assertThat(Shells.shellcheck(hostile(os), dir)).as(os + " script with hostile names").isEmpty();
            assertThat(Shells.shellcheck(InitiatorConfigs.linux("lab", "node1", HOST, SUBSYSTEM, LISTENERS, null), dir))
                    .isEmpty();
        }
    }

    @Test
    void the_windows_script_holds_hostile_names_in_verbatim_strings_that_read_back_exactly() {
        String text = hostile(MemberOs.WINDOWS);

        assertThat(literalAfter(text, "$WindroseHostNqn      = ")).isEqualTo(EVIL_HOST);
        assertThat(literalAfter(text, "$WindroseSubsystemNqn = ")).isEqualTo(EVIL_SUBSYSTEM);
        assertThat(literalAfter(text, "$WindroseDiscovery    = @{ Address = ")).isEqualTo(EVIL_DISCOVERY.address());
        assertThat(literalAfter(text, "    @{ Address = ")).isEqualTo(EVIL_ADDRESS.address());
    }

    @Test
    void names_in_the_header_comments_cannot_start_a_line_of_their_own() {
        for (MemberOs os : MemberOs.values()) {
            List<String> lines = hostile(os).lines().filter(line -> !line.startsWith("#!")).limit(4).toList();
            assertThat(lines.get(0)).as(os.name()).startsWith("# Windrose aggregation 'lab\\u000atouch pwned'");
            assertThat(lines.get(1)).startsWith("# Host NQN the subsystem admits: ").endsWith("\\u000atouch pwned");
            assertThat(lines.get(2)).startsWith("# Subsystem (this member's own):  ");
            assertThat(lines.get(3)).startsWith("# ");
        }
    }

    private static String literalAfter(String text, String prefix) {
        int at = text.indexOf(prefix);
        assertThat(at).as(prefix).isNotNegative();
        return Shells.powerShellString(text, at + prefix.length()).value();
    }

    static String generate(MemberOs os) {
        return InitiatorConfigs.generate(os, "lab", "node1", HOST, SUBSYSTEM, LISTENERS, DISCOVERY).text();
    }

    /** The lines that are not comments or blank. */
    static List<String> commands(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static void assertGolden(MemberOs os, String file) throws IOException {
        InitiatorConfig config = InitiatorConfigs.generate(os, "lab", "node1", HOST, SUBSYSTEM, LISTENERS, DISCOVERY);
        assertThat(config.fileName()).isEqualTo("lab-" + file);
        if (Boolean.getBoolean("windrose.golden.update")) {
            Files.writeString(Path.of("src/test/resources/aggregation", file), config.text());
        }
        try (InputStream golden = InitiatorConfigsTest.class.getResourceAsStream("/aggregation/" + file)) {
            assertThat(golden).as("golden file " + file).isNotNull();
            assertThat(config.text()).isEqualTo(new String(golden.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
