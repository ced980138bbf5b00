// SPDX-License-Identifier: Apache-2.0
/*
 * insn_plugin - a QEMU TCG plugin that counts executed guest instructions (all vCPUs, user
 * and kernel) and reports the count each time the guest executes a marker instruction, so a
 * guest program can bracket phases and get deterministic costs (tests/bench/).
 *
 * Marker: `nopl FAMFS_MARK_BASE+id(%rax)`, encoded 0f 1f 80 <disp32 little-endian>, with
 * disp32 = 0xfa5f0000 | id (id < 65536); see tests/bench/marker.h. Each marker executed
 * appends "mark ID COUNT" to the output file.
 *
 *   qemu-system-x86_64 ... -plugin build/tests/insn_plugin.so,out=/path/marks.txt
 *
 * QEMU ships neither this plugin nor qemu-plugin.h: the few API-version-4 functions used are
 * declared here (QEMU 10.0's plugin API). Counting is per translation block, inline (added at
 * block entry), so a marker's own block is counted whole: counts repeat exactly.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---- the QEMU plugin API (version 4) as far as used ---- */
typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t qemu_info_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
struct qemu_plugin_scoreboard;
typedef struct {
	struct qemu_plugin_scoreboard *score;
	size_t offset;
} qemu_plugin_u64;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
	void (*cb)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb));
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
	void (*cb)(qemu_plugin_id_t id, void *userdata), void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
size_t qemu_plugin_insn_data(const struct qemu_plugin_insn *insn, void *dest, size_t len);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
struct qemu_plugin_scoreboard *qemu_plugin_scoreboard_new(size_t element_size);
void qemu_plugin_register_vcpu_tb_exec_inline_per_vcpu(struct qemu_plugin_tb *tb,
	enum qemu_plugin_op op, qemu_plugin_u64 entry, uint64_t imm);
uint64_t qemu_plugin_u64_sum(qemu_plugin_u64 entry);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
	void (*cb)(unsigned int vcpu_index, void *userdata), enum qemu_plugin_cb_flags flags,
	void *userdata);

__attribute__((visibility("default"))) int qemu_plugin_version = 4;

/* ---- the plugin ---- */
#define MARK_BASE	0xfa5f0000u

static qemu_plugin_u64 insns;
static FILE *out;

static void on_mark(unsigned int vcpu, void *udata)
{
	fprintf(out, "mark %u %" PRIu64 "\n", (unsigned)(uintptr_t)udata, qemu_plugin_u64_sum(insns));
	fflush(out);
}

/* The marker's id, or -1 if @insn is not a marker. */
static int mark_id(const struct qemu_plugin_insn *insn)
{
	uint8_t b[8];
	uint32_t disp;

	if (qemu_plugin_insn_size(insn) != 7 ||	/* only then read its bytes */
	    qemu_plugin_insn_data(insn, b, sizeof(b)) != 7 || b[0] != 0x0f || b[1] != 0x1f ||
	    b[2] != 0x80)
		return -1;
	memcpy(&disp, b + 3, 4);
	return (disp & 0xffff0000u) == MARK_BASE ? (int)(disp & 0xffff) : -1;
}

static void on_tb(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);

	qemu_plugin_register_vcpu_tb_exec_inline_per_vcpu(tb, QEMU_PLUGIN_INLINE_ADD_U64, insns, n);
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		int m = mark_id(insn);

		if (m >= 0)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark, QEMU_PLUGIN_CB_NO_REGS,
							       (void *)(uintptr_t)m);
	}
}

static void plugin_exit(qemu_plugin_id_t id, void *udata)
{
	fprintf(out, "total %" PRIu64 "\n", qemu_plugin_u64_sum(insns));
	fclose(out);
}

__attribute__((visibility("default")))
int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
	const char *path = "insn_marks.txt";

	for (int i = 0; i < argc; i++)
		if (!strncmp(argv[i], "out=", 4))
			path = argv[i] + 4;
	out = fopen(path, "w");
	if (!out)
		return -1;
	insns.score = qemu_plugin_scoreboard_new(sizeof(uint64_t));
	insns.offset = 0;
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb);
	qemu_plugin_register_atexit_cb(id, plugin_exit, NULL);
	return 0;
}
