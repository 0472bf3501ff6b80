import dev.windrose.storage.internal.DiskPoolLabel;
import dev.windrose.storage.internal.PoolVolumeMap;
import java.nio.file.Path;

/**
 * Prints the UUIDs of the volumes in the newest volume map of a disk pool's member disk, one a line, for
 * the crash loop to compare with what the API says, independently of the console's own start-up check.
 * Runs with the jar's storage classes on the class path: java -cp <classes> ReadPoolMap.java <disk file>.
 */
public class ReadPoolMap {
    public static void main(String[] args) throws Exception {
        Path device = Path.of(args[0]);
        DiskPoolLabel label = DiskPoolLabel.readFrom(device)
                .orElseThrow(() -> new IllegalStateException(device + " carries no pool label"));
        PoolVolumeMap map = PoolVolumeMap.readFrom(device, label.poolUuid())
                .orElseThrow(() -> new IllegalStateException(device + " carries no volume map"));
        map.volumes().forEach(volume -> System.out.println(volume.uuid()));
    }
}
