package dev.windrose.inventory.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * Reads an NVMe log page through the kernel's admin passthrough: {@code ioctl(fd, NVME_IOCTL_ADMIN_CMD,
 * struct nvme_admin_cmd *)} on the controller's character device ({@code /dev/nvme0}), bound with FFM to
 * libc's {@code open}, {@code ioctl} and {@code close}. This is how {@code nvme smart-log} reads it, minus the
 * process and its version-dependent JSON. The kernel lets only privileged users send admin commands, so
 * without root this fails with EACCES or EPERM, and the caller says so.
 */
@SuppressWarnings("restricted")
final class NvmeAdminPassthrough {

    /** {@code _IOWR('N', 0x41, struct nvme_admin_cmd)} from {@code <linux/nvme_ioctl.h>}: 72-byte argument. */
    static final long NVME_IOCTL_ADMIN_CMD = (3L << 30) | (72L << 16) | ('N' << 8) | 0x41;
    static final byte GET_LOG_PAGE = 0x02;
    /** All namespaces: the controller-wide health log. */
    static final int NSID_ALL = 0xFFFFFFFF;
    private static final int O_RDONLY = 0;
    private static final int TIMEOUT_MS = 5_000;

    /** {@code struct nvme_passthru_cmd} (alias nvme_admin_cmd), 72 bytes. */
    static final StructLayout ADMIN_CMD = MemoryLayout.structLayout(
            JAVA_BYTE.withName("opcode"), JAVA_BYTE.withName("flags"), MemoryLayout.paddingLayout(2),
            JAVA_INT.withName("nsid"), JAVA_INT.withName("cdw2"), JAVA_INT.withName("cdw3"),
            JAVA_LONG.withName("metadata"), JAVA_LONG.withName("addr"),
            JAVA_INT.withName("metadata_len"), JAVA_INT.withName("data_len"),
            JAVA_INT.withName("cdw10"), JAVA_INT.withName("cdw11"), JAVA_INT.withName("cdw12"),
            JAVA_INT.withName("cdw13"), JAVA_INT.withName("cdw14"), JAVA_INT.withName("cdw15"),
            JAVA_INT.withName("timeout_ms"), JAVA_INT.withName("result"));

    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN;
    private static final MethodHandle IOCTL;
    private static final MethodHandle CLOSE;

    static {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        Linker.Option errno = Linker.Option.captureCallState("errno");
        OPEN = linker.downcallHandle(libc.find("open").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), errno, Linker.Option.firstVariadicArg(2));
        IOCTL = linker.downcallHandle(libc.find("ioctl").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), errno, Linker.Option.firstVariadicArg(2));
        CLOSE = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    /** The ioctl or open failed; {@link #errno()} says why. */
    static final class PassthroughException extends Exception {

        private final int errno;

        PassthroughException(String context, int errno) {
            super(context + ": " + describe(errno));
            this.errno = errno;
        }

        int errno() {
            return errno;
        }

        boolean needsPrivilege() {
            return errno == 1 || errno == 13;
        }
    }

    private NvmeAdminPassthrough() {
    }

    /** Get Log Page (opcode 02h) of {@code length} bytes for all namespaces. */
    static byte[] getLogPage(Path controller, int logId, int length) throws PassthroughException {
        if (length <= 0 || length % 4 != 0) {
            throw new IllegalArgumentException("log page length " + length);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(controller.toString()), O_RDONLY, 0);
            if (fd < 0) {
                throw new PassthroughException("open " + controller, errno(state));
            }
            try {
                MemorySegment data = arena.allocate(length, 4096);
                MemorySegment cmd = arena.allocate(ADMIN_CMD);
                cmd.set(JAVA_BYTE, ADMIN_CMD.byteOffset(MemoryLayout.PathElement.groupElement("opcode")), GET_LOG_PAGE);
                setInt(cmd, "nsid", NSID_ALL);
                cmd.set(JAVA_LONG, ADMIN_CMD.byteOffset(MemoryLayout.PathElement.groupElement("addr")), data.address());
                setInt(cmd, "data_len", length);
                // CDW10: number of dwords minus one (lower 16 bits) in bits 31:16, log page identifier in 7:0.
                setInt(cmd, "cdw10", (((length / 4) - 1) & 0xFFFF) << 16 | (logId & 0xFF));
                setInt(cmd, "timeout_ms", TIMEOUT_MS);
                int rc = (int) IOCTL.invokeExact(state, fd, NVME_IOCTL_ADMIN_CMD, cmd);
                if (rc < 0) {
                    throw new PassthroughException("NVME_IOCTL_ADMIN_CMD on " + controller, errno(state));
                }
                if (rc > 0) {
                    // A positive result is the NVMe status field: the controller refused the command.
                    throw new PassthroughException("Get Log Page " + logId + " on " + controller + " returned NVMe status 0x"
                            + Integer.toHexString(rc), 0);
                }
                return data.toArray(JAVA_BYTE);
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (PassthroughException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("NVMe passthrough call failed", t);
        }
    }

    private static void setInt(MemorySegment cmd, String field, int value) {
        cmd.set(JAVA_INT, ADMIN_CMD.byteOffset(MemoryLayout.PathElement.groupElement(field)), value);
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    static String describe(int errno) {
        return switch (errno) {
            case 0 -> "refused by the controller";
            case 1 -> "operation not permitted (admin commands need root or CAP_SYS_ADMIN)";
            case 2 -> "no such device";
            case 13 -> "permission denied (admin commands need root or CAP_SYS_ADMIN)";
            case 19 -> "no such device";
            case 25 -> "not an NVMe controller (inappropriate ioctl)";
            default -> "errno " + errno;
        };
    }
}
