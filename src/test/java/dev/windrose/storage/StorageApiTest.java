package dev.windrose.storage;

import static dev.windrose.support.TestValues.body;
import static dev.windrose.support.TestValues.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.windrose.inventory.ApiTokens;
import dev.windrose.security.Role;
import dev.windrose.security.UserService;
import dev.windrose.storage.internal.DiskPoolLabel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Pools and volumes through the REST API, with real backings: lab-disk files carrying pool labels and
 * extents, sparse and preallocated files in a directory pool, RAM reservations. Discovery reads the
 * recorded mixed-host tree, so a system disk (sdb) exists.
 */
// Its context reads a directory of this class (discovery roots, lab disks): it is closed after the class,
// before JUnit removes that directory, instead of staying cached over a deleted tree.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class StorageApiTest {

    static final long MIB = 1024 * 1024;
    static final Path TREE = Path.of("src/test/resources/sysfs/mixed-host").toAbsolutePath();
    /** The class's work directory (lab disks, directory pools); JUnit removes it after the class, once @DirtiesContext has closed the context that reads it. */
    @TempDir
    static Path work;

    @BeforeAll
    static void makeTheLabDirectory() throws IOException {
        Files.createDirectories(work.resolve("lab"));
    }

    @DynamicPropertySource
    static void discoveryReadsTheRecordedTree(DynamicPropertyRegistry registry) {
        registry.add("windrose.inventory.sysfs-root", () -> TREE.resolve("sys").toString());
        registry.add("windrose.inventory.procfs-root", () -> TREE.resolve("proc").toString());
        registry.add("windrose.inventory.lab-disk-directory", () -> work.resolve("lab").toString());
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;
    @Autowired
    JdbcTemplate jdbc;

    String admin;

    @BeforeEach
    void signIn() throws Exception {
        admin = new ApiTokens(mvc, users).admin();
    }

    @Test
    void a_disk_pool_on_a_lab_disk_labels_it_carves_extents_and_is_deleted_in_the_right_order() throws Exception {
        String labDisk = body(json(post("/api/v1/disks"), "{\"name\":\"" + unique("lab") + "\",\"sizeBytes\":" + 256 * MIB + "}")
                .andExpect(status().isCreated()));
        int diskId = JsonPath.read(labDisk, "$.id");
        Path file = Path.of(JsonPath.<String>read(labDisk, "$.devicePath"));
        String poolName = unique("fast");

        String pool = body(json(post("/api/v1/pools"), "{\"name\":\"" + poolName + "\",\"type\":\"DISK\",\"diskIds\":[" + diskId + "]}")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.capacityBytes").value(255 * MIB))
                .andExpect(jsonPath("$.disks[0].diskId").value(diskId))
                .andExpect(jsonPath("$.dataIsVolatile").value(false)));
        int poolId = JsonPath.read(pool, "$.id");
        assertThat(DiskPoolLabel.readFrom(file)).get().extracting(DiskPoolLabel::poolName).isEqualTo(poolName);
        as(get("/api/v1/pools/labels"))
                .andExpect(jsonPath("$[?(@.diskId == " + diskId + ")].poolName").value(poolName))
                .andExpect(jsonPath("$[?(@.diskId == " + diskId + ")].knownPool").value(poolId));
        as(get("/api/v1/disks/" + diskId)).andExpect(jsonPath("$.claimedBy").value(poolName))
                .andExpect(jsonPath("$.eligible").value(false));

        String volume = body(json(post("/api/v1/volumes"), "{\"name\":\"" + unique("vol") + "\",\"poolId\":" + poolId
                + ",\"sizeBytes\":" + 64 * MIB + "}")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.provisioning").value("THICK"))
                .andExpect(jsonPath("$.extents", hasSize(1)))
                .andExpect(jsonPath("$.extents[0].startBytes").value(DiskPoolLabel.DATA_OFFSET))
                .andExpect(jsonPath("$.extents[0].lengthBytes").value(64 * MIB)));
        int volumeId = JsonPath.read(volume, "$.id");
        String volumeName = JsonPath.read(volume, "$.name");
        json(patch("/api/v1/volumes/" + volumeId), "{\"sizeBytes\":" + 96 * MIB + "}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.sizeBytes").value(96 * MIB))
                // the space right after it is free: it grows in place and stays one extent (servable)
                .andExpect(jsonPath("$.extents", hasSize(1)))
                .andExpect(jsonPath("$.extents[0].startBytes").value(DiskPoolLabel.DATA_OFFSET))
                .andExpect(jsonPath("$.extents[0].lengthBytes").value(96 * MIB));
        json(post("/api/v1/volumes"), "{\"name\":\"" + unique("big") + "\",\"poolId\":" + poolId + ",\"sizeBytes\":" + 200 * MIB + "}")
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString("159 MiB left")));

        as(delete("/api/v1/disks/" + diskId)).andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString("belongs to pool " + poolName)));
        as(delete("/api/v1/pools/" + poolId)).andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString(volumeName)));
        as(delete("/api/v1/volumes/" + volumeId)).andExpect(status().isNoContent());
        as(delete("/api/v1/pools/" + poolId)).andExpect(status().isNoContent());
        assertThat(DiskPoolLabel.readFrom(file)).isEmpty();
        as(get("/api/v1/disks/" + diskId)).andExpect(jsonPath("$.eligible").value(true));
        as(delete("/api/v1/disks/" + diskId)).andExpect(status().isNoContent());
        assertThat(file).doesNotExist();
        as(get("/api/v1/audit?size=500"))
                .andExpect(jsonPath("$.entries[?(@.action == 'POOL_CREATED' && @.target == '" + poolName + "')]").exists())
                .andExpect(jsonPath("$.entries[?(@.action == 'VOLUME_GROWN' && @.target == '" + volumeName + "')]").exists())
                .andExpect(jsonPath("$.entries[?(@.action == 'VOLUME_DELETED' && @.target == '" + volumeName + "')]").exists())
                .andExpect(jsonPath("$.entries[?(@.action == 'POOL_DELETED' && @.target == '" + poolName + "')]").exists());
    }

    @Test
    void a_label_left_by_a_pool_this_database_does_not_know_is_recognised_as_foreign() throws Exception {
        String labDisk = body(json(post("/api/v1/disks"), "{\"name\":\"" + unique("found") + "\",\"sizeBytes\":" + 64 * MIB + "}")
                .andExpect(status().isCreated()));
        int diskId = JsonPath.read(labDisk, "$.id");
        Path file = Path.of(JsonPath.<String>read(labDisk, "$.devicePath"));
        UUID lost = UUID.randomUUID();
        new DiskPoolLabel(lost, "from-a-lost-database", 1, 2, DiskPoolLabel.DATA_OFFSET, 32 * MIB).writeTo(file);

        as(get("/api/v1/pools/labels"))
                .andExpect(jsonPath("$[?(@.diskId == " + diskId + ")].poolUuid").value(lost.toString()))
                .andExpect(jsonPath("$[?(@.diskId == " + diskId + ")].poolName").value("from-a-lost-database"))
                .andExpect(jsonPath("$[?(@.diskId == " + diskId + ")].memberIndex").value(1))
                .andExpect(jsonPath("$[?(@.diskId == " + diskId + ")].knownPool").value(org.hamcrest.Matchers.contains(org.hamcrest.Matchers.nullValue())));

        String name = unique("reuse");
        json(post("/api/v1/pools"), "{\"name\":\"" + name + "\",\"type\":\"DISK\",\"diskIds\":[" + diskId + "]}")
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString("carries the label of pool 'from-a-lost-database'")))
                .andExpect(jsonPath("$.detail", containsString("import that pool")));
        assertThat(DiskPoolLabel.readFrom(file)).get().extracting(DiskPoolLabel::poolUuid).isEqualTo(lost);
        int poolId = JsonPath.read(body(json(post("/api/v1/pools"), "{\"name\":\"" + name
                + "\",\"type\":\"DISK\",\"diskIds\":[" + diskId + "],\"overwriteForeignLabels\":true}")
                .andExpect(status().isCreated())), "$.id");
        assertThat(DiskPoolLabel.readFrom(file)).get().extracting(DiskPoolLabel::poolName).isEqualTo(name);
        as(delete("/api/v1/pools/" + poolId)).andExpect(status().isNoContent());
        as(delete("/api/v1/disks/" + diskId)).andExpect(status().isNoContent());
    }

    @Test
    void a_system_disk_cannot_join_a_pool_and_the_failed_create_leaves_the_other_disk_untouched() throws Exception {
        String labDisk = body(json(post("/api/v1/disks"), "{\"name\":\"" + unique("lab") + "\",\"sizeBytes\":" + 128 * MIB + "}")
                .andExpect(status().isCreated()));
        int labId = JsonPath.read(labDisk, "$.id");
        Path file = Path.of(JsonPath.<String>read(labDisk, "$.devicePath"));
        int systemDisk = JsonPath.read(body(as(get("/api/v1/disks?q=sdb"))), "$.items[0].id");

        json(post("/api/v1/pools"), "{\"name\":\"" + unique("bad") + "\",\"type\":\"DISK\",\"diskIds\":[" + labId + "," + systemDisk + "]}")
                .andExpect(status().isConflict())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", containsString("holds the operating system")));

        as(get("/api/v1/disks/" + labId)).andExpect(jsonPath("$.eligible").value(true))
                .andExpect(jsonPath("$.claimedBy").doesNotExist());
        assertThat(DiskPoolLabel.readFrom(file)).isEmpty();
        as(delete("/api/v1/disks/" + labId)).andExpect(status().isNoContent());
    }

    @Test
    void a_directory_pool_backs_thin_volumes_with_sparse_files_and_thick_ones_with_preallocated_files() throws Exception {
        Path dir = Files.createDirectories(work.resolve(unique("dir")));
        String pool = body(json(post("/api/v1/pools"), "{\"name\":\"" + unique("files") + "\",\"type\":\"DIRECTORY\",\"directory\":\""
                + dir + "\",\"overcommitPercent\":200}").andExpect(status().isCreated()));
        int poolId = JsonPath.read(pool, "$.id");
        long capacity = ((Number) JsonPath.read(pool, "$.capacityBytes")).longValue();

        String thin = body(json(post("/api/v1/volumes"), "{\"name\":\"" + unique("thin") + "\",\"poolId\":" + poolId
                + ",\"sizeBytes\":" + 512 * MIB + "}")
                .andExpect(status().isCreated()).andExpect(jsonPath("$.provisioning").value("THIN")));
        Path thinFile = Path.of(JsonPath.<String>read(thin, "$.backingPath"));
        assertThat(thinFile).hasParent(dir);
        assertThat(Files.size(thinFile)).isEqualTo(512 * MIB);
        assertThat(((Number) JsonPath.read(thin, "$.usedBytes")).longValue()).as("sparse").isLessThan(MIB);

        String thick = body(json(post("/api/v1/volumes"), "{\"name\":\"" + unique("thick") + "\",\"poolId\":" + poolId
                + ",\"sizeBytes\":" + 8 * MIB + ",\"provisioning\":\"THICK\"}").andExpect(status().isCreated()));
        assertThat(((Number) JsonPath.read(thick, "$.usedBytes")).longValue()).isGreaterThanOrEqualTo(8 * MIB);

        long beyondLimit = (capacity * 2 / MIB + 1) * MIB;
        json(post("/api/v1/volumes"), "{\"name\":\"" + unique("huge") + "\",\"poolId\":" + poolId + ",\"sizeBytes\":" + beyondLimit + "}")
                .andExpect(status().isConflict()).andExpect(jsonPath("$.detail", containsString("left to allocate")));
        try (var files = Files.list(dir)) {
            assertThat(files.count()).as("the refused volume left no file").isEqualTo(2);
        }

        int thinId = JsonPath.read(thin, "$.id");
        jdbc.update("update volume set attached_subsystem = 'nqn.2026-01.dev.windrose:lab' where id = ?", thinId);
        as(delete("/api/v1/volumes/" + thinId)).andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(containsString("attached to subsystem nqn.2026-01.dev.windrose:lab")));
        jdbc.update("update volume set attached_subsystem = null where id = ?", thinId);
        as(delete("/api/v1/volumes/" + thinId)).andExpect(status().isNoContent());
        assertThat(thinFile).doesNotExist();
        as(delete("/api/v1/volumes/" + JsonPath.read(thick, "$.id"))).andExpect(status().isNoContent());
        as(delete("/api/v1/pools/" + poolId)).andExpect(status().isNoContent());
    }

    @Test
    void a_memory_pool_is_volatile_thick_only_and_bounded_by_half_the_hosts_ram() throws Exception {
        json(post("/api/v1/pools"), "{\"name\":\"" + unique("ram") + "\",\"type\":\"MEMORY\",\"capacityBytes\":" + 20000 * MIB + "}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("capacityBytes"))
                .andExpect(jsonPath("$.detail", containsString("50%")));
        String pool = body(json(post("/api/v1/pools"), "{\"name\":\"" + unique("ram") + "\",\"type\":\"MEMORY\",\"capacityBytes\":" + 64 * MIB + "}")
                .andExpect(status().isCreated()).andExpect(jsonPath("$.dataIsVolatile").value(true)));
        int poolId = JsonPath.read(pool, "$.id");

        json(post("/api/v1/volumes"), "{\"name\":\"" + unique("m") + "\",\"poolId\":" + poolId + ",\"sizeBytes\":" + 16 * MIB
                + ",\"provisioning\":\"THIN\"}")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("provisioning"));
        String volume = body(json(post("/api/v1/volumes"), "{\"name\":\"" + unique("m") + "\",\"poolId\":" + poolId
                + ",\"sizeBytes\":" + 48 * MIB + "}").andExpect(status().isCreated()));
        json(post("/api/v1/volumes"), "{\"name\":\"" + unique("m") + "\",\"poolId\":" + poolId + ",\"sizeBytes\":" + 32 * MIB + "}")
                .andExpect(status().isConflict());
        as(get("/api/v1/pools/" + poolId)).andExpect(jsonPath("$.allocatedBytes").value(48 * MIB))
                .andExpect(jsonPath("$.volumeCount").value(1));
        as(delete("/api/v1/volumes/" + JsonPath.read(volume, "$.id"))).andExpect(status().isNoContent());
        as(delete("/api/v1/pools/" + poolId)).andExpect(status().isNoContent());
    }

    @Test
    void invalid_requests_name_the_field_and_taken_names_are_409() throws Exception {
        String pool = body(json(post("/api/v1/pools"), "{\"name\":\"" + unique("ram") + "\",\"type\":\"MEMORY\",\"capacityBytes\":" + 32 * MIB + "}")
                .andExpect(status().isCreated()));
        int poolId = JsonPath.read(pool, "$.id");
        String name = JsonPath.read(pool, "$.name");
        json(post("/api/v1/pools"), "{\"name\":\"" + name + "\",\"type\":\"MEMORY\",\"capacityBytes\":" + 32 * MIB + "}")
                .andExpect(status().isConflict());
        json(post("/api/v1/pools"), "{\"name\":\"x\",\"type\":\"TAPE\"}")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("type"));
        json(post("/api/v1/pools"), "{\"name\":\"x\",\"type\":\"DIRECTORY\",\"directory\":\"/does/not/exist\"}")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("directory"));
        json(post("/api/v1/volumes"), "{\"name\":\"odd\",\"poolId\":" + poolId + ",\"sizeBytes\":3000000}")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("sizeBytes"))
                .andExpect(jsonPath("$.detail", containsString("the next one up is 3145728")));
        json(post("/api/v1/volumes"), "{\"name\":\"nopool\",\"poolId\":999999,\"sizeBytes\":" + MIB + "}")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("poolId"));
        json(post("/api/v1/volumes"), "{\"name\":\"bad name\",\"poolId\":" + poolId + ",\"sizeBytes\":" + MIB + "}")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("name"));
        as(delete("/api/v1/pools/" + poolId)).andExpect(status().isNoContent());
    }

    @Test
    void a_disk_pool_whose_database_was_lost_is_imported_from_its_disks_with_its_volumes() throws Exception {
        int first = labDisk(unique("imp"), 128);
        int second = labDisk(unique("imp"), 128);
        String poolName = unique("lost");
        int poolId = JsonPath.read(body(json(post("/api/v1/pools"), "{\"name\":\"" + poolName
                + "\",\"type\":\"DISK\",\"diskIds\":[" + first + "," + second + "]}").andExpect(status().isCreated())), "$.id");
        String small = unique("small");
        String spanning = unique("span");
        String smallVolume = body(json(post("/api/v1/volumes"), "{\"name\":\"" + small + "\",\"poolId\":" + poolId
                + ",\"sizeBytes\":" + 16 * MIB + "}").andExpect(status().isCreated()));
        String spanningVolume = body(json(post("/api/v1/volumes"), "{\"name\":\"" + spanning + "\",\"poolId\":" + poolId
                + ",\"sizeBytes\":" + 200 * MIB + "}").andExpect(status().isCreated())
                .andExpect(jsonPath("$.extents", hasSize(2))));
        int grown = JsonPath.read(smallVolume, "$.id");
        json(patch("/api/v1/volumes/" + grown), "{\"sizeBytes\":" + 24 * MIB + "}").andExpect(status().isOk());
        String uuid = JsonPath.read(spanningVolume, "$.uuid");
        List<Object> extents = JsonPath.read(spanningVolume, "$.extents[*].startBytes");

        forgetPool(poolId);
        as(get("/api/v1/pools/importable"))
                .andExpect(jsonPath("$[?(@.name == '" + poolName + "')].importable").value(true))
                .andExpect(jsonPath("$[?(@.name == '" + poolName + "')].memberCount").value(2))
                .andExpect(jsonPath("$[?(@.name == '" + poolName + "')].volumes[*]", hasSize(2)));
        String poolUuid = JsonPath.<List<String>>read(body(as(get("/api/v1/pools/importable"))),
                "$[?(@.name == '" + poolName + "')].poolUuid").getFirst();
        String imported = body(json(post("/api/v1/pools/import"), "{\"poolUuid\":\"" + poolUuid + "\"}")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.name").value(poolName))
                .andExpect(jsonPath("$.volumeCount").value(2))
                .andExpect(jsonPath("$.allocatedBytes").value(224 * MIB)));
        int importedId = JsonPath.read(imported, "$.id");

        String back = body(as(get("/api/v1/volumes?poolId=" + importedId)).andExpect(status().isOk()));
        assertThat(JsonPath.<List<String>>read(back, "$.items[?(@.name == '" + spanning + "')].uuid")).containsExactly(uuid);
        assertThat(JsonPath.<List<Object>>read(back, "$.items[?(@.name == '" + spanning + "')].extents[*].startBytes"))
                .isEqualTo(extents);
        assertThat(JsonPath.<List<Integer>>read(back, "$.items[?(@.name == '" + small + "')].sizeBytes"))
                .containsExactly((int) (24 * MIB));
        as(get("/api/v1/disks/" + first)).andExpect(jsonPath("$.claimedBy").value(poolName));
        as(get("/api/v1/pools/importable")).andExpect(jsonPath("$[?(@.name == '" + poolName + "')]").isEmpty());
        json(post("/api/v1/volumes"), "{\"name\":\"" + unique("after") + "\",\"poolId\":" + importedId
                + ",\"sizeBytes\":" + 16 * MIB + "}").andExpect(status().isCreated())
                // disk 1 is full (small's first 16 MiB, span's first 111 MiB); disk 2 holds span's last 89 MiB
                // and small's growth of 8 MiB: the next free byte is after those, where the map said they were
                .andExpect(jsonPath("$.extents[0].diskId").value(second))
                .andExpect(jsonPath("$.extents[0].startBytes").value(DiskPoolLabel.DATA_OFFSET + 97 * MIB));
        as(get("/api/v1/audit?size=500"))
                .andExpect(jsonPath("$.entries[?(@.action == 'POOL_CREATED' && @.target == '" + poolName
                        + "' && @.detail =~ /.*imported.*/)]").exists());
    }

    @Test
    void a_pool_with_a_member_missing_is_refused_and_says_which() throws Exception {
        int first = labDisk(unique("half"), 64);
        int second = labDisk(unique("half"), 64);
        String poolName = unique("half");
        int poolId = JsonPath.read(body(json(post("/api/v1/pools"), "{\"name\":\"" + poolName
                + "\",\"type\":\"DISK\",\"diskIds\":[" + first + "," + second + "]}").andExpect(status().isCreated())), "$.id");
        String secondDisk = body(as(get("/api/v1/disks/" + second)));
        forgetPool(poolId);
        DiskPoolLabel.wipe(Path.of(JsonPath.<String>read(secondDisk, "$.devicePath")));

        String found = body(as(get("/api/v1/pools/importable")));
        String poolUuid = JsonPath.<List<String>>read(found, "$[?(@.name == '" + poolName + "')].poolUuid").getFirst();
        as(get("/api/v1/pools/importable"))
                .andExpect(jsonPath("$[?(@.name == '" + poolName + "')].importable").value(false))
                .andExpect(jsonPath("$[?(@.name == '" + poolName + "')].missingMembers[*]").value(1));
        json(post("/api/v1/pools/import"), "{\"poolUuid\":\"" + poolUuid + "\"}")
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString("missing member 1")))
                .andExpect(jsonPath("$.detail", containsString("attach them and rescan")));
        assertThat(jdbc.queryForObject("select count(*) from storage_pool where name = ?", Integer.class, poolName)).isZero();
        as(get("/api/v1/disks/" + first)).andExpect(jsonPath("$.eligible").value(true));
    }

    /** As after a reinstall: the database no longer knows the pool, its volumes or its claim on the disks. */
    private void forgetPool(int poolId) {
        jdbc.update("update disk set claimed_by = null where id in (select disk_id from storage_pool_disk where pool_id = ?)", poolId);
        jdbc.update("delete from volume_extent where volume_id in (select id from volume where pool_id = ?)", poolId);
        jdbc.update("delete from volume where pool_id = ?", poolId);
        jdbc.update("delete from storage_pool_disk where pool_id = ?", poolId);
        jdbc.update("delete from storage_pool where id = ?", poolId);
    }

    private int labDisk(String name, long mib) throws Exception {
        return JsonPath.read(body(json(post("/api/v1/disks"), "{\"name\":\"" + name + "\",\"sizeBytes\":" + mib * MIB + "}")
                .andExpect(status().isCreated())), "$.id");
    }

    @Test
    void viewer_tokens_are_read_only() throws Exception {
        String viewer = new ApiTokens(mvc, users).userWithRole(Role.VIEWER);
        mvc.perform(get("/api/v1/pools").header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer)).andExpect(status().isOk());
        mvc.perform(get("/api/v1/volumes").header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer)).andExpect(status().isOk());
        mvc.perform(post("/api/v1/pools").header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"nope\",\"type\":\"MEMORY\",\"capacityBytes\":" + 32 * MIB + "}"))
                .andExpect(status().isForbidden())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        assertThat(jdbc.queryForObject("select count(*) from storage_pool where name = 'nope'", Integer.class)).isZero();
        mvc.perform(get("/api/v1/pools/importable").header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer))
                .andExpect(status().isOk());
        mvc.perform(post("/api/v1/pools/import").header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"poolUuid\":\"" + UUID.randomUUID() + "\"}"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/api/v1/volumes").header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"nope\",\"poolId\":1,\"sizeBytes\":" + MIB + "}"))
                .andExpect(status().isForbidden());
    }

    private ResultActions as(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.header(HttpHeaders.AUTHORIZATION, "Bearer " + admin));
    }

    private ResultActions json(MockHttpServletRequestBuilder request, String body) throws Exception {
        return as(request.contentType(MediaType.APPLICATION_JSON).content(body));
    }
}
