package dev.windrose.support;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A small blocking NVMe/TCP host for tests (the Java twin of dataplane-native/tests/host.c). It does
 * real I/O over loopback, so the target's counters move exactly as under an initiator, and what a
 * host needs to notice that a namespace changed under it: the admin queue does Identify Namespace,
 * Set Features (async event configuration), Get Log Page and holds an Asynchronous Event Request
 * while other commands run (its completion may arrive between theirs); an I/O queue reads and writes
 * 512-byte blocks. One command at a time per queue, no digests, in-capsule writes (the target takes
 * 8 KiB), reads in C2HData.
 */
public final class NvmeTcpHost implements AutoCloseable {

    public static final String HOST_NQN = "nqn.2014-08.org.nvmexpress:uuid:7e1e7e1e-0000-4000-8000-00000000fab1";
    public static final int AEN_NS_ATTRIBUTE = 1 << 8;
    private static final int CAPSULE_CMD = 0x04;
    private static final int CAPSULE_RESP = 0x05;
    private static final int C2H_DATA = 0x07;
    private static final int C2H_SUCCESS = 0x08;
    private static final int FABRICS = 0x7f;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private short commandId;
    /** Completions (CQE dword 0 and status) of commands nobody is waiting for right now: held AERs. */
    private final Map<Short, long[]> early = new HashMap<>();

    private NvmeTcpHost(String address, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(address, port), 5000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        ByteBuffer icreq = pdu(0x00, 128, 0, 128);
        out.write(icreq.array());
        if (receive().get(0) != 0x01) {
            throw new IOException("expected ICResp");
        }
    }

    /** A controller: admin queue connected and enabled. */
    public static NvmeTcpHost admin(String address, int port, String subsystemNqn) throws IOException {
        return admin(address, port, subsystemNqn, HOST_NQN);
    }

    /**
     * A controller of the host {@code hostNqn}. Both names go into Connect's 256-byte fields as UTF-8 bytes as
     * they are, a NUL included: what a hostile host could send. A refused Connect throws with its status.
     */
    public static NvmeTcpHost admin(String address, int port, String subsystemNqn, String hostNqn) throws IOException {
        NvmeTcpHost admin = new NvmeTcpHost(address, port);
        admin.hostNqn = hostNqn;
        try {
            admin.controllerId = admin.fabricsConnect(subsystemNqn, 0, 0xffff);
            admin.propertySet(0x14, 1 | 6 << 16 | 4 << 20);   // CC.EN, IOSQES, IOCQES
            if ((admin.propertyGet(0x1c) & 1) == 0) {
                throw new IOException("the controller did not become ready");
            }
            admin.subsystemNqn = subsystemNqn;
            admin.address = address;
            admin.port = port;
            return admin;
        } catch (IOException | RuntimeException e) {
            admin.close();
            throw e;
        }
    }

    /** A controller with its I/O queue 1, for tests that only read and write. */
    public static Connection connect(String address, int port, String subsystemNqn) throws IOException {
        NvmeTcpHost admin = admin(address, port, subsystemNqn);
        try {
            return new Connection(admin, admin.ioQueue());
        } catch (IOException | RuntimeException e) {
            admin.close();
            throw e;
        }
    }

    /** The admin and one I/O queue of a controller. */
    public record Connection(NvmeTcpHost admin, NvmeTcpHost io) implements AutoCloseable {
        public void write(int nsid, long lba, byte[] data) throws IOException {
            io.write(nsid, lba, data);
        }

        public byte[] read(int nsid, long lba, int length) throws IOException {
            return io.read(nsid, lba, length);
        }

        @Override
        public void close() {
            io.close();
            admin.close();
        }
    }

    private int controllerId;
    private String subsystemNqn = "";
    private String hostNqn = HOST_NQN;
    private String address = "";
    private int port;

    /** I/O queue 1 of this controller. */
    public NvmeTcpHost ioQueue() throws IOException {
        NvmeTcpHost io = new NvmeTcpHost(address, port);
        try {
            io.hostNqn = hostNqn;
            io.fabricsConnect(subsystemNqn, 1, controllerId);
            return io;
        } catch (IOException | RuntimeException e) {
            io.close();
            throw e;
        }
    }

