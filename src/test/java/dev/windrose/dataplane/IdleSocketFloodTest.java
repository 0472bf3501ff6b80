package dev.windrose.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import dev.windrose.inventory.ApiTokens;
import dev.windrose.security.UserService;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Issue 13, item 4: anyone who reaches the NVMe/TCP port opens idle sockets. With the real embedded
 * target and Tomcat on real sockets, far more idle sockets than the caps allow: the target admits only
 * its per-address cap, refuses the rest at once (counted), closes the admitted ones when they send no
 * ICReq, writes a bounded number of log lines, and the REST API keeps answering in normal time.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "windrose.test-context=idle-socket-flood",
        "windrose.dataplane.target.max-connections-per-source=16",
        "windrose.dataplane.target.max-connections-per-listener=32",
        "windrose.dataplane.target.icreq-timeout=1s"})
@AutoConfigureMockMvc
@ActiveProfiles("test")
class IdleSocketFloodTest {

    static final int SOCKETS = 300;
    static final int PER_SOURCE = 16;
    /**
     * What "normal time" means for a list call on loopback once the server is warm, with room for a
     * loaded CI machine; a console starved of descriptors does not answer at all.
     */
    static final Duration NORMAL = Duration.ofSeconds(5);
    static final Duration PATIENCE = Duration.ofSeconds(20);

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;
    @Autowired
    EmbeddedTarget embedded;
    @LocalServerPort
    int httpPort;

    @Test
    void idle_sockets_beyond_the_cap_are_refused_timed_out_and_logged_boundedly_while_the_api_answers()
            throws Exception {
        String token = new ApiTokens(mvc, users).admin();
        DataplaneTarget target = embedded.target().orElseThrow();
        int nvmePort = embedded.status().listenPort();
        HttpClient http = HttpClient.newBuilder().connectTimeout(NORMAL).build();
        listSubsystems(http, token);     // warm: the first request initialises the servlet and the security chain
        NetworkCounters before = target.networkCounters();

        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < SOCKETS; i++) {
                Socket socket = new Socket();
                sockets.add(socket);
                try {
                    socket.connect(new InetSocketAddress("127.0.0.1", nvmePort), 2000);
                } catch (SocketException resetWhileConnecting) {
                    // the target's refusal (RST) can overtake the end of connect(): refused all the same
                }
            }
            NetworkCounters flooded = eventually(target,
                    c -> c.refusedSource() - before.refusedSource() == SOCKETS - PER_SOURCE);
            assertThat(flooded.accepted() - before.accepted()).isEqualTo(PER_SOURCE);

            for (int i = 0; i < 5; i++) {
                long started = System.nanoTime();
                assertThat(listSubsystems(http, token).statusCode()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(NORMAL);
            }

            // Sockets that never send ICReq do not stay: the admitted ones are closed after a second.
            NetworkCounters after = eventually(target,
                    c -> c.handshakeTimeouts() - before.handshakeTimeouts() == PER_SOURCE);
            long written = after.logLines() - before.logLines();
            long suppressed = after.logSuppressed() - before.logSuppressed();
            // 300 refusals and 16 closes, but one burst (20) per kind of line and a summary each.
            assertThat(written).isLessThanOrEqualTo(2 * (20 + 1) + 5);
            assertThat(written + suppressed).isGreaterThanOrEqualTo(SOCKETS);

            String metrics = mvc.perform(get("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                    .andReturn().getResponse().getContentAsString();
            assertThat(metrics).contains("windrose_dataplane_connections_refused_total{reason=\"source\"} "
                    + after.refusedSource() + ".0");
        } finally {
            for (Socket socket : sockets) {
                close(socket);
            }
        }
    }

    private HttpResponse<String> listSubsystems(HttpClient http, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/v1/subsystems"))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).timeout(NORMAL).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static NetworkCounters eventually(DataplaneTarget target, Predicate<NetworkCounters> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        NetworkCounters counters = target.networkCounters();
        while (!done.test(counters) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            counters = target.networkCounters();
        }
        assertThat(done).as("counters reached in %s: %s", PATIENCE, counters).accepts(counters);
        return counters;
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the target may have reset it already
        }
    }
}
