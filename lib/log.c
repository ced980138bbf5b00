// SPDX-License-Identifier: Apache-2.0
/* log.c - the one place messages leave libfamfs: a settable function and a level. */
#include <stdarg.h>
#include <stdio.h>

#include "famfs_priv.h"

static void famfs_log_stderr(enum famfs_log_level level, const char *msg)
{
	fprintf(stderr, "famfs: %s\n", msg);
}

/* Library-wide settings, chosen by the program (famfs_set_log_fn/level). */
static famfs_log_fn log_fn = famfs_log_stderr;
static enum famfs_log_level log_level = FAMFS_LOG_ERR;

/* famfs_set_log_fn() - route messages to @fn; NULL restores the stderr default. */
void famfs_set_log_fn(famfs_log_fn fn)
{
	log_fn = fn ? fn : famfs_log_stderr;
}

/* famfs_set_log_level() - pass messages up to @level to the log function. */
void famfs_set_log_level(enum famfs_log_level level)
{
	log_level = level;
}

void famfs_log(enum famfs_log_level level, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_fn(level, msg);
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
