/*
 * addr.h — the addresses an operator gives ruhu serve, read once at
 * start-up: the proxies whose X-Real-IP is believed (RUHU_TRUSTED_PROXY)
 * and the public address customers' phones reach (RUHU_PUBLIC_URL).
 *
 * Both are refused at start-up when malformed, rather than taken as
 * text that then matches nothing (a proxy never trusted, every client
 * seen as the proxy) or prints a broken link on every badge. Addresses
 * are compared as numbers, so ::1 and 0:0:0:0:0:0:0:1 are one address,
 * and a range is what operators write for a pool of proxies
 * (10.0.0.0/8, fd00::/8). Pure: no I/O, no global state.
 */
#ifndef RUHU_ADDR_H
#define RUHU_ADDR_H
#include <stddef.h>
#include <sys/socket.h>

#define TRUSTED_MAX 32

struct net_range {
	int family;		/* AF_INET or AF_INET6 */
	unsigned char addr[16];	/* network order; the bits past `bits` are zero */
	int bits;		/* prefix length: 32 or 128 for one address */
};

struct trusted {
	struct net_range v[TRUSTED_MAX];
	size_t n;
};

/* Parses a list of addresses and CIDR ranges separated by commas or
 * spaces ("127.0.0.1, ::1, 10.0.0.0/8"); an empty or NULL text is an
 * empty list. 0, or -1 with the offending item named in err. A range's
 * host bits (10.1.2.3/8) are dropped, as routers read it. */
int trusted_parse(const char *text, struct trusted *out, char *err, size_t errlen);

/* Whether the peer sa is in one of t's ranges. An IPv4 peer seen
 * through an IPv6 socket (::ffff:10.0.0.1) counts as the IPv4 address. */
int trusted_has(const struct trusted *t, const struct sockaddr *sa);

/* Whether s is an absolute http:// or https:// URL with a host, and
 * optionally a path, to which "/badge.html#TOKEN" can be appended: no
 * query, fragment, user name, blanks or quotes. */
int public_url_valid(const char *s);

#endif
