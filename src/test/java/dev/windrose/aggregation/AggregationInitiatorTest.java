package dev.windrose.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.windrose.dataplane.EmbeddedTarget;
import dev.windrose.inventory.ApiTokens;
import dev.windrose.security.UserService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

/**
 * End to end with the project's own NVMe/TCP initiator (wr-bench, built here from dataplane-native/initiator):
 * with member A's host NQN it connects to A's subsystem on the embedded target, writes and verifies data on
 * A's namespace, and the aggregation's status shows A connected over one path meanwhile; with the same host
 * NQN it is refused B's subsystem. Replacing A by a new member C while A is connected is refused, then made
 * with force: C's host is served on C's subsystem and A's subsystem is gone.
 */
@SpringBootTest(properties = "windrose.test-context=aggregation-initiator")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class AggregationInitiatorTest {

    static final long GIB = 1024L * 1024 * 1024;
    static final Duration GENEROUS = Duration.ofSeconds(120);

    static Path wrBench;

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;
    @Autowired
    EmbeddedTarget embeddedTarget;

    @BeforeAll
    static void buildTheInitiator() throws Exception {
        Path buildDir = Path.of("target/native-build");
        assertThat(buildDir.resolve("CMakeCache.txt")).as("the Maven build configures target/native-build").exists();
        Process build = new ProcessBuilder("cmake", "--build", buildDir.toString(), "--target", "wr-bench", "-j2")
                .redirectErrorStream(true).start();
        String output = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(build.waitFor()).as("building wr-bench:\n" + output).isZero();
        wrBench = buildDir.resolve("initiator/wr-bench");
        assertThat(wrBench).isExecutable();
    }

    @Test
    void a_members_host_nqn_reaches_its_own_namespaces_and_is_refused_the_other_members(@TempDir Path directory)
            throws Exception {
        String token = new ApiTokens(mvc, users).admin();
        int pool = JsonPath.read(call(token, post("/api/v1/pools"), "{\"name\":\"e2e-" + suffix()
                + "\",\"type\":\"DIRECTORY\",\"directory\":\"" + directory + "\",\"overcommitPercent\":1000}", 201), "$.id");
        String name = "e2e-" + suffix();
        String hostA = "nqn.2014-08.org.nvmexpress:uuid:" + UUID.randomUUID();
        String hostB = "nqn.2014-08.org.nvmexpress:uuid:" + UUID.randomUUID();
        String created = call(token, post("/api/v1/aggregations"), """
                {"name":"%s","platform":"VSAN_ESA","members":[
                  {"name":"a","hostNqn":"%s","drives":[{"count":1,"sizeBytes":%d,"poolId":%d}]},
                  {"name":"b","hostNqn":"%s","drives":[{"count":1,"sizeBytes":%d,"poolId":%d}]}]}
                """.formatted(name, hostA, GIB, pool, hostB, GIB, pool), 201);
        int id = JsonPath.read(created, "$.id");
        String subsystemA = JsonPath.read(created, "$.members[0].subsystemNqn");
        String subsystemB = JsonPath.read(created, "$.members[1].subsystemNqn");
        int port = embeddedTarget.status().listenPort();

        // A, as A: a timed run, long enough to see the connection in the aggregation's status.
        Process asA = bench(port, subsystemA, hostA, "--workload", "randread", "--duration", "3", "--qd", "1");
        boolean seenConnected = false;
        Instant deadline = Instant.now().plus(GENEROUS);
        while (asA.isAlive() && !seenConnected && Instant.now().isBefore(deadline)) {
            String status = call(token, get("/api/v1/aggregations/" + id + "/status"), null, 200);
            seenConnected = JsonPath.<Boolean>read(status, "$[0].connected")
                    && JsonPath.<Integer>read(status, "$[0].paths") == 1
                    && !JsonPath.<Boolean>read(status, "$[1].connected");
            Thread.sleep(50);
        }
        Result a = finish(asA);
        assertThat(a.exitCode()).as("wr-bench as A on A's subsystem:\n" + a.output()).isZero();
        assertThat(seenConnected).as("status showed A connected over one path, B not, while wr-bench ran").isTrue();
        // What A writes to its namespace it reads back.
        Result verified = finish(bench(port, subsystemA, hostA, "--verify", "--verify-mib", "8", "--io-size", "4k"));
        assertThat(verified.exitCode()).as(verified.output()).isZero();

        // B's subsystem admits only B: A's host NQN is refused at Connect.
        Result refused = finish(bench(port, subsystemB, hostA, "--duration", "0.2", "--qd", "1"));
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
        assertThat(refused.output()).contains("cannot connect to 127.0.0.1:" + port + " " + subsystemB);

        // And B, as B, is served.
        Result b = finish(bench(port, subsystemB, hostB, "--verify", "--verify-mib", "2", "--io-size", "4k"));
        assertThat(b.exitCode()).as(b.output()).isZero();

        // Replacing A by C while A's host is connected is refused, unless forced; then C is served, A refused.
        String hostC = "nqn.2014-08.org.nvmexpress:uuid:" + UUID.randomUUID();
        String bAndC = """
                {"members":[
                  {"name":"b","hostNqn":"%s","drives":[{"count":1,"sizeBytes":%d,"poolId":%d}]},
                  {"name":"c","hostNqn":"%s","drives":[{"count":1,"sizeBytes":%d,"poolId":%d}]}]}
                """.formatted(hostB, GIB, pool, hostC, GIB, pool);
        Process connected = bench(port, subsystemA, hostA, "--workload", "randread", "--duration", "30", "--qd", "1");
        try {
            String check = null;
            Instant until = Instant.now().plus(GENEROUS);
            while (connected.isAlive() && Instant.now().isBefore(until)) {
                check = call(token, post("/api/v1/aggregations/" + id + "/checks"), bAndC, 200);
                if (!JsonPath.<List<String>>read(check, "$.connectedMembers").isEmpty()) {
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(JsonPath.<List<String>>read(check, "$.connectedMembers")).as(check).containsExactly("a");
            String refusedChange = call(token, patch("/api/v1/aggregations/" + id), bAndC, 409);
            assertThat(JsonPath.<String>read(refusedChange, "$.detail")).contains("a is connected")
                    .contains("force=true");
            assertThat(connected.isAlive()).as("A's connection survives the refused change").isTrue();
            String forced = call(token, patch("/api/v1/aggregations/" + id + "?force=true"), bAndC, 200);
            assertThat(JsonPath.<List<String>>read(forced, "$.members[*].name")).containsExactly("b", "c");
        } finally {
            finish(connected);
        }
        String subsystemC = AggregationService.NQN_PREFIX + name + ".c";
        Result c = finish(bench(port, subsystemC, hostC, "--verify", "--verify-mib", "2", "--io-size", "4k"));
        assertThat(c.exitCode()).as(c.output()).isZero();
        Result gone = finish(bench(port, subsystemA, hostA, "--duration", "0.2", "--qd", "1"));
        assertThat(gone.exitCode()).as("A's subsystem is gone:\n" + gone.output()).isNotZero();

        call(token, delete("/api/v1/aggregations/" + id), null, 204);
        call(token, delete("/api/v1/pools/" + pool), null, 204);
    }

    record Result(int exitCode, String output) {
    }

    private static Process bench(int port, String subsystem, String hostNqn, String... more) throws IOException {
        List<String> command = new ArrayList<>(List.of(wrBench.toString(), "--addr", "127.0.0.1", "--port",
                Integer.toString(port), "--nqn", subsystem, "--hostnqn", hostNqn, "--poll", "epoll"));
        command.addAll(List.of(more));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static Result finish(Process process) throws Exception {
        if (!process.waitFor(GENEROUS.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("wr-bench did not finish within " + GENEROUS);
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8));
    }

    private String call(String token, org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request,
            String body, int expected) throws Exception {
        request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).content(body);
        }
        return mvc.perform(request).andExpect(status().is(expected)).andReturn().getResponse().getContentAsString();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 6);
    }
}
