package dev.windrose.storage;

import static dev.windrose.support.TestValues.body;
import static org.hamcrest.Matchers.hasItem;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.windrose.inventory.ApiTokens;
import dev.windrose.security.UserService;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
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
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * A reboot renames disks: the recorded trees in src/test/resources/sysfs/renamed-disks show one host before
 * and after the SATA SSDs swapped sda and sdb and the NVMe drive became nvme1n1. The device nodes are plain
 * files in a directory of the test (moved as the kernel would have renamed them), so the pool label really
 * travels with the disk.
 */
// Its context reads a directory of this class (discovery roots, lab disks): it is closed after the class,
// before JUnit removes that directory, instead of staying cached over a deleted tree.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@SpringBootTest(properties = "windrose.test-context=disk-identity")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class DiskIdentityAcrossRebootTest {

    static final Path RECORDED = Path.of("src/test/resources/sysfs/renamed-disks").toAbsolutePath();
    /** The class's work directory (the copied sysfs/procfs tree, device nodes, lab disks); JUnit removes it after the class, once @DirtiesContext has closed the context that reads it. */
    @TempDir
    static Path work;

    @BeforeAll
    static void copyTheTreeBeforeTheReboot() throws IOException {
        copy(RECORDED.resolve("before"), work);
        Files.createDirectories(work.resolve("lab"));
        Path dev = Files.createDirectories(work.resolve("dev"));
        for (String node : List.of("sda", "sdb", "sdc", "nvme0n1")) {
            try (RandomAccessFile file = new RandomAccessFile(dev.resolve(node).toFile(), "rw")) {
                file.setLength(8L << 20);
            }
        }
    }

    @DynamicPropertySource
    static void discoveryReadsTheCopiedTree(DynamicPropertyRegistry registry) {
        registry.add("windrose.inventory.sysfs-root", () -> work.resolve("sys").toString());
        registry.add("windrose.inventory.procfs-root", () -> work.resolve("proc").toString());
        registry.add("windrose.inventory.dev-root", () -> work.resolve("dev").toString());
        registry.add("windrose.inventory.lab-disk-directory", () -> work.resolve("lab").toString());
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;

    @Test
    void a_disk_renamed_by_the_kernel_is_the_same_disk_and_stays_in_its_pool() throws Exception {
        String admin = new ApiTokens(mvc, users).admin();
        as(admin, post("/api/v1/disks/rescan")).andExpect(status().isOk());
        int first = diskId(admin, "sda");
        int second = diskId(admin, "sdb");
        int nvme = diskId(admin, "nvme0n1");
        String pool = body(as(admin, post("/api/v1/pools").contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"survivor\",\"type\":\"DISK\",\"diskIds\":[" + first + "]}"))
                .andExpect(status().isCreated()));
        int poolId = JsonPath.read(pool, "$.id");

        reboot();
        as(admin, post("/api/v1/disks/rescan")).andExpect(status().isOk())
                .andExpect(jsonPath("$.appeared").isEmpty())
                .andExpect(jsonPath("$.disappeared").isEmpty())
                .andExpect(jsonPath("$.renamed", hasItem("sda -> sdb")))
                .andExpect(jsonPath("$.renamed", hasItem("sdb -> sda")))
                .andExpect(jsonPath("$.renamed", hasItem("nvme0n1 -> nvme1n1")));

        as(admin, get("/api/v1/disks/" + first)).andExpect(jsonPath("$.name").value("sdb"))
                .andExpect(jsonPath("$.devicePath").value(work.resolve("dev/sdb").toString()))
                .andExpect(jsonPath("$.identity").value("wwid:naa.5002538e4a1b0001"))
                .andExpect(jsonPath("$.claimedBy").value("survivor"))
                .andExpect(jsonPath("$.present").value(true));
        as(admin, get("/api/v1/disks/" + second)).andExpect(jsonPath("$.name").value("sda"))
                .andExpect(jsonPath("$.eligible").value(true));
        as(admin, get("/api/v1/disks/" + nvme)).andExpect(jsonPath("$.name").value("nvme1n1"));
        as(admin, get("/api/v1/pools/" + poolId)).andExpect(jsonPath("$.disks[0].diskId").value(first))
                .andExpect(jsonPath("$.disks[0].name").value("sdb"));
        as(admin, get("/api/v1/pools/labels"))
                .andExpect(jsonPath("$[?(@.diskId == " + first + ")].diskName").value("sdb"))
                .andExpect(jsonPath("$[?(@.diskId == " + first + ")].knownPool").value(poolId));
    }

    /** The kernel's new names: the recorded "after" tree, and the device nodes moved along. */
    private static void reboot() throws IOException {
        deleteTree(work.resolve("sys"));
        deleteTree(work.resolve("proc"));
        copy(RECORDED.resolve("after"), work);
        Path dev = work.resolve("dev");
        Files.move(dev.resolve("sda"), dev.resolve("swap"));
        Files.move(dev.resolve("sdb"), dev.resolve("sda"));
        Files.move(dev.resolve("swap"), dev.resolve("sdb"));
        Files.move(dev.resolve("nvme0n1"), dev.resolve("nvme1n1"));
    }

    private int diskId(String token, String name) throws Exception {
        String page = body(as(token, get("/api/v1/disks?size=100")).andExpect(status().isOk()));
        List<Integer> ids = JsonPath.read(page, "$.items[?(@.name == '" + name + "')].id");
        return ids.getFirst();
    }

    private ResultActions as(String token, MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token));
    }

    private static void copy(Path from, Path to) throws IOException {
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

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
