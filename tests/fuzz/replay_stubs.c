// SPDX-License-Identifier: Apache-2.0
/*
 * replay_stubs.c - link stand-ins for the loader parts loader/replay.c references besides
 * famfs_replay_entry()'s path (policies, mounts, chunkmap). fuzz_replay never reaches them;
 * they include no loader header on purpose, so a signature change there cannot break this.
 */
#include <errno.h>
#include <stdbool.h>

int famfs_chunkmap_put(void) { return 0; }
int famfs_find_mount(void) { return -ENOENT; }
int famfs_mount_stats(void) { return -ENOTTY; }
int famfs_mount_set_policy(void) { return -ENOENT; }
int famfs_mount_set_space(void) { return 0; }
int famfs_policy_attach(void) { return -ENOENT; }
bool famfs_policy_attached(void) { return false; }
int famfs_mount_policy_ensure(void) { return -ENOENT; }
int famfs_client_join(void) { return 0; }
int famfs_client_applied(void) { return 0; }
int famfs_meta_source_open(void) { return -ENODEV; }
