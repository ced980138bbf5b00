// SPDX-License-Identifier: Apache-2.0
/* msg.c - the one place messages leave libfamfs: a settable function and a level. */
#include <stdarg.h>
#include <stdio.h>

#include "famfs_priv.h"

static void famfs_msg_stderr(enum famfs_msg_level level, const char *msg)
{
	fprintf(stderr, "famfs: %s\n", msg);
}

/* Library-wide settings, chosen by the program (famfs_set_msg_fn/level). */
static famfs_msg_fn msg_fn = famfs_msg_stderr;
static enum famfs_msg_level msg_level = FAMFS_MSG_ERR;

/* famfs_set_msg_fn() - route messages to @fn (NULL: the stderr default); returns the old one. */
famfs_msg_fn famfs_set_msg_fn(famfs_msg_fn fn)
{
	famfs_msg_fn old = msg_fn;

	msg_fn = fn ? fn : famfs_msg_stderr;
	return old;
}

/* famfs_set_msg_level() - pass messages up to @level to the log function. */
void famfs_set_msg_level(enum famfs_msg_level level)
{
	msg_level = level;
}

void famfs_msg(enum famfs_msg_level level, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (level > msg_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	msg_fn(level, msg);
}

int famfs_why(char *why, size_t whylen, int err, const char *fmt, ...)
{
	va_list ap;

	if (why && whylen > 0) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return -err;
}
