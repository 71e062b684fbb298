/*
 * addr.c — trusted proxies and the public URL (see addr.h).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "http/addr.h"

/* One item, "ADDR" or "ADDR/BITS" (len bytes), into r; 0 or -1. */
static int parse_one(const char *s, size_t len, struct net_range *r)
{
	char text[INET6_ADDRSTRLEN + 8];
	if (len >= sizeof text) return -1;
	memcpy(text, s, len);
	text[len] = '\0';
	char *slash = strchr(text, '/');
	if (slash) *slash = '\0';
	memset(r, 0, sizeof *r);
	if (inet_pton(AF_INET, text, r->addr) == 1) r->family = AF_INET, r->bits = 32;
	else if (inet_pton(AF_INET6, text, r->addr) == 1) r->family = AF_INET6, r->bits = 128;
	else return -1;
	if (slash) {
		const char *b = slash + 1;
		char *end;
		long bits = strtol(b, &end, 10);
		if (!*b || *end || b[0] < '0' || b[0] > '9' || bits < 0 || bits > r->bits) return -1;
		r->bits = (int)bits;
	}
	for (int i = r->bits; i < 128; i++) r->addr[i / 8] &= (unsigned char)~(0x80u >> (i % 8));
	return 0;
}

int trusted_parse(const char *text, struct trusted *out, char *err, size_t errlen)
{
	out->n = 0;
	for (const char *p = text; p && *p;) {
		while (*p == ' ' || *p == ',' || *p == '\t') p++;
		size_t k = strcspn(p, ", \t");
		if (!k) break;
		if (out->n == TRUSTED_MAX) {
			snprintf(err, errlen, "at most %d addresses or ranges", TRUSTED_MAX);
			return -1;
		}
		if (parse_one(p, k, &out->v[out->n]) != 0) {
			snprintf(err, errlen, "\"%.*s\" is not an IPv4 or IPv6 address or CIDR range (10.0.0.0/8)",
				 (int)(k > 64 ? 64 : k), p);
			return -1;
		}
		out->n++;
		p += k;
	}
	return 0;
}

static int in_range(const struct net_range *r, int family, const unsigned char *a)
{
	if (r->family != family) return 0;
	int whole = r->bits / 8, rest = r->bits % 8;
	if (memcmp(r->addr, a, (size_t)whole) != 0) return 0;
	return !rest || ((a[whole] ^ r->addr[whole]) & (0xFF00u >> rest) & 0xFF) == 0;
}

int trusted_has(const struct trusted *t, const struct sockaddr *sa)
{
	int family = sa->sa_family;
	const unsigned char *a;
	if (family == AF_INET) {
		a = (const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr;
	} else if (family == AF_INET6) {
		a = (const unsigned char *)&((const struct sockaddr_in6 *)sa)->sin6_addr;
		if (IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)a)) family = AF_INET, a += 12;
	} else {
		return 0;
	}
	for (size_t i = 0; i < t->n; i++)
		if (in_range(&t->v[i], family, a)) return 1;
	return 0;
}

int public_url_valid(const char *s)
{
	const char *p;
	if (strncasecmp(s, "https://", 8) == 0) p = s + 8;
	else if (strncasecmp(s, "http://", 7) == 0) p = s + 7;
	else return 0;
	size_t host = strcspn(p, "/");
	if (host == 0 || memchr(p, '@', host)) return 0;
	for (const unsigned char *c = (const unsigned char *)p; *c; c++)
		if (*c <= ' ' || *c >= 0x7F || strchr("\"'<>\\`{}|^?#", *c)) return 0;
	/* the host: a name, an IPv4 address or a bracketed IPv6 one, and a port */
	for (size_t i = 0; i < host; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]", p[i])) return 0;
	return p[0] != ':' && p[0] != '.';
}
