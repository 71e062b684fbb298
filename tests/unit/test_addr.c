/*
 * test_addr.c — the addresses ruhu serve is given (http/addr.c): the
 * trusted proxies, compared as numbers and by range, and the public URL
 * badges print.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include "harness.h"
#include "http/addr.h"

/* Whether the peer text (an IPv4 or IPv6 address) is trusted by list. */
static int peer_trusted(const char *list, const char *peer)
{
	struct trusted t;
	char err[160];
	if (trusted_parse(list, &t, err, sizeof err) != 0) return -1;
	struct sockaddr_in v4 = { .sin_family = AF_INET };
	struct sockaddr_in6 v6 = { .sin6_family = AF_INET6 };
	if (inet_pton(AF_INET, peer, &v4.sin_addr) == 1) return trusted_has(&t, (struct sockaddr *)&v4);
	if (inet_pton(AF_INET6, peer, &v6.sin6_addr) == 1) return trusted_has(&t, (struct sockaddr *)&v6);
	return -2;
}

static void test_trusted(void)
{
	static const struct { const char *list, *peer; int want; } rows[] = {
		{ "127.0.0.1", "127.0.0.1", 1 },
		{ "127.0.0.1", "127.0.0.2", 0 },
		{ "::1", "0:0:0:0:0:0:0:1", 1 },		/* one address, two spellings */
		{ "0:0:0:0:0:0:0:1", "::1", 1 },
		{ "127.0.0.1, ::1", "::1", 1 },
		{ "10.0.0.0/8", "10.200.3.4", 1 },
		{ "10.0.0.0/8", "11.0.0.1", 0 },
		{ "10.1.2.3/8", "10.9.9.9", 1 },		/* host bits dropped */
		{ "192.168.1.0/25", "192.168.1.127", 1 },
		{ "192.168.1.0/25", "192.168.1.128", 0 },
		{ "fd00::/8", "fd12:3456::1", 1 },
		{ "fd00::/8", "fe80::1", 0 },
		{ "10.0.0.0/8", "::ffff:10.1.1.1", 1 },	/* IPv4 through an IPv6 socket */
		{ "0.0.0.0/0", "8.8.8.8", 1 },
		{ "0.0.0.0/0", "::1", 0 },			/* families never mix */
		{ "", "127.0.0.1", 0 },
		{ "garbage", "127.0.0.1", -1 },
		{ "10.0.0.0/33", "10.0.0.1", -1 },
		{ "10.0.0.0/", "10.0.0.1", -1 },
		{ "10.0.0.0/-1", "10.0.0.1", -1 },
		{ "10.0.0.0/8x", "10.0.0.1", -1 },
		{ "::1/129", "::1", -1 },
		{ "127.0.0.1,localhost", "127.0.0.1", -1 },
		{ "127.1", "127.0.0.1", -1 },			/* inet_pton takes dotted quads only */
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		t_case("RUHU_TRUSTED_PROXY=\"%s\", peer %s", rows[i].list, rows[i].peer);
		CHECK_INT(peer_trusted(rows[i].list, rows[i].peer), rows[i].want);
	}
	t_case("a bad item is named in the error");
	struct trusted t;
	char err[160] = "";
	CHECK_INT(trusted_parse("127.0.0.1, 10.0.0.0/99", &t, err, sizeof err), -1);
	CHECK(strstr(err, "10.0.0.0/99") != NULL);
}

static void test_public_url(void)
{
	static const struct { const char *url; int ok; } rows[] = {
		{ "https://ruhu.example.com", 1 },
		{ "https://ruhu.example.com/", 1 },
		{ "http://10.0.0.5:8080", 1 },
		{ "HTTPS://RUHU.EXAMPLE.COM/ruhu", 1 },
		{ "http://[::1]:8080", 1 },
		{ "notaurl", 0 },
		{ "ruhu.example.com", 0 },
		{ "ftp://ruhu.example.com", 0 },
		{ "https://", 0 },
		{ "https:///badge", 0 },
		{ "https://user@ruhu.example.com", 0 },
		{ "https://ruhu.example.com/?x=1", 0 },
		{ "https://ruhu.example.com/#x", 0 },
		{ "https://ruhu example.com", 0 },
		{ "https://ruhu.example.com/\"><script>", 0 },
		{ "javascript:alert(1)", 0 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		t_case("RUHU_PUBLIC_URL=\"%s\"", rows[i].url);
		CHECK_INT(public_url_valid(rows[i].url), rows[i].ok);
	}
}

int main(void)
{
	test_trusted();
	test_public_url();
	return t_done();
}
