// SPDX-License-Identifier: Apache-2.0
/*
 * cp_copy.c - cp's data copies: in the calling thread, or by -t N copy threads fed through a
 * small bounded queue (the files are logged and made by the caller, one at a time, in its
 * append session; only the bytes move in parallel). Also the progress line: files, bytes
 * and rate on stderr, redrawn in place at most 4 times a second, only when stderr is a
 * terminal.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define CP_QUEUE	32		/* jobs waiting for a thread (2 fds each) */
#define CP_BUF		(1 << 20)	/* bytes per read/write */
#define CP_TICK_NS	250000000LL	/* progress redraw interval */

struct cp_job {
	int in, out;
	uint64_t size;
	char src[PATH_MAX], dst[PATH_MAX];
};

struct cp_copier {
	unsigned nthreads;
	pthread_t thr[CP_THREADS_MAX];
	pthread_mutex_t lock;		/* the queue, the counters' redraw */
	pthread_cond_t more, room;
	struct cp_job *queue[CP_QUEUE];
	unsigned head, count;
	bool closing;
	char *buf;			/* no threads: the one buffer */
	/* counters, updated with __atomic builtins */
	uint64_t files, bytes, errors;
	/* progress */
	bool tty, drawn;
	struct timespec start;
	int64_t last_ns;
};

static int64_t cp_ns(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000000000LL + (b->tv_nsec - a->tv_nsec);
}

/* Redraw the progress line (@final: always, and end it with a newline). */
static void cp_progress(struct cp_copier *c, bool final)
{
	char sz[32], rate[32];
	struct timespec now;
	int64_t ns;
	double s;

	if (!c->tty || (final && !c->drawn))
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = cp_ns(&c->start, &now);
	if (!final && ns - __atomic_load_n(&c->last_ns, __ATOMIC_RELAXED) < CP_TICK_NS)
		return;
	if (pthread_mutex_trylock(&c->lock))
		return;		/* another thread is drawing */
	c->last_ns = ns;
	s = ns > 0 ? ns / 1e9 : 1e-9;
	cli_size_str(__atomic_load_n(&c->bytes, __ATOMIC_RELAXED), CLI_SIZE_HUMAN, sz, sizeof(sz));
	cli_size_str((uint64_t)(__atomic_load_n(&c->bytes, __ATOMIC_RELAXED) / s), CLI_SIZE_HUMAN,
		     rate, sizeof(rate));
	fprintf(stderr, "\rfamfs cp: %llu files, %s, %s/s, %.0f files/s\033[K%s",
		(unsigned long long)__atomic_load_n(&c->files, __ATOMIC_RELAXED), sz, rate,
		__atomic_load_n(&c->files, __ATOMIC_RELAXED) / s, final ? "\n" : "");
	c->drawn = true;
	pthread_mutex_unlock(&c->lock);
}

/* Copy @j's bytes; closes both files. 0 or -EIO (reported, naming the file). */
static int cp_job_run(struct cp_copier *c, struct cp_job *j, char *buf)
{
	uint64_t done = 0;
	int ret = 0;

	while (done < j->size && !ret) {
		ssize_t n = read(j->in, buf, CP_BUF), w, k;

		if (n <= 0) {
			famfs_msg(FAMFS_MSG_ERR, "%s: read: %s", j->src,
				  n ? strerror(errno) : "file shrank");
			ret = -EIO;
			break;
		}
		for (w = 0; w < n && !ret; w += k) {
			k = write(j->out, buf + w, n - w);
			if (k <= 0) {
				famfs_msg(FAMFS_MSG_ERR, "%s: write: %s", j->dst,
					  k ? strerror(errno) : "short");
				ret = -EIO;
			}
		}
		done += n;
		__atomic_add_fetch(&c->bytes, n, __ATOMIC_RELAXED);
		cp_progress(c, false);
	}
	close(j->in);
	if (close(j->out) && !ret) {
		famfs_msg(FAMFS_MSG_ERR, "%s: close: %s", j->dst, strerror(errno));
		ret = -EIO;
	}
	__atomic_add_fetch(ret ? &c->errors : &c->files, 1, __ATOMIC_RELAXED);
	cp_progress(c, false);
	return ret;
}

