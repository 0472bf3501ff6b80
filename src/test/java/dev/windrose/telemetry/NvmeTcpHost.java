package dev.windrose.telemetry;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A small blocking NVMe/TCP host for tests (the Java twin of dataplane-native/tests/host.c): ICReq,
 * Fabrics Connect, Property Get/Set, and Read/Write, one command at a time, no digests. Writes send
 * their data in the capsule (the target takes 8 KiB in-capsule), reads get it in C2HData PDUs. It
 * does real I/O over loopback so the target's counters move exactly as under an initiator.
 */
final class NvmeTcpHost implements AutoCloseable {

    static final String HOST_NQN = "nqn.2014-08.org.nvmexpress:uuid:7e1e7e1e-0000-4000-8000-00000000c0de";
    private static final int ICREQ = 0x00;
    private static final int ICRESP = 0x01;
    private static final int CAPSULE_CMD = 0x04;
    private static final int CAPSULE_RESP = 0x05;
    private static final int C2H_DATA = 0x07;
    private static final int C2H_SUCCESS = 0x08;
    private static final int FABRICS = 0x7f;
    private static final int SGL_IN_CAPSULE = 0x01;
    private static final int SGL_TRANSPORT = 0x5a;
    private static final int REG_CC = 0x14;
    private static final int REG_CSTS = 0x1c;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private short commandId;

    private NvmeTcpHost(String address, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(address, port), 5000);
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        initialize();
    }

    /** Admin queue up and the controller enabled, plus a connected I/O queue 1; returns the I/O queue's host. */
    static Connection connect(String address, int port, String subsystemNqn) throws IOException {
        NvmeTcpHost admin = new NvmeTcpHost(address, port);
        try {
            int controllerId = admin.fabricsConnect(subsystemNqn, 0, 0xffff);
            admin.propertySet(REG_CC, 1 | 6 << 16 | 4 << 20);
            if ((admin.propertyGet(REG_CSTS) & 1) == 0) {
                throw new IOException("the controller did not become ready");
            }
            NvmeTcpHost io = new NvmeTcpHost(address, port);
            io.fabricsConnect(subsystemNqn, 1, controllerId);
            return new Connection(admin, io);
        } catch (IOException | RuntimeException e) {
            admin.close();
            throw e;
        }
    }

    /** The admin and one I/O queue of a controller. */
    record Connection(NvmeTcpHost admin, NvmeTcpHost io) implements AutoCloseable {
        void write(int nsid, long lba, byte[] block) throws IOException {
            io.readWrite(0x01, nsid, lba, block);
        }

        byte[] read(int nsid, long lba, int length) throws IOException {
            byte[] data = new byte[length];
            io.readWrite(0x02, nsid, lba, data);
            return data;
        }

        @Override
        public void close() {
            io.close();
            admin.close();
        }
    }

    private void initialize() throws IOException {
        ByteBuffer icreq = pdu(ICREQ, 128, 0, 128);
        icreq.putShort(8, (short) 0); // PFV 0
        icreq.putInt(12, 0);          // MAXR2T: one outstanding R2T
        out.write(icreq.array());
        ByteBuffer response = receive();
        if (response.get(0) != ICRESP) {
            throw new IOException("expected ICResp, got PDU type " + response.get(0));
        }
    }

    private int fabricsConnect(String subsystemNqn, int queueId, int controllerId) throws IOException {
        ByteBuffer sqe = sqe(FABRICS);
        sqe.put(4, (byte) 0x01);                                 // FCTYPE Connect
        sqe.putShort(42, (short) queueId);
        sqe.putShort(44, (short) (queueId == 0 ? 31 : 127));     // SQSIZE, 0's based
        ByteBuffer data = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 16; i++) {
            data.put(i, (byte) 0x5a);                            // HOSTID
        }
        data.putShort(16, (short) controllerId);
        data.put(256, subsystemNqn.getBytes(StandardCharsets.US_ASCII));
        data.put(512, HOST_NQN.getBytes(StandardCharsets.US_ASCII));
        ByteBuffer cqe = command(sqe, data.array(), null);
        return cqe.getShort(8) & 0xffff;
    }

    private void propertySet(int offset, long value) throws IOException {
        ByteBuffer sqe = sqe(FABRICS);
        sqe.put(4, (byte) 0x00);      // Property Set
        sqe.put(40, (byte) 0);        // 4 bytes
        sqe.putInt(44, offset);
        sqe.putLong(48, value);
        command(sqe, null, null);
    }

    private long propertyGet(int offset) throws IOException {
        ByteBuffer sqe = sqe(FABRICS);
        sqe.put(4, (byte) 0x04);      // Property Get
        sqe.putInt(44, offset);
        return command(sqe, null, null).getLong(8);
    }

    private void readWrite(int opcode, int nsid, long lba, byte[] data) throws IOException {
        ByteBuffer sqe = sqe(opcode);
        sqe.putInt(4, nsid);
        sqe.putLong(40, lba);
        sqe.putShort(48, (short) (data.length / 512 - 1)); // NLB, 0's based, 512-byte blocks
        command(sqe, opcode == 0x01 ? data : null, opcode == 0x02 ? data : null);
    }

    private ByteBuffer sqe(int opcode) {
        ByteBuffer sqe = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        sqe.put(0, (byte) opcode);
        sqe.put(1, (byte) 0x40); // PSDT: SGL
        sqe.putShort(2, ++commandId);
        return sqe;
    }

    /** Sends a capsule (with in-capsule data when toController is given) and returns the CQE's PDU. */
    private ByteBuffer command(ByteBuffer sqe, byte[] toController, byte[] fromController) throws IOException {
        boolean inCapsule = toController != null;
        int dataLength = inCapsule ? toController.length : fromController == null ? 0 : fromController.length;
        sqe.putInt(32, dataLength);
        sqe.put(39, (byte) (inCapsule ? SGL_IN_CAPSULE : SGL_TRANSPORT));
        int plen = 72 + (inCapsule ? toController.length : 0);
        ByteBuffer pdu = pdu(CAPSULE_CMD, 72, inCapsule ? 72 : 0, plen);
        pdu.put(8, sqe, 0, 64);
        out.write(pdu.array(), 0, 72);
        if (inCapsule) {
            out.write(toController);
        }
        out.flush();
        for (;;) {
            ByteBuffer received = receive();
            int type = received.get(0);
            if (type == C2H_DATA) {
                int offset = received.getInt(12);
                int length = received.getInt(16);
                int pdo = received.get(3) & 0xff;
                received.get(pdo, fromController, offset, length);
                if ((received.get(1) & C2H_SUCCESS) != 0) {
                    return ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
                }
            } else if (type == CAPSULE_RESP) {
                int status = (received.getShort(22) & 0xffff) >> 1 & 0x7ff;
                if (status != 0) {
                    throw new IOException("command " + sqe.get(0) + " failed with status 0x" + Integer.toHexString(status));
                }
                return received;
            } else {
                throw new IOException("unexpected PDU type " + type);
            }
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
            // Closing a loopback socket in a test: nothing to do about a failure.
        }
    }
}
