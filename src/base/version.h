/*
 * version.h — which ruhu this is: `git describe --always --dirty` when it
 * was built ("dev" outside a checkout). The text lives in a file the
 * Makefile writes again whenever the version changes (build/gen/version.c),
 * so every binary names the commit it was built from.
 */
#ifndef RUHU_VERSION_H
#define RUHU_VERSION_H

extern const char ruhu_version[];

#endif