static void *cp_thread(void *arg)
{
	struct cp_copier *c = arg;
	char *buf = malloc(CP_BUF);
	struct cp_job *j;

	for (;;) {
		pthread_mutex_lock(&c->lock);
		while (!c->count && !c->closing)
			pthread_cond_wait(&c->more, &c->lock);
		if (!c->count) {
			pthread_mutex_unlock(&c->lock);
			break;
		}
		j = c->queue[c->head];
		c->head = (c->head + 1) % CP_QUEUE;
		c->count--;
		pthread_cond_signal(&c->room);
		pthread_mutex_unlock(&c->lock);
		if (buf) {
			cp_job_run(c, j, buf);
		} else {
			famfs_msg(FAMFS_MSG_ERR, "%s: out of memory for a copy buffer", j->dst);
			close(j->in);
			close(j->out);
			__atomic_add_fetch(&c->errors, 1, __ATOMIC_RELAXED);
		}
		free(j);
	}
	free(buf);
	return NULL;
}

int cp_copier_start(struct cp_copier **out, unsigned nthreads)
{
	struct cp_copier *c = calloc(1, sizeof(*c));
	unsigned i;

	if (!c)
		return -ENOMEM;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->more, NULL);
	pthread_cond_init(&c->room, NULL);
	c->tty = isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &c->start);
	if (!nthreads && !(c->buf = malloc(CP_BUF))) {
		free(c);
		return -ENOMEM;
	}
	for (i = 0; i < nthreads; i++) {
		if (pthread_create(&c->thr[i], NULL, cp_thread, c))
			break;
		c->nthreads++;
	}
	if (nthreads && !c->nthreads && !(c->buf = malloc(CP_BUF))) {
		free(c);
		return -ENOMEM;
	}
	*out = c;
	return 0;
}

int cp_copier_add(struct cp_copier *c, int in, int out, const char *src, const char *dst,
		  uint64_t size)
{
	struct cp_job *j = malloc(sizeof(*j));
	int ret = 0;

	if (!j) {
		famfs_msg(FAMFS_MSG_ERR, "%s: out of memory", dst);
		close(in);
		close(out);
		__atomic_add_fetch(&c->errors, 1, __ATOMIC_RELAXED);
		return -ENOMEM;
	}
	*j = (struct cp_job){ .in = in, .out = out, .size = size };
	snprintf(j->src, sizeof(j->src), "%s", src);
	snprintf(j->dst, sizeof(j->dst), "%s", dst);
	if (!c->nthreads) {
		ret = cp_job_run(c, j, c->buf);
		free(j);
		return ret;
	}
	pthread_mutex_lock(&c->lock);
	while (c->count == CP_QUEUE)
		pthread_cond_wait(&c->room, &c->lock);
	c->queue[(c->head + c->count) % CP_QUEUE] = j;
	c->count++;
	pthread_cond_signal(&c->more);
	pthread_mutex_unlock(&c->lock);
	return 0;
}

void cp_copier_finish(struct cp_copier *c, uint64_t *files, uint64_t *bytes, uint64_t *errors)
{
	unsigned i;

	pthread_mutex_lock(&c->lock);
	c->closing = true;
	pthread_cond_broadcast(&c->more);
	pthread_mutex_unlock(&c->lock);
	for (i = 0; i < c->nthreads; i++)
		pthread_join(c->thr[i], NULL);
	cp_progress(c, true);
	*files = c->files;
	*bytes = c->bytes;
	*errors = c->errors;
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->more);
	pthread_cond_destroy(&c->room);
	free(c->buf);
	free(c);
}
