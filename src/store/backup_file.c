/*
 * backup_file.c — the file a backup is written into, for both drivers'
 * backup() (see db.h): FILE.partial, made here empty and readable by its
 * owner only (a backup holds names, phones and addresses), renamed into
 * place by the driver once whole, so that a file named FILE is always a
 * complete backup and an existing FILE is never overwritten.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "store/db.h"

int db_backup_partial(const char *file, char *partial, size_t cap, char *err, size_t errlen)
{
	if (snprintf(partial, cap, "%s.partial", file) >= (int)cap) {
		snprintf(err, errlen, "%s: name too long", file);
		return -1;
	}
	if (access(file, F_OK) == 0) {
		snprintf(err, errlen, "%s exists; a backup never overwrites a file", file);
		return -1;
	}
	char journal[4200];
	snprintf(journal, sizeof journal, "%s-journal", partial);
	unlink(partial);	/* an earlier run's, cut short */
	unlink(journal);
	int fd = open(partial, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", partial, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}
