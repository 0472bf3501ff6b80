package dev.windrose.dataplane;

import static java.lang.foreign.ValueLayout.ADDRESS;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The FFM binding of libwindrose: every downcall handle, resolved once when the library is loaded.
 * The only class that touches {@code java.lang.foreign} with native code, hence the one
 * {@code @SuppressWarnings("restricted")}. Closing it unloads the library (its arena owns the lookup).
 */
@SuppressWarnings("restricted")
final class NativeDataplane implements Dataplane, AutoCloseable {

    /** wr_version returns a pointer to a static NUL-terminated string; no version is this long. */
    private static final long MAX_VERSION_LENGTH = 256;

    private final Arena libraryArena;
    private final MethodHandle wrVersion;
    private final MethodHandle wrAbiVersion;
    private final MethodHandle wrStructSize;
    private final MethodHandle wrStructOffset;

    private NativeDataplane(Arena libraryArena, SymbolLookup library) {
        this.libraryArena = libraryArena;
        Linker linker = Linker.nativeLinker();
        wrVersion = downcall(linker, library, "wr_version", FunctionDescriptor.of(ADDRESS));
        wrAbiVersion = downcall(linker, library, "wr_abi_version", FunctionDescriptor.of(JAVA_INT));
        wrStructSize = downcall(linker, library, "wr_struct_size", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
        wrStructOffset = downcall(linker, library, "wr_struct_offset",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS));
    }

    /** Loads the library file, resolves its functions and checks ABI version and layouts. */
    static NativeDataplane load(Path libraryFile) {
        Arena arena = Arena.ofShared();
        try {
            NativeDataplane dataplane = new NativeDataplane(arena, SymbolLookup.libraryLookup(libraryFile, arena));
            dataplane.checkCompatibility();
            return dataplane;
        } catch (RuntimeException e) {
            arena.close();
            if (e instanceof DataplaneException) {
                throw e;
            }
            throw new DataplaneException("Cannot load the dataplane library " + libraryFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String version() {
        try {
            MemorySegment text = (MemorySegment) wrVersion.invokeExact();
            return text.reinterpret(MAX_VERSION_LENGTH).getString(0);
        } catch (Throwable t) {
            throw rethrow("wr_version", t);
        }
    }

    @Override
    public int abiVersion() {
        try {
            return (int) wrAbiVersion.invokeExact();
        } catch (Throwable t) {
            throw rethrow("wr_abi_version", t);
        }
    }

    /** sizeof the structure, as the library was compiled. */
    long structSize(StatsLayouts.StructId id) {
        long size;
        try {
            size = (long) wrStructSize.invokeExact(id.id);
        } catch (Throwable t) {
            throw rethrow("wr_struct_size", t);
        }
        return checked(size, "wr_struct_size(" + id + ")");
    }

    /** offsetof a top-level field, as the library was compiled. */
    long structOffset(StatsLayouts.StructId id, String field) {
        long offset;
        try (Arena call = Arena.ofConfined()) {
            offset = (long) wrStructOffset.invokeExact(id.id, call.allocateFrom(field));
        } catch (Throwable t) {
            throw rethrow("wr_struct_offset", t);
        }
        return checked(offset, "wr_struct_offset(" + id + ", " + field + ")");
    }

    /**
     * Compares the Java layouts with the library's sizeof/offsetof values. Every difference is
     * listed, so one failed start shows the whole drift.
     */
    void checkCompatibility() {
        int abi = abiVersion();
        if (abi != StatsLayouts.ABI_VERSION) {
            throw new DataplaneException("The dataplane library has ABI version " + abi + " but this Windrose build "
                    + "expects " + StatsLayouts.ABI_VERSION + ": rebuild both from the same sources.");
        }
        List<String> mismatches = new ArrayList<>();
        for (StatsLayouts.Checked checked : StatsLayouts.ALL) {
            mismatches.addAll(layoutMismatches(checked.id(), checked.layout()));
        }
        if (!mismatches.isEmpty()) {
            throw new DataplaneException("The Java struct layouts do not match libwindrose " + version() + ": "
                    + String.join("; ", mismatches));
        }
    }

    List<String> layoutMismatches(StatsLayouts.StructId id, StructLayout layout) {
        List<String> mismatches = new ArrayList<>();
        long nativeSize = structSize(id);
        if (nativeSize != layout.byteSize()) {
            mismatches.add(layout.name().orElse(id.name()) + " is " + nativeSize + " bytes in C but "
                    + layout.byteSize() + " in Java");
        }
        for (MemoryLayout member : layout.memberLayouts()) {
            String field = member.name().orElse(StatsLayouts.RESERVED);
            if (field.equals(StatsLayouts.RESERVED)) {
                continue;
            }
            long javaOffset = layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
            try {
                long nativeOffset = structOffset(id, field);
                if (nativeOffset != javaOffset) {
                    mismatches.add(id + "." + field + " is at offset " + nativeOffset + " in C but " + javaOffset
                            + " in Java");
                }
            } catch (DataplaneException unknown) {
                mismatches.add(id + "." + field + " is unknown to the library (" + unknown.getMessage() + ")");
            }
        }
        return mismatches;
    }

    @Override
    public void close() {
        if (libraryArena.scope().isAlive()) {
            libraryArena.close();
        }
    }

    private static MethodHandle downcall(Linker linker, SymbolLookup library, String name, FunctionDescriptor signature) {
        MemorySegment address = library.find(name).orElseThrow(
                () -> new DataplaneException("The dataplane library does not export " + name
                        + ": it is older than this Windrose build."));
        return linker.downcallHandle(address, signature);
    }

    /** Results below zero are negated errno values (windrose.h convention). */
    private static long checked(long result, String context) {
        if (result < 0) {
            throw new DataplaneException(context, (int) -result);
        }
        return result;
    }

    private static RuntimeException rethrow(String function, Throwable t) {
        if (t instanceof RuntimeException runtime) {
            return runtime;
        }
        if (t instanceof Error error) {
            throw error;
        }
        return new DataplaneException("Calling " + function + " failed", t);
    }
}
