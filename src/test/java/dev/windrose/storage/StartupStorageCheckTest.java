package dev.windrose.storage;

import static dev.windrose.support.TestValues.body;
import static dev.windrose.support.TestValues.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.windrose.inventory.ApiTokens;
import dev.windrose.security.SystemViewer;
import dev.windrose.security.UserService;
import dev.windrose.storage.StorageDiscrepancy.Kind;
import dev.windrose.storage.internal.DiskPoolLabel;
import dev.windrose.storage.internal.PoolVolumeMap;
import dev.windrose.telemetry.AlertRule;
import dev.windrose.telemetry.EventInfo;
import dev.windrose.telemetry.EventService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The start-up storage check finds what a crash between a file-system change and its commit leaves
 * behind — an orphan volume file, a volume whose file is gone, a disk pool map entry of an unknown volume
 * or one that lacks a known volume — acts on it, and reports each with an event; a pool that agrees with
 * the database is left alone.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class StartupStorageCheckTest {

    static final long MIB = 1024 * 1024;
    @TempDir
    static Path work;

    @BeforeAll
    static void makeTheLabDirectory() throws IOException {
        Files.createDirectories(work.resolve("lab"));
    }

    @DynamicPropertySource
    static void labDisksGoToTheWorkDirectory(DynamicPropertyRegistry registry) {
        registry.add("windrose.inventory.lab-disk-directory", () -> work.resolve("lab").toString());
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;
    @Autowired
    StartupStorageCheck check;
    @Autowired
    EventService events;

    String admin;

    @BeforeEach
    void signIn() throws Exception {
        admin = new ApiTokens(mvc, users).admin();
    }

    @Test
    void an_orphan_volume_file_is_moved_to_the_quarantine_folder_and_reported_and_owned_files_stay() throws Exception {
        Path directory = Files.createDirectories(work.resolve(unique("files")));
        long pool = create("/api/v1/pools", "{\"name\":\"" + unique("files") + "\",\"type\":\"DIRECTORY\",\"directory\":\""
                + directory + "\"}");
        String volume = body(post("/api/v1/volumes", "{\"name\":\"" + unique("vol") + "\",\"poolId\":" + pool
                + ",\"sizeBytes\":" + MIB + "}"));
        Path owned = Path.of(JsonPath.<String>read(volume, "$.backingPath"));
        Path orphan = Files.write(directory.resolve(UUID.randomUUID() + ".img"), new byte[] {1, 2, 3});
        Path notOurs = Files.writeString(directory.resolve("notes.txt"), "someone else's file");

        List<StorageDiscrepancy> found = inPool(check.check(), pool);

        assertThat(found).extracting(StorageDiscrepancy::kind).containsExactly(Kind.ORPHAN_FILE);
        assertThat(found.getFirst().subject()).isEqualTo(orphan.toString());
        Path quarantined = directory.resolve(StartupStorageCheck.QUARANTINE).resolve(orphan.getFileName());
        assertThat(orphan).doesNotExist();
        assertThat(quarantined).hasBinaryContent(new byte[] {1, 2, 3});
        assertThat(owned).exists();
        assertThat(notOurs).exists();
        assertThat(openEventsNaming(orphan.getFileName().toString()))
                .singleElement().satisfies(event -> assertThat(event.message()).contains(quarantined.toString()));

        assertThat(inPool(check.check(), pool)).as("a second start finds nothing more").isEmpty();
    }

    @Test
    void a_volume_whose_file_is_gone_is_kept_and_reported_as_critical() throws Exception {
        Path directory = Files.createDirectories(work.resolve(unique("files")));
        long pool = create("/api/v1/pools", "{\"name\":\"" + unique("files") + "\",\"type\":\"DIRECTORY\",\"directory\":\""
                + directory + "\"}");
        String name = unique("vol");
        String volume = body(post("/api/v1/volumes", "{\"name\":\"" + name + "\",\"poolId\":" + pool
                + ",\"sizeBytes\":" + MIB + "}"));
        Files.delete(Path.of(JsonPath.<String>read(volume, "$.backingPath")));

        List<StorageDiscrepancy> found = inPool(check.check(), pool);

        assertThat(found).extracting(StorageDiscrepancy::kind).containsExactly(Kind.MISSING_FILE);
        assertThat(found.getFirst().subject()).contains(name);
        assertThat(openEventsNaming(name)).singleElement()
                .satisfies(event -> assertThat(event.severity()).isEqualTo(dev.windrose.telemetry.Severity.CRITICAL));
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                        .get("/api/v1/volumes/" + JsonPath.<Integer>read(volume, "$.id"))
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                .andExpect(status().isOk());
    }

    @Test
    void a_disk_pool_map_loses_entries_of_unknown_volumes_and_gains_those_it_lacks() throws Exception {
        String disk = body(post("/api/v1/disks", "{\"name\":\"" + unique("lab") + "\",\"sizeBytes\":" + 64 * MIB + "}"));
        Path device = Path.of(JsonPath.<String>read(disk, "$.devicePath"));
        long pool = create("/api/v1/pools", "{\"name\":\"" + unique("disks") + "\",\"type\":\"DISK\",\"diskIds\":["
                + JsonPath.<Integer>read(disk, "$.id") + "]}");
        String known = unique("known");
        String volume = body(post("/api/v1/volumes", "{\"name\":\"" + known + "\",\"poolId\":" + pool
                + ",\"sizeBytes\":" + 4 * MIB + "}"));
        UUID knownUuid = UUID.fromString(JsonPath.read(volume, "$.uuid"));
        // What a crash leaves: a map written for a volume whose commit never came, without the known one
        // (as a delete's map write before its commit does).
        UUID poolUuid = DiskPoolLabel.readFrom(device).orElseThrow().poolUuid();
        UUID ghost = UUID.randomUUID();
        new PoolVolumeMap(poolUuid, 0, List.of(new PoolVolumeMap.Volume(ghost, "ghost", 2 * MIB, false,
                List.of(new PoolVolumeMap.Extent(0, DiskPoolLabel.DATA_OFFSET + 8 * MIB, 2 * MIB))))).writeTo(device);

        List<StorageDiscrepancy> found = inPool(check.check(), pool);

        assertThat(found).extracting(StorageDiscrepancy::kind)
                .containsExactlyInAnyOrder(Kind.ORPHAN_MAP_ENTRY, Kind.MISSING_MAP_ENTRY);
        assertThat(found).filteredOn(f -> f.kind() == Kind.ORPHAN_MAP_ENTRY).singleElement()
                .satisfies(f -> assertThat(f.subject()).contains("ghost", ghost.toString(), "@" + (DiskPoolLabel.DATA_OFFSET + 8 * MIB)));
        assertThat(PoolVolumeMap.readFrom(device, poolUuid)).get()
                .satisfies(map -> assertThat(map.volumes()).extracting(PoolVolumeMap.Volume::uuid).containsExactly(knownUuid));
        assertThat(openEventsNaming(ghost.toString())).hasSize(1);
        assertThat(openEventsNaming(knownUuid.toString())).hasSize(1);

        assertThat(inPool(check.check(), pool)).as("the rewritten map agrees").isEmpty();
    }

    private static List<StorageDiscrepancy> inPool(List<StorageDiscrepancy> found, long pool) {
        return found.stream().filter(f -> f.pool().value() == pool).toList();
    }

    private List<EventInfo> openEventsNaming(String text) {
        List<EventInfo> all = new ArrayList<>(SystemViewer.read(() -> events.list(null, PageRequest.of(0, 500)).getContent()));
        return all.stream().filter(e -> e.rule() == AlertRule.STORAGE_DISCREPANCY && e.message().contains(text)).toList();
    }

    private long create(String path, String json) throws Exception {
        return JsonPath.<Integer>read(body(post(path, json)), "$.id");
    }

    private org.springframework.test.web.servlet.ResultActions post(String path, String json) throws Exception {
        return mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(path)
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                        .contentType(MediaType.APPLICATION_JSON).content(json))
                .andExpect(status().isCreated());
    }
}
