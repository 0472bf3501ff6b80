package dev.windrose.fabric;

import static dev.windrose.support.TestValues.body;
import static dev.windrose.support.TestValues.freePort;
import static dev.windrose.support.TestValues.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.windrose.fabric.internal.FabricReconciliation;
import dev.windrose.inventory.ApiTokens;
import dev.windrose.security.UserService;
import dev.windrose.support.Leftovers;
import dev.windrose.support.NvmeTcpHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Growing a volume that a subsystem exports, through the REST API, while a host is connected to the real
 * embedded target: the host is told (Namespace Attribute Changed, the NSID in the Changed Namespace List),
 * Identify Namespace shows the new size, the new blocks take I/O, and the reconciler sees no drift. The
 * same context as FabricApiTest (same properties), so it is started once.
 */
@SpringBootTest(properties = "windrose.test-context=fabric-api")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class LiveResizeTest {

    static final long MIB = 1024 * 1024;

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;
    @Autowired
    FabricReconciliation reconciliation;
    @Autowired
    com.vaadin.flow.spring.security.VaadinAwareSecurityContextHolderStrategy securityContexts;

    @Autowired
    ApplicationContext context;

    String token;
    /** Where the test's directory pool lives; JUnit removes it once the test's pool is deleted. */
    @TempDir
    Path directory;
    Leftovers leftovers;

    @BeforeEach
    void signIn() throws Exception {
        leftovers = Leftovers.now(context);
        // Every Spring context in the JVM installs its own Vaadin strategy as the global one (see the
        // views' tests); a context cached from earlier must make its own current again, empty.
        org.springframework.security.core.context.SecurityContextHolder.setContextHolderStrategy(securityContexts);
        securityContexts.clearContext();
        token = new ApiTokens(mvc, users).admin();
    }

    @Test
    void growing_an_exported_directory_volume_resizes_the_live_namespace_and_tells_the_connected_host()
            throws Exception {
        int pool = JsonPath.read(body(json(post("/api/v1/pools"), "{\"name\":\"" + unique("files")
                + "\",\"type\":\"DIRECTORY\",\"directory\":\"" + directory + "\"}").andExpect(status().isCreated())), "$.id");
        long volume = volume(pool, 8);
        Exported exported = export(volume);

        try (NvmeTcpHost host = NvmeTcpHost.admin("127.0.0.1", exported.port(), exported.nqn());
                NvmeTcpHost io = host.ioQueue()) {
            assertThat(host.namespaceSize(1)).isEqualTo(8 * MIB / 512);
            assertThat(io.read(1, 8 * MIB / 512 - 1, 512)).hasSize(512);
            host.enableAsyncEvents(NvmeTcpHost.AEN_NS_ATTRIBUTE);
            short aer = host.requestAsyncEvent();

            json(patch("/api/v1/volumes/" + volume), "{\"sizeBytes\":" + 24 * MIB + "}").andExpect(status().isOk())
                    .andExpect(jsonPath("$.sizeBytes").value(24 * MIB));

            assertThat(host.awaitAsyncEvent(aer) & 0xffffff).as("notice, namespace attribute changed, log 04h")
                    .isEqualTo(0x040002);
            assertThat(host.changedNamespaces()).containsExactly(1);
            assertThat(host.namespaceSize(1)).isEqualTo(24 * MIB / 512);
            byte[] block = new byte[512];
            Arrays.fill(block, (byte) 0x6e);
            io.write(1, 24 * MIB / 512 - 1, block);
            assertThat(io.read(1, 24 * MIB / 512 - 1, 512)).isEqualTo(block);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.read(1, 24 * MIB / 512, 512))
                    .as("past the new end").isInstanceOf(IOException.class).hasMessageContaining("status");
        }
        assertThat(Files.size(directory.resolve(JsonPath.<String>read(body(as(get("/api/v1/volumes/" + volume))), "$.uuid")
                + ".img"))).isEqualTo(24 * MIB);
        reconciliation.reconcile();
        as(get(exported.path())).andExpect(jsonPath("$.namespaces[0].sizeBytes").value(24 * MIB))
                .andExpect(jsonPath("$.namespaces[0].state").value("APPLIED"))
                .andExpect(jsonPath("$.lastDrift").doesNotExist());
        as(delete(exported.path())).andExpect(status().isNoContent());
        as(delete("/api/v1/volumes/" + volume)).andExpect(status().isNoContent());
    }

    @Test
    void an_exported_memory_volume_grows_with_its_data_and_the_host_sees_the_new_size() throws Exception {
        int pool = JsonPath.read(body(json(post("/api/v1/pools"), "{\"name\":\"" + unique("ram")
                + "\",\"type\":\"MEMORY\",\"capacityBytes\":" + 64 * MIB + "}").andExpect(status().isCreated())), "$.id");
        long volume = volume(pool, 8);
        Exported exported = export(volume);

        try (NvmeTcpHost host = NvmeTcpHost.admin("127.0.0.1", exported.port(), exported.nqn());
                NvmeTcpHost io = host.ioQueue()) {
            byte[] block = new byte[512];
            Arrays.fill(block, (byte) 0x51);
            io.write(1, 8 * MIB / 512 - 1, block);

            json(patch("/api/v1/volumes/" + volume), "{\"sizeBytes\":" + 40 * MIB + "}").andExpect(status().isOk());

            assertThat(host.namespaceSize(1)).isEqualTo(40 * MIB / 512);
            assertThat(io.read(1, 8 * MIB / 512 - 1, 512)).as("RAM keeps its data when it grows").isEqualTo(block);
            io.write(1, 40 * MIB / 512 - 1, block);
            assertThat(io.read(1, 40 * MIB / 512 - 1, 512)).isEqualTo(block);
        }
        as(delete(exported.path())).andExpect(status().isNoContent());
        as(delete("/api/v1/volumes/" + volume)).andExpect(status().isNoContent());
    }

    @Test
    void an_exported_disk_pool_volume_grows_in_place_and_is_refused_in_words_when_the_space_after_it_is_taken()
            throws Exception {
        int disk = JsonPath.read(body(json(post("/api/v1/disks"), "{\"name\":\"" + unique("lab") + "\",\"sizeBytes\":"
                + 64 * MIB + "}").andExpect(status().isCreated())), "$.id");
        int pool = JsonPath.read(body(json(post("/api/v1/pools"), "{\"name\":\"" + unique("disks")
                + "\",\"type\":\"DISK\",\"diskIds\":[" + disk + "]}").andExpect(status().isCreated())), "$.id");
        long first = volume(pool, 8);
        long second = volume(pool, 8);
        Exported hemmedIn = export(first);
        Exported last = export(second);

        json(patch("/api/v1/volumes/" + first), "{\"sizeBytes\":" + 16 * MIB + "}").andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString("can only grow in place")))
                .andExpect(jsonPath("$.detail", containsString("0 MiB are free there")));
        as(get("/api/v1/volumes/" + first)).andExpect(jsonPath("$.sizeBytes").value(8 * MIB));

        try (NvmeTcpHost host = NvmeTcpHost.admin("127.0.0.1", last.port(), last.nqn()); NvmeTcpHost io = host.ioQueue()) {
            byte[] block = new byte[512];
            Arrays.fill(block, (byte) 0x3d);
            io.write(1, 8 * MIB / 512 - 1, block);
            host.enableAsyncEvents(NvmeTcpHost.AEN_NS_ATTRIBUTE);
            short aer = host.requestAsyncEvent();

            json(patch("/api/v1/volumes/" + second), "{\"sizeBytes\":" + 20 * MIB + "}").andExpect(status().isOk())
                    .andExpect(jsonPath("$.extents.length()").value(1))
                    .andExpect(jsonPath("$.extents[0].lengthBytes").value(20 * MIB));

            assertThat(host.awaitAsyncEvent(aer) & 0xffffff).isEqualTo(0x040002);
            assertThat(host.namespaceSize(1)).isEqualTo(20 * MIB / 512);
            assertThat(io.read(1, 8 * MIB / 512 - 1, 512)).as("the data stayed where it was").isEqualTo(block);
            io.write(1, 20 * MIB / 512 - 1, block);
            assertThat(io.read(1, 20 * MIB / 512 - 1, 512)).isEqualTo(block);
        }
        as(get(last.path())).andExpect(jsonPath("$.namespaces[0].sizeBytes").value(20 * MIB))
                .andExpect(jsonPath("$.namespaces[0].state").value("APPLIED"));
        as(delete(hemmedIn.path())).andExpect(status().isNoContent());
        as(delete(last.path())).andExpect(status().isNoContent());
        as(delete("/api/v1/volumes/" + first)).andExpect(status().isNoContent());
        as(delete("/api/v1/volumes/" + second)).andExpect(status().isNoContent());
    }

    /** The context is shared: the subsystems, volumes, pools and lab disks the test made go with it. */
    @AfterEach
    void deleteWhatTheTestMade() {
        leftovers.remove();
    }

    record Exported(String nqn, String path, int port) {
    }

    /** A subsystem that any host may use, with the volume as NSID 1 and a loopback listener. */
    private Exported export(long volume) throws Exception {
        String nqn = "nqn.2026-01.dev.windrose.test:" + UUID.randomUUID();
        int id = JsonPath.read(body(json(post("/api/v1/subsystems"), "{\"nqn\":\"" + nqn + "\",\"allowAnyHost\":true}")
                .andExpect(status().isCreated())), "$.id");
        String path = "/api/v1/subsystems/" + id;
        json(post(path + "/namespaces"), "{\"volumeId\":" + volume + "}").andExpect(status().isCreated())
                .andExpect(jsonPath("$.namespaces[0].state").value("APPLIED"));
        int port = freePort();
        json(post(path + "/listeners"), "{\"address\":\"127.0.0.1\",\"port\":" + port + "}")
                .andExpect(status().isCreated()).andExpect(jsonPath("$.listeners[0].state").value("APPLIED"));
        return new Exported(nqn, path, port);
    }

    private long volume(int pool, long mib) throws Exception {
        return ((Number) JsonPath.read(body(json(post("/api/v1/volumes"), "{\"name\":\"" + unique("vol")
                + "\",\"poolId\":" + pool + ",\"sizeBytes\":" + mib * MIB + "}").andExpect(status().isCreated())), "$.id"))
                .longValue();
    }

    private ResultActions json(MockHttpServletRequestBuilder request, String body) throws Exception {
        return as(request.contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private ResultActions as(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token));
    }
}
