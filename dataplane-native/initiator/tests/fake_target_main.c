/* wr-fake-target: the unit tests' fake target as a program, so wr-bench can be tested end to end
 * without the real target. Test double only. Prints "port N", serves until killed or
 * the time limit (argv[1] seconds, default 60) passes. argv[2] = "digest-corrupt" to misbehave
 * (anything else: behave), argv[3] = TCP port (default: any free one). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake_target.h"

int main(int argc, char **argv)
{
	int limit_s = argc > 1 ? atoi(argv[1]) : 60;
	struct fake_target_cfg cfg = {.ns_blocks = 65536, .maxh2cdata = 32768, .ioccsz_bytes = 8192,
				      .c2h_chunk = 65536, .c2h_success = true, .max_io_queues = 4};
	if (argc > 2 && strcmp(argv[2], "digest-corrupt") == 0)
		cfg.corrupt_ddgst = true;
	struct fake_target *t;
	uint16_t port;
	if (argc > 3)
		cfg.port = (uint16_t)atoi(argv[3]);
	if (fake_target_start(&cfg, &t, &port))
		return 1;
	printf("port %u\n", port);
	fflush(stdout);
	sleep((unsigned)limit_s); /* the caller kills us sooner; the limit bounds a forgotten one */
	fake_target_stop(t);
	return 0;
}
