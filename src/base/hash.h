/*
 * hash.h — the one string hash of ruhu's in-memory tables (the import's
 * account and site sets, the badge answers, the sign-in rate limiter).
 *
 * FNV-1a, then mixed (MurmurHash3's finaliser): the tables take the low
 * bits, and FNV's low bits barely differ between keys that differ in
 * their last characters (account numbers 3100000000, 3100000001 …, or
 * client addresses 10.0.0.1, 10.0.0.2 …), which piled such keys up and
 * made each lookup walk thousands of slots.
 */
#ifndef RUHU_HASH_H
#define RUHU_HASH_H
#include <stdint.h>

static inline uint32_t str_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

#endif
