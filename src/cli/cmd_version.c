/*
 * cmd_version.c — `ruhu version`.
 */
#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include "base/version.h"
#include "cli/cli.h"

int cmd_version(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		puts("usage: ruhu version\n\nPrints ruhu's version and those of the libraries it runs on.");
		return 0;
	}
	if (argc > 1) return cli_usage("version", "usage: ruhu version\n", "unexpected argument %s", argv[1]);
	printf("ruhu %s\n", ruhu_version);
	printf("libmicrohttpd %s, jansson %s, %s, libsodium %s\n", MHD_get_version(), JANSSON_VERSION,
	       store_engines(), sodium_version_string());
	return 0;
}
