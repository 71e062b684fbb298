/*
 * digits.h — the six-digit windows a search for a number goes by.
 *
 * A number of seven digits or more (an account, a whole phone) is a poor
 * question for a trigram index: 3100100100's trigrams 310, 100, 001 and
 * 010 are each in tens of thousands of households, and SQLite checked
 * 370,000 candidates for it (430 ms at a million households). Both stores
 * therefore also index, for every run of digits in the searched text, its
 * windows of six digits; a number lies inside one run, so every household
 * holding it holds its windows, and few others do.
 *
 * Both keep the windows at even offsets of each run, which halves the
 * index: a number's windows at even offsets, or those at odd ones, are
 * then all there, and the query asks for either set.
 *   PostgreSQL (migration 009): runs of six digits or more, the windows
 *   as integers in a GIN index (digit_windows_array).
 *   SQLite (migration 012): runs of seven digits or more, the windows as
 *   words in an FTS5 index, through the SQL function ruhu_digit_windows()
 *   (digit_windows_text, digit_windows_match).
 *
 * Pure functions: no I/O, no allocation.
 */
#ifndef RUHU_DIGITS_H
#define RUHU_DIGITS_H
#include <stddef.h>

#define DIGIT_WINDOW 6		/* digits in a window */
#define DIGIT_NUMBER_MIN 7	/* the shortest number searched by its windows */

/* Whether q is nothing but ASCII digits (and not empty). */
int digits_only(const char *q);

/* SQLite's indexed text of text: the windows of every run of
 * DIGIT_NUMBER_MIN digits or more, at even offsets, separated by spaces
 * ("" when there is no such run). Writes at most cap bytes with the NUL;
 * returns the length the whole text needs (as snprintf does), so a
 * caller with room for 7 * strlen(text) + 1 bytes always has enough. */
size_t digit_windows_text(const char *text, char *out, size_t cap);

/* SQLite's FTS5 MATCH for the number q (digits only, DIGIT_NUMBER_MIN or
 * more): "(its windows at even offsets) OR (those at odd ones)", each
 * set's distinct windows side by side (all must be there). 0 and out
 * untouched when q is not such a number or cap is under 7 bytes a digit
 * and 16 more, else 1. */
int digit_windows_match(const char *q, char *out, size_t cap);

/* PostgreSQL's: the windows of q (digits only) at offsets of parity odd,
 * as an int[]'s text ("{310000,2}"), the numbers migration 009's
 * ruhu_digit_windows() gives. Windows that do not fit in cap are left
 * out: fewer windows give more candidates, which the search checks. */
void digit_windows_array(const char *q, int odd, char *out, size_t cap);

#endif
