package dev.windrose.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windrose.dataplane.AnaState;
import dev.windrose.fabric.SubsystemInfo.ListenerInfo;
import dev.windrose.support.Shells;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectCommandGeneratorTest {

    static final String NQN = "nqn.2026-01.dev.windrose:alpha";
    static final String HOST = "nqn.2014-08.org.nvmexpress:uuid:0f0e0d0c-0b0a-0908-0706-050403020100";

    static SubsystemInfo listeningOn(String address, int port) {
        return listeningOn(NQN, address, port);
    }

    static SubsystemInfo listeningOn(String nqn, String address, int port) {
        return new SubsystemInfo(new SubsystemId(1), nqn, "SER", "Windrose", false, Instant.EPOCH, ObservedState.APPLIED,
                null, List.of(), List.of(new ListenerInfo(1, 1, "tcp", address.contains(":") ? "IPV6" : "IPV4", address,
                        port, AnaState.OPTIMIZED, ObservedState.APPLIED, null)), List.of(), null, null, java.util.List.of());
    }

    @Test
    void linux_commands_name_the_listener_the_subsystem_and_the_chosen_host_nqn() {
        ConnectCommandGenerator commands = new ConnectCommandGenerator(listeningOn("192.0.2.10", 4420), "192.0.2.10", 8009, List.of());

        assertThat(commands.linuxDiscover(HOST)).isEqualTo("nvme discover -t tcp -a 192.0.2.10 -s 8009 -q " + HOST);
        assertThat(commands.linuxConnect(HOST))
                .isEqualTo("nvme connect -t tcp -a 192.0.2.10 -s 4420 -n " + NQN + " -q " + HOST);
    }

    @Test
    void without_a_chosen_host_linux_uses_its_own_host_nqn() {
        ConnectCommandGenerator commands = new ConnectCommandGenerator(listeningOn("192.0.2.10", 4420), "192.0.2.10", 8009, List.of());

        assertThat(commands.linuxConnect(null)).endsWith(" -q \"$(cat /etc/nvme/hostnqn)\"");
    }

    @Test
    void esxi_commands_use_esxcli_nvme_fabrics_with_the_adapter_placeholder() {
        ConnectCommandGenerator commands = new ConnectCommandGenerator(listeningOn("192.0.2.10", 4421), "192.0.2.10", 8009, List.of());

        assertThat(commands.esxiDiscover()).isEqualTo("esxcli nvme fabrics discover -a vmhba65 -i 192.0.2.10 -p 8009");
        assertThat(commands.esxiConnect())
                .isEqualTo("esxcli nvme fabrics connect -a vmhba65 -i 192.0.2.10 -p 4421 -s " + NQN);
    }

    @Test
    void a_wildcard_listener_is_reached_through_an_address_of_the_same_family() {
        ConnectCommandGenerator commands = new ConnectCommandGenerator(listeningOn("0.0.0.0", 4420), "0.0.0.0", 8009,
                List.of("fd00::5", "198.51.100.7"));

        assertThat(commands.linuxConnect(HOST)).contains("-a 198.51.100.7 -s 4420");
        assertThat(commands.esxiDiscover()).contains("-i 198.51.100.7 -p 8009");
        assertThat(new ConnectCommandGenerator(listeningOn("::", 4420), null, 0, List.of("198.51.100.7", "fd00::5"))
                .linuxConnect(HOST)).contains("-a fd00::5 -s 4420");
    }

    @Test
    void without_a_running_discovery_listener_discovery_goes_to_the_subsystem_listener() {
        ConnectCommandGenerator commands = new ConnectCommandGenerator(listeningOn("192.0.2.10", 4420), null, 0, List.of());

        assertThat(commands.linuxDiscover(HOST)).contains("-a 192.0.2.10 -s 4420");
    }

    /**
     * Validation refuses such names today; the quoting must hold without it. Each command runs in dash and BusyBox
     * ash with nvme and esxcli replaced by recorders: they receive the hostile values as single arguments, and the
     * payloads (which would create a file) never run.
     */
    @Test
    void hostile_names_reach_nvme_and_esxcli_as_single_arguments_and_run_nothing(@TempDir Path dir) throws Exception {
        String nqn = "nqn.2026-12.dev.example:it's$(touch pwned)`touch pwned`;touch pwned\ntouch pwned";
        String host = "nqn.2026-12.dev.example:h'; touch pwned; echo '";
        String address = "192.0.2.10$(touch pwned)";
        ConnectCommandGenerator commands = new ConnectCommandGenerator(listeningOn(nqn, address, 4420), null, 0, List.of());

        for (List<String> shell : Shells.POSIX) {
            assertThat(Shells.run(shell, commands.linuxConnect(host), dir, "nvme", "touch")).containsExactly(
                    List.of("nvme", "connect", "-t", "tcp", "-a", address, "-s", "4420", "-n", nqn, "-q", host));
            assertThat(Shells.run(shell, commands.linuxDiscover(host), dir, "nvme", "touch")).containsExactly(
                    List.of("nvme", "discover", "-t", "tcp", "-a", address, "-s", "4420", "-q", host));
            assertThat(Shells.run(shell, commands.esxiConnect(), dir, "esxcli", "touch")).containsExactly(
                    List.of("esxcli", "nvme", "fabrics", "connect", "-a", "vmhba65", "-i", address, "-p", "4420", "-s", nqn));
            assertThat(Shells.run(shell, commands.esxiDiscover(), dir, "esxcli", "touch")).containsExactly(
                    List.of("esxcli", "nvme", "fabrics", "discover", "-a", "vmhba65", "-i", address, "-p", "4420"));
            assertThat(dir.resolve("pwned")).doesNotExist();
        }
    }

    @Test
    void every_command_passes_shellcheck_with_ordinary_and_hostile_names(@TempDir Path dir) throws Exception {
        for (String nqn : List.of(NQN, "nqn.2026-12.dev.example:a'b$(id)`id`\n;x")) {
            ConnectCommandGenerator commands = new ConnectCommandGenerator(listeningOn(nqn, "192.0.2.10", 4420),
                    "192.0.2.10", 8009, List.of());
            for (String command : List.of(commands.linuxDiscover(HOST), commands.linuxConnect(HOST),
                    commands.linuxDiscover(null), commands.linuxConnect(null), commands.esxiDiscover(),
                    commands.esxiConnect(), commands.linuxConnect("h'$(id)"))) {
                assertThat(Shells.shellcheck("#!/bin/sh\n" + command + "\n", dir)).as(command).isEmpty();
            }
        }
    }
}
