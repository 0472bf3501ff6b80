package dev.windrose.dataplane;

/** How reactor threads wait for work (enum wr_poll_mode). */
public enum PollMode {
    /** Poll while there is work, sleep in epoll_wait after an idle spell: the default. */
    ADAPTIVE(0),
    /** Poll 100 %: lowest latency, one core per reactor. */
    BUSY(1);

    final int code;

    PollMode(int code) {
        this.code = code;
    }
}