    /** NSZE of Identify Namespace (CNS 00h), in blocks. */
    public long namespaceSize(int nsid) throws IOException {
        ByteBuffer sqe = sqe(0x06);
        sqe.putInt(4, nsid);
        sqe.putInt(40, 0x00);
        byte[] page = new byte[4096];
        command(sqe, null, page);
        return ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    public void enableAsyncEvents(int mask) throws IOException {
        ByteBuffer sqe = sqe(0x09);
        sqe.putInt(40, 0x0b);
        sqe.putInt(44, mask);
        command(sqe, null, null);
    }

    /** Sends an Asynchronous Event Request without waiting; returns its command ID for {@link #awaitAsyncEvent}. */
    public short requestAsyncEvent() throws IOException {
        ByteBuffer sqe = sqe(0x0c);
        send(sqe, null, 0);
        return sqe.getShort(2);
    }

    /** Dword 0 of the AER's completion (type, info, log page), waiting up to the socket timeout. */
    public int awaitAsyncEvent(short aer) throws IOException {
        while (!early.containsKey(aer)) {
            collect(aer, null);
        }
        long[] done = early.remove(aer);
        if (done[1] != 0) {
            throw new IOException("the AER failed with status 0x" + Long.toHexString(done[1]));
        }
        return (int) done[0];
    }

    /** The Changed Namespace List (log 04h): the NSIDs it holds, up to the first zero. */
    public int[] changedNamespaces() throws IOException {
        ByteBuffer sqe = sqe(0x02);
        sqe.putInt(4, 0xffffffff);
        sqe.putInt(40, 0x04 | (1024 - 1) << 16);   // log 04h, NUMDL: 4 KiB
        byte[] page = new byte[4096];
        command(sqe, null, page);
        ByteBuffer list = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
        int n = 0;
        while (n < 1024 && list.getInt(n * 4) != 0) {
            n++;
        }
        int[] nsids = new int[n];
        for (int i = 0; i < n; i++) {
            nsids[i] = list.getInt(i * 4);
        }
        return nsids;
    }

    public void write(int nsid, long lba, byte[] data) throws IOException {
        command(readWrite(0x01, nsid, lba, data.length), data, null);
    }

    public byte[] read(int nsid, long lba, int length) throws IOException {
        byte[] data = new byte[length];
        command(readWrite(0x02, nsid, lba, length), null, data);
        return data;
    }

    private ByteBuffer readWrite(int opcode, int nsid, long lba, int length) {
        ByteBuffer sqe = sqe(opcode);
        sqe.putInt(4, nsid);
        sqe.putLong(40, lba);
        sqe.putShort(48, (short) (length / 512 - 1));
        return sqe;
    }

    private int fabricsConnect(String nqn, int queueId, int cntlid) throws IOException {
        ByteBuffer sqe = sqe(FABRICS);
        sqe.put(4, (byte) 0x01);
        sqe.putShort(42, (short) queueId);
        sqe.putShort(44, (short) (queueId == 0 ? 31 : 127));
        ByteBuffer data = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 16; i++) {
            data.put(i, (byte) 0x6b);
        }
        data.putShort(16, (short) cntlid);
        data.put(256, nqn.getBytes(StandardCharsets.UTF_8));
        data.put(512, hostNqn.getBytes(StandardCharsets.UTF_8));
        return (int) (command(sqe, data.array(), null) & 0xffff);
    }

    private void propertySet(int offset, long value) throws IOException {
        ByteBuffer sqe = sqe(FABRICS);
        sqe.put(4, (byte) 0x00);
        sqe.putInt(44, offset);
        sqe.putLong(48, value);
        command(sqe, null, null);
    }

    private long propertyGet(int offset) throws IOException {
        ByteBuffer sqe = sqe(FABRICS);
        sqe.put(4, (byte) 0x04);
        sqe.putInt(44, offset);
        return command(sqe, null, null);
    }

    private ByteBuffer sqe(int opcode) {
        ByteBuffer sqe = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        sqe.put(0, (byte) opcode);
        sqe.put(1, (byte) 0x40); // PSDT: SGL
        sqe.putShort(2, ++commandId);
        return sqe;
    }

    private void send(ByteBuffer sqe, byte[] toController, int fromLength) throws IOException {
        boolean inCapsule = toController != null;
        sqe.putInt(32, inCapsule ? toController.length : fromLength);
        sqe.put(39, (byte) (inCapsule ? 0x01 : 0x5a));
        ByteBuffer pdu = pdu(CAPSULE_CMD, 72, inCapsule ? 72 : 0, 72 + (inCapsule ? toController.length : 0));
        pdu.put(8, sqe, 0, 64);
        out.write(pdu.array(), 0, 72);
        if (inCapsule) {
            out.write(toController);
        }
        out.flush();
    }

    /** Sends a command and returns its CQE's first 8 bytes (dword 0 and 1); a failed status throws. */
    private long command(ByteBuffer sqe, byte[] toController, byte[] fromController) throws IOException {
        send(sqe, toController, fromController == null ? 0 : fromController.length);
        short id = sqe.getShort(2);
        while (!early.containsKey(id)) {
            collect(id, fromController);
        }
        long[] done = early.remove(id);
        if (done[1] != 0) {
            throw new IOException("command 0x" + Integer.toHexString(sqe.get(0) & 0xff) + " failed with status 0x"
                    + Long.toHexString(done[1]));
        }
        return done[0];
    }

    /** Receives one PDU: data for the command waited for, or a completion of any command (kept by ID). */
    private void collect(short waitingFor, byte[] fromController) throws IOException {
        ByteBuffer received = receive();
        int type = received.get(0);
        if (type == C2H_DATA) {
            short id = received.getShort(8);
            if (id != waitingFor || fromController == null) {
                throw new IOException("C2HData for command " + id + " while waiting for " + waitingFor);
            }
            received.get(received.get(3) & 0xff, fromController, received.getInt(12), received.getInt(16));
            if ((received.get(1) & C2H_SUCCESS) != 0) {
                early.put(id, new long[] {0, 0});
            }
        } else if (type == CAPSULE_RESP) {
            short id = received.getShort(8 + 12);
            int status = (received.getShort(8 + 14) & 0xffff) >> 1 & 0x7ff;
            early.put(id, new long[] {received.getLong(8), status});
        } else {
            throw new IOException("unexpected PDU type " + type);
        }
    }

    private static ByteBuffer pdu(int type, int hlen, int pdo, int plen) {
        ByteBuffer pdu = ByteBuffer.allocate(plen).order(ByteOrder.LITTLE_ENDIAN);
        pdu.put(0, (byte) type);
        pdu.put(2, (byte) hlen);
        pdu.put(3, (byte) pdo);
        pdu.putInt(4, plen);
        return pdu;
    }

    private ByteBuffer receive() throws IOException {
        byte[] header = new byte[8];
        in.readFully(header);
        int plen = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(4);
        if (plen < 8 || plen > 1 << 20) {
            throw new IOException("bad PDU length " + plen);
        }
        byte[] whole = new byte[plen];
        System.arraycopy(header, 0, whole, 0, 8);
        in.readFully(whole, 8, plen - 8);
        return ByteBuffer.wrap(whole).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // a loopback socket in a test: nothing to do about a failure
        }
    }
}
