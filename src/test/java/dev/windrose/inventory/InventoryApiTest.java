package dev.windrose.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.windrose.security.Role;
import dev.windrose.security.UserService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * Hosts and disks through the REST API, the real services and database, with discovery reading a copy of
 * the recorded mixed-host sysfs/procfs tree (so a test may make a disk vanish).
 */
// Its context reads a directory of this class (discovery roots, lab disks): it is closed after the class,
// before JUnit removes that directory, instead of staying cached over a deleted tree.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class InventoryApiTest {

    /** The class's copy of the recorded sysfs/procfs tree, with the lab disks' directory; JUnit removes it after the class, once @DirtiesContext has closed the context that reads it. */
    @TempDir
    static Path tree;
    static Path labDir;

    @BeforeAll
    static void copyTheRecordedTree() throws IOException {
        copy(Path.of("src/test/resources/sysfs/mixed-host"), tree);
        labDir = Files.createDirectories(tree.resolve("lab"));
    }

    @DynamicPropertySource
    static void discoveryReadsTheRecordedTree(DynamicPropertyRegistry registry) {
        registry.add("windrose.inventory.sysfs-root", () -> tree.resolve("sys").toString());
        registry.add("windrose.inventory.procfs-root", () -> tree.resolve("proc").toString());
        registry.add("windrose.inventory.lab-disk-directory", () -> labDir.toString());
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;

    String admin;

    @BeforeEach
    void signIn() throws Exception {
        admin = new ApiTokens(mvc, users).admin();
    }

    @Test
    void the_local_host_registered_itself_with_what_the_system_reports() throws Exception {
        as(admin, get("/api/v1/hosts"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.totalItems").value(1))
                .andExpect(jsonPath("$.items[0].local").value(true))
                .andExpect(jsonPath("$.items[0].state").value("ONLINE"))
                .andExpect(jsonPath("$.items[0].kernel").value("6.1.0-28-amd64"))
                .andExpect(jsonPath("$.items[0].memoryBytes").value(32768000L * 1024))
                .andExpect(jsonPath("$.items[0].cpuCores").value(Runtime.getRuntime().availableProcessors()))
                .andExpect(jsonPath("$.items[0].dataplaneMode").value("adaptive"))
                .andExpect(jsonPath("$.items[0].dataplaneVersion", containsString(".")));
    }

    @Test
    void discovered_disks_are_listed_and_only_free_ones_are_eligible_for_a_pool() throws Exception {
        as(admin, get("/api/v1/disks?kind=BLOCK&size=100"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[*].name", hasItem("sdb")))
                .andExpect(jsonPath("$.items[?(@.name == 'sdb')].eligible").value(false))
                .andExpect(jsonPath("$.items[?(@.name == 'sdb')].ineligibleReason",
                        hasItem(containsString("holds the operating system"))))
                .andExpect(jsonPath("$.items[?(@.name == 'nvme0n1')].health.temperatureCelsius").value(42));
        as(admin, get("/api/v1/disks?kind=BLOCK&eligible=true"))
                .andExpect(jsonPath("$.items[*].name", containsInAnyOrder("nvme0n1", "sda", "vda")));
        as(admin, get("/api/v1/disks?q=intel"))
                .andExpect(jsonPath("$.items[*].name", containsInAnyOrder("sda")));
    }

    @Test
    void a_lab_disk_is_a_sparse_file_marked_as_lab_and_goes_away_with_its_file() throws Exception {
        String body = as(admin, post("/api/v1/disks").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"demo-a\",\"sizeBytes\":134217728}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.kind").value("LAB"))
                .andExpect(jsonPath("$.transport").value("FILE"))
                .andExpect(jsonPath("$.eligible").value(true))
                .andReturn().getResponse().getContentAsString();
        Path file = Path.of(JsonPath.<String>read(body, "$.devicePath"));
        assertThat(file).hasParent(labDir);
        assertThat(Files.size(file)).isEqualTo(134217728L);
        int id = JsonPath.read(body, "$.id");

        as(admin, post("/api/v1/disks").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"demo-a\",\"sizeBytes\":134217728}"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value("A disk named 'demo-a' already exists on this host."));
        as(admin, delete("/api/v1/disks/" + id)).andExpect(status().isNoContent());
        assertThat(file).doesNotExist();
        as(admin, get("/api/v1/audit?size=500"))
                .andExpect(jsonPath("$.entries[?(@.action == 'LAB_DISK_CREATED' && @.target == 'demo-a')]").exists())
                .andExpect(jsonPath("$.entries[?(@.action == 'LAB_DISK_DELETED' && @.target == 'demo-a')]").exists());
    }

    @Test
    void invalid_lab_disks_are_refused_naming_the_field_and_leave_no_file() throws Exception {
        as(admin, post("/api/v1/disks").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"odd-size\",\"sizeBytes\":100000000}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("sizeBytes"));
        as(admin, post("/api/v1/disks").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"Bad Name!\",\"sizeBytes\":134217728}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("name"));
        as(admin, post("/api/v1/disks").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"elsewhere\",\"sizeBytes\":134217728,\"directory\":\"relative/dir\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("directory"));
        as(admin, post("/api/v1/disks").contentType(MediaType.APPLICATION_JSON).content("{\"sizeBytes\":134217728}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("name"));
        assertThat(labDir.resolve("odd-size.img")).doesNotExist();
    }

    @Test
    void viewers_may_read_but_not_create_lab_disks_or_rescan() throws Exception {
        String viewer = new ApiTokens(mvc, users).userWithRole(Role.VIEWER);
        as(viewer, get("/api/v1/disks")).andExpect(status().isOk());
        as(viewer, get("/api/v1/hosts")).andExpect(status().isOk());
        as(viewer, post("/api/v1/disks").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"sneaky\",\"sizeBytes\":134217728}"))
                .andExpect(status().isForbidden())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        as(viewer, post("/api/v1/disks/rescan")).andExpect(status().isForbidden());
        assertThat(labDir.resolve("sneaky.img")).doesNotExist();
    }

    @Test
    void a_disk_that_vanishes_is_reported_by_the_rescan_marked_missing_and_audited() throws Exception {
        Path vdb = tree.resolve("sys/block/vdb");
        copy(tree.resolve("sys/block/vda"), vdb);
        Files.writeString(vdb.resolve("serial"), "wr-lab-0002\n");
        as(admin, post("/api/v1/disks/rescan")).andExpect(status().isOk())
                .andExpect(jsonPath("$.appeared", hasItem("vdb")));

        deleteTree(vdb);
        as(admin, post("/api/v1/disks/rescan")).andExpect(status().isOk())
                .andExpect(jsonPath("$.disappeared", hasItem("vdb")));
        as(admin, get("/api/v1/disks?q=vdb"))
                .andExpect(jsonPath("$.items[0].present").value(false))
                .andExpect(jsonPath("$.items[0].eligible").value(false));
        as(admin, get("/api/v1/audit?size=500"))
                .andExpect(jsonPath("$.entries[?(@.action == 'DISK_APPEARED' && @.target == 'vdb')]").exists())
                .andExpect(jsonPath("$.entries[?(@.action == 'DISK_DISAPPEARED' && @.target == 'vdb')]").exists());
    }

    @Test
    void an_unknown_disk_is_404_problem_json() throws Exception {
        as(admin, get("/api/v1/disks/999999")).andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        as(admin, get("/api/v1/disks?size=0")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("size"));
    }

    private ResultActions as(String token, org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request)
            throws Exception {
        return mvc.perform(request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token));
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
