/*
 * harness.h — the small test harness every C test in ruhu uses.
 *
 * A test program is a list of cases. t_case() starts one (table-driven
 * tests start one per row, naming the SPEC rule it proves, e.g. "X4 …");
 * CHECK()s inside it fail the case and print where. t_done() tallies and
 * prints the last line "N passed, N failed" that tests/run.sh adds up,
 * and returns the exit status.
 */
#ifndef RUHU_TEST_HARNESS_H
#define RUHU_TEST_HARNESS_H
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_passed, t_failed, t_open, t_case_failed;
static char t_name[512];

static void t_close(void)
{
	if (!t_open) return;
	if (t_case_failed) t_failed++; else t_passed++;
	t_open = 0;
}

static void t_case(const char *fmt, ...) __attribute__((format(printf, 1, 2), unused));
static void t_case(const char *fmt, ...)
{
	t_close();
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t_name, sizeof t_name, fmt, ap);
	va_end(ap);
	t_open = 1;
	t_case_failed = 0;
	if (getenv("T_VERBOSE")) fprintf(stderr, "case: %s\n", t_name);
}

static int t_check(int ok, const char *what, const char *file, int line)
{
	if (!t_open) t_case("(unnamed)");
	if (!ok) {
		if (!t_case_failed) fprintf(stderr, "FAIL %s\n", t_name);
		fprintf(stderr, "  %s:%d: %s\n", file, line, what);
		t_case_failed = 1;
	}
	return ok;
}

#define CHECK(c) t_check(!!(c), #c, __FILE__, __LINE__)
#define CHECK_INT(a, b) do { long long a_ = (a), b_ = (b); \
	if (!t_check(a_ == b_, #a " == " #b, __FILE__, __LINE__)) \
		fprintf(stderr, "    got %lld, want %lld\n", a_, b_); } while (0)
#define CHECK_STR(a, b) do { const char *a_ = (a), *b_ = (b); \
	if (!t_check(a_ && b_ && strcmp(a_, b_) == 0, #a " == " #b, __FILE__, __LINE__)) \
		fprintf(stderr, "    got \"%s\", want \"%s\"\n", a_ ? a_ : "(null)", b_ ? b_ : "(null)"); } while (0)

static int t_done(void) __attribute__((unused));
static int t_done(void)
{
	t_close();
	printf("%d passed, %d failed\n", t_passed, t_failed);
	return t_failed ? 1 : 0;
}

#endif
