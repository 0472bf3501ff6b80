package dev.windrose.dataplane;

/**
 * What the target's admission did since it started (wr_target_net_counters), and the connection cap in
 * force. The log counters are the library's, process-wide.
 *
 * @param connectionCap the target's total connection cap after the open-files budget
 * @param accepted connections admitted
 * @param refusedTotal closed at once: the target's total cap was reached
 * @param refusedListener closed at once: the listener's cap was reached
 * @param refusedSource closed at once: the source address's cap was reached
 * @param handshakeTimeouts closed because ICReq or Connect did not come in time
 * @param acceptBackoffs times accept() failed for want of descriptors or memory and the port paused
 * @param logLines log lines the library wrote
 * @param logSuppressed log lines its rate limit dropped
 */
public record NetworkCounters(long connectionCap, long accepted, long refusedTotal, long refusedListener,
        long refusedSource, long handshakeTimeouts, long acceptBackoffs, long logLines, long logSuppressed) {
}
