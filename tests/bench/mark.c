// SPDX-License-Identifier: Apache-2.0
/*
 * mark ID - execute the instruction-count marker ID (tests/bench/marker.h) once, so a guest
 * shell script can bracket a phase for tests/bench/insn_plugin.c: `mark 1; cmd; mark 2`.
 * The ids are immediates: 1..8, 11..16, 21..26 and 31..36 only. Exit 2 on a bad id.
 */
#include <stdio.h>
#include <stdlib.h>

#include "marker.h"

#define MARK(id) case id: famfs_mark(id); return 0

int main(int argc, char **argv)
{
	switch (argc == 2 ? atoi(argv[1]) : 0) {
	MARK(1); MARK(2); MARK(3); MARK(4); MARK(5); MARK(6); MARK(7); MARK(8);
	MARK(11); MARK(12); MARK(13); MARK(14); MARK(15); MARK(16);
	MARK(21); MARK(22); MARK(23); MARK(24); MARK(25); MARK(26);
	MARK(31); MARK(32); MARK(33); MARK(34); MARK(35); MARK(36);
	}
	fprintf(stderr, "usage: mark ID (1..8, 11..16, 21..26, 31..36)\n");
	return 2;
}
