package dev.windrose.storage;

import static dev.windrose.support.TestValues.body;
import static dev.windrose.support.TestValues.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.windrose.common.PrivateFiles;
import dev.windrose.common.WindroseProperties;
import dev.windrose.inventory.ApiTokens;
import dev.windrose.security.UserService;
import dev.windrose.support.Leftovers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * Directory pools and lab disks go only under the allowed roots (the test configuration allows the JVM's
 * temporary directory, where {@code @TempDir} lives), judged after symlinks, and their files are private.
 */
// FabricApiTest's context (same properties): started once for all of them.
@SpringBootTest(properties = "windrose.test-context=fabric-api")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class StorageRootsTest {

    static final long MIB = 1024 * 1024;

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;
    @Autowired
    ApplicationContext context;
    @Autowired
    WindroseProperties windrose;

    @TempDir
    Path work;
    String admin;
    Leftovers leftovers;

    @BeforeEach
    void signIn() throws Exception {
        leftovers = Leftovers.now(context);
        admin = new ApiTokens(mvc, users).admin();
    }

    @AfterEach
    void deleteWhatTheTestMade() {
        leftovers.remove();
    }

    @Test
    void directory_pools_in_system_directories_or_the_data_directory_are_400_naming_the_allowed_roots() throws Exception {
        Path dataDir = windrose.dataDir().toAbsolutePath();
        Files.createDirectories(dataDir);
        for (String directory : List.of("/", "/etc", "/root", "/boot", "/dev", "/dev/shm", "/proc", "/sys",
                "/usr/lib", dataDir.toString(), dataDir.resolve("native").toString())) {
            directoryPool(directory)
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.errors[0].field").value("directory"))
                    .andExpect(jsonPath("$.detail", allOf(
                            containsString(System.getProperty("java.io.tmpdir")),
                            containsString(dataDir.toRealPath().resolve("pools").toString()),
                            containsString("windrose.storage.allowed-roots"))));
        }
    }

    @Test
    void a_symlink_from_an_allowed_root_to_etc_is_judged_by_where_it_leads() throws Exception {
        Path link = Files.createSymbolicLink(work.resolve("innocent"), Path.of("/etc"));

        directoryPool(link.toString())
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("(really /etc)")));
        labDisk(unique("lab"), link.toString())
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("(really /etc)")));
    }

    @Test
    void lab_disks_outside_the_allowed_roots_are_400_and_leave_no_file() throws Exception {
        String name = unique("lab");
        for (String directory : List.of("/etc", "/", "/dev/shm", "/var/tmp/../../etc")) {
            labDisk(name, directory)
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.errors[0].field").value("directory"))
                    .andExpect(jsonPath("$.detail", containsString("may only live under")));
        }
        assertThat(Path.of("/etc", name + ".img")).doesNotExist();
        assertThat(Path.of("/dev/shm", name + ".img")).doesNotExist();
    }

    @Test
    void a_nul_or_a_line_break_in_a_directory_is_400_not_500() throws Exception {
        for (String directory : List.of(work + "\u0000/x", work + "\nx")) {
            directoryPool(directory)
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.detail", containsString("control character")));
            labDisk(unique("lab"), directory)
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.errors[0].field").value("directory"));
        }
    }

    @Test
    void volume_files_and_lab_disks_are_readable_by_the_service_user_only() throws Exception {
        String pool = body(directoryPool(work.toString()).andExpect(status().isCreated()));
        int poolId = JsonPath.read(pool, "$.id");
        as(post("/api/v1/volumes"), "{\"name\":\"" + unique("vol") + "\",\"poolId\":" + poolId + ",\"sizeBytes\":"
                + 4 * MIB + "}").andExpect(status().isCreated());
        String disk = body(labDisk(unique("lab"), work.toString()).andExpect(status().isCreated()));
        Path diskFile = Path.of(JsonPath.<String>read(disk, "$.devicePath"));

        List<Path> files;
        try (Stream<Path> list = Files.list(work)) {
            files = list.filter(Files::isRegularFile).toList();
        }
        assertThat(files).as("the volume's file and the lab disk").hasSize(2).contains(diskFile);
        for (Path file : files) {
            assertThat(Files.getPosixFilePermissions(file)).as(file.toString()).isEqualTo(PrivateFiles.FILE);
        }
    }

    private ResultActions directoryPool(String directory) throws Exception {
        return as(post("/api/v1/pools"), "{\"name\":\"" + unique("files") + "\",\"type\":\"DIRECTORY\",\"directory\":"
                + jsonString(directory) + "}");
    }

    private ResultActions labDisk(String name, String directory) throws Exception {
        return as(post("/api/v1/disks"), "{\"name\":\"" + name + "\",\"sizeBytes\":" + 128 * MIB + ",\"directory\":"
                + jsonString(directory) + "}");
    }

    private ResultActions as(org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request,
            String json) throws Exception {
        return mvc.perform(request.header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).content(json));
    }

    private static String jsonString(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\u0000", "\\u0000")
                .replace("\n", "\\n") + "\"";
    }
}
