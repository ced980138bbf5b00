/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_test.h - helpers for the famfsctl unit tests (test_cli_*.c): run a printing function
 * into a memory buffer, capture what goes to stderr, and parse JSON back with json-c. Each
 * Criterion test runs in its own process, so redirecting fd 2 touches no other test.
 */
#ifndef FAMFS_CLI_TEST_H
#define FAMFS_CLI_TEST_H

#include <criterion/criterion.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cli.h"

/* An in-memory FILE: open with mem_open(), read the text with mem_text(). */
struct mem {
	char *buf;
	size_t len;
	FILE *f;
};

static inline FILE *mem_open(struct mem *m)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	cr_assert_not_null(m->f, "open_memstream: %s", strerror(errno));
	return m->f;
}

/* Close the stream and return what was written (owned by @m; freed with free(m->buf)). */
static inline const char *mem_text(struct mem *m)
{
	cr_assert_eq(fclose(m->f), 0);
	return m->buf;
}

/* stderr into a temporary file between err_begin() and err_end(). */
static int err_saved = -1;
static FILE *err_tmp;
static char err_text[4096];

static inline void err_begin(void)
{
	fflush(stderr);
	err_tmp = tmpfile();
	cr_assert_not_null(err_tmp);
	err_saved = dup(2);
	cr_assert(err_saved >= 0 && dup2(fileno(err_tmp), 2) == 2);
}

/* Stop capturing; return what was printed on stderr meanwhile. */
static inline const char *err_end(void)
{
	size_t n;

	fflush(stderr);
	dup2(err_saved, 2);
	close(err_saved);
	rewind(err_tmp);
	n = fread(err_text, 1, sizeof(err_text) - 1, err_tmp);
	err_text[n] = '\0';
	fclose(err_tmp);
	return err_text;
}

/* Print @o with cli_json_print() and parse the line back; the caller puts the result. */
static inline json_object *json_roundtrip(json_object *o)
{
	struct mem m;
	const char *text;
	json_object *back;

	cr_assert_eq(cli_json_print(mem_open(&m), o), 0);
	text = mem_text(&m);
	cr_assert(strlen(text) > 1 && strchr(text, '\n') == text + strlen(text) - 1,
		  "not one line: %s", text);
	back = json_tokener_parse(text);
	cr_assert_not_null(back, "not JSON: %s", text);
	free(m.buf);
	return back;
}

static inline json_object *jget(json_object *o, const char *key)
{
	json_object *v = NULL;

	cr_assert(json_object_object_get_ex(o, key, &v), "no \"%s\" in %s", key,
		  json_object_to_json_string(o));
	return v;
}

static inline uint64_t ju64(json_object *o, const char *key)
{
	json_object *v = jget(o, key);

	cr_assert(json_object_is_type(v, json_type_int), "\"%s\" is not a number", key);
	return json_object_get_uint64(v);
}

static inline const char *jstr(json_object *o, const char *key)
{
	json_object *v = jget(o, key);

	cr_assert(json_object_is_type(v, json_type_string), "\"%s\" is not a string", key);
	return json_object_get_string(v);
}

static inline bool jbool(json_object *o, const char *key)
{
	json_object *v = jget(o, key);

	cr_assert(json_object_is_type(v, json_type_boolean), "\"%s\" is not a boolean", key);
	return json_object_get_boolean(v);
}

static inline bool jhas(json_object *o, const char *key)
{
	return json_object_object_get_ex(o, key, NULL);
}

#endif /* FAMFS_CLI_TEST_H */
