/* SPDX-License-Identifier: Apache-2.0 */
/*
 * loader.h - between the log and the kernel: attach/detach fmap policies (libbpf), fill
 * the pinned fmap map, and replay the log into a mounted famfs (files made through the VFS
 * and bound to their fmap keys with FAMFS_IOC_BIND).
 *
 * Every function returns 0 or a negative errno and reports failures through libfamfs's
 * log function, naming what is wrong.
 */
#ifndef FAMFS_LOADER_H
#define FAMFS_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "famfs_fmap.h"
#include "famfs_ioctl.h"
#include "famfs_omf.h"
#include "libfamfs.h"

#define FAMFS_DEFAULT_POLICY	FAMFS_POLICY_SIMPLE

/* ---- policies (policy.c) ---- */
/* Names of the policies built in (NULL-terminated). */
extern const char *const famfs_policy_names[];
/* Mount bpffs at /sys/fs/bpf if needed and create FAMFS_PIN_DIR. */
int famfs_bpffs_ensure(void);
/*
 * famfs_policy_attach() - load policy @name, fill its own maps if it has any, attach it as a
 * famfs struct_ops and pin the link at FAMFS_PIN_DIR/link_<name> (the fmap map is
 * pinned/reused at FAMFS_FMAPS_PIN). -EEXIST when @name is already attached, -ENOENT
 * unknown name.
 */
int famfs_policy_attach(const char *name);
/* famfs_policy_detach() - unpin @name's link: the kernel detaches it. -ENOENT if none. */
int famfs_policy_detach(const char *name);
/* true if @name's link is pinned (attached, or being detached). */
bool famfs_policy_attached(const char *name);
/*
 * famfs_mount_set_policy() - make the mount at @mpt use attached policy @name, swapped under
 * RCU without remount (FAMFS_IOC_SET_POLICY). -ENOENT if @name is not attached.
 */
int famfs_mount_set_policy(const char *mpt, const char *name);
/* famfs_policy_kinds() - the fmap kinds policy @name declares (its skeleton). -ENOENT. */
int famfs_policy_kinds(const char *name, uint32_t *kinds);
/* famfs_policy_for_kinds() - the first shipped policy resolving every kind in @kinds
 * (a FAMFS_FMAP_KIND_BIT mask), or NULL. */
const char *famfs_policy_for_kinds(uint32_t kinds);
/* Sum of the per-CPU counters of policy @name's pinned stats map. */
int famfs_policy_stats(const char *name, struct famfs_policy_stats *out);

/* ---- mounts (mount.c) ---- */
/* famfs_mount_stats() - FAMFS_IOC_STATS on @mpt (-ENOTTY: not a famfs mount). */
int famfs_mount_stats(const char *mpt, struct famfs_ioc_stats *st);
/*
 * famfs_mount_ready() - 0 if the mount at @mpt has an attached policy, so its .meta files
 * can be read; -ENXIO with a message naming the fix (load-maps) otherwise.
 */
int famfs_mount_ready(const char *mpt);
/*
 * famfs_find_mount() - the famfs mount holding @path: its mount point, its device and
 * @path relative to the mount point ("" for the root). Any output may be NULL.
 * -ENOENT when @path is not inside a famfs mount.
 */
int famfs_find_mount(const char *path, char *mpt, size_t mptlen, char *dev, size_t devlen,
		     char *rel, size_t rellen);
/*
 * famfs_dev_mount_point() - the famfs mount using device @dev (its device 0 or a dev=
 * option), compared by device number (same st_rdev) or resolved path: 0 and @mpt, or
 * -ENOENT when no famfs mount uses it. Reads /proc/self/mounts; prints nothing.
 */
int famfs_dev_mount_point(const char *dev, char *mpt, size_t mptlen);

/*
 * famfs_mount_set_space() - count the space @m's log allocates (famfs_space_get()) and
 * give it to the mount at @mpt (FAMFS_IOC_SET_SPACE), so statfs / df report used and free
 * as fsck does. Called after every replay (mount, load-maps) and every file or directory
 * famfsctl adds. Return 0 or -errno; a failure is reported but changes nothing else
 * (df then shows the previous numbers).
 */
int famfs_mount_set_space(const char *mpt, struct famfs_media *m);

/* ---- dax character devices and their modes (daxmode.c) ---- */
#define FAMFS_DAX_DRV_DEVDAX	"device_dax"	/* devdax mode: mmap-able */
#define FAMFS_DAX_DRV_FAMFS	"fsdev_dax"	/* famfs mode: what the module mounts */
enum famfs_dax_mode { FAMFS_DAX_UNBOUND, FAMFS_DAX_DEVDAX, FAMFS_DAX_FAMFS,
		      FAMFS_DAX_SYSTEM_RAM, FAMFS_DAX_OTHER };
/* famfs_dax_set_sysfs_root() - where sysfs is (default "/sys"; NULL restores it): tests. */
void famfs_dax_set_sysfs_root(const char *root);
/* famfs_dax_mode_name() - "unbound", "devdax", "famfs", "system-ram", "unknown". */
const char *famfs_dax_mode_name(enum famfs_dax_mode mode);
/* famfs_dax_mode_of_driver() - the mode a dax device bound to @driver (its sysfs driver
 * name; "" or NULL: unbound) is in: device_dax devdax, fsdev_dax famfs, kmem system-ram. Pure. */
enum famfs_dax_mode famfs_dax_mode_of_driver(const char *driver);
/* famfs_dax_name_is() - @name is a dax device name ("daxN.M"). Pure. */
bool famfs_dax_name_is(const char *name);
/*
 * famfs_dax_name() - the dax device name ("dax0.0") of character device node @path, from
 * /sys/dev/char/MAJ:MIN. Return: 0; -ENOENT no such path; -ENOTTY not a character device;
 * -ENODEV a character device that is no dax device. Nothing logged.
 */
int famfs_dax_name(const char *path, char *name, size_t len);
/* famfs_dax_mode_get() - the mode of dax device @name (/sys/bus/dax/devices/NAME/driver).
 * Return: 0; -ENODEV not on the dax bus (logged). */
int famfs_dax_mode_get(const char *name, enum famfs_dax_mode *mode);
/*
 * famfs_dax_mode_set() - switch dax device @name to @want (FAMFS_DAX_DEVDAX or _FAMFS):
 * unbind, then new_id of the driver (device_dax, fsdev_dax); no-op if already there. On a
 * failed bind it is put back in its old mode. Return: 0; -EINVAL bad @want; -ENODEV not a
 * dax device; -EBUSY it is system RAM or another driver's (not touched); -EOPNOTSUPP the
 * driver is not on this kernel (message: what the user must have; nothing changed);
 * -errno of a sysfs write, -EIO the driver did not take it. Logged.
 */
int famfs_dax_mode_set(const char *name, enum famfs_dax_mode want);
/*
 * famfs_dax_for_read() - make device @path readable by mmap if it is a dax device: a dax
 * device in famfs mode that no famfs mount here uses goes to devdax mode. Anything that is
 * not a character device: 0, untouched. Return: 0; -EBUSY in famfs mode and mounted (its
 * mount's .meta files are the way to read it); -ENODEV a character device that is no dax
 * device; famfs_dax_mode_set()'s errors. Logged.
 */
int famfs_dax_for_read(const char *path);
/* famfs_dax_for_mount() - put dax device @path in famfs mode (fsdev_dax) for the mount; 0
 * and untouched if @path is not a character device. Errors as famfs_dax_mode_set(). */
int famfs_dax_for_mount(const char *path);
/* famfs_dax_is_famfs_mode() - is @path a dax device bound to fsdev_dax? Nothing logged. */
bool famfs_dax_is_famfs_mode(const char *path);

/* ---- where load-maps reads the metadata of a famfs-mode dax device (metasrc.c) ---- */
/*
 * famfs_meta_snapshot() - copy the superblock and log of device 0 @dev (readable now: devdax
 * mode) into an anonymous memory file kept for this process, for the first load-maps after
 * the mount switched @dev to famfs mode. Return: 0, or -errno (logged).
 */
int famfs_meta_snapshot(const char *dev);
/*
 * famfs_meta_source_open() - open, read-only, the file system whose device 0 is @dev and
 * which is mounted at @mpt (may be NULL): @dev itself unless it is a dax device in famfs mode;
 * then this process's snapshot of it (famfs_meta_snapshot()), else the mount's .meta files.
 * Return: as famfs_media_open_dev(); -ENODEV none of these can be read (logged).
 */
int famfs_meta_source_open(const char *mpt, const char *dev, struct famfs_media **m);

/* ---- devices (devices.c) ---- */
#define FAMFS_DEV_PATH_MAX	256

/* ---- nvdimm namespaces (nvdimm.c: libndctl; the checks in devices.c need no device) ---- */
#define FAMFS_NS_ALIGN		(2ULL << 20)	/* PMD faults need the data 2 MiB aligned */
enum famfs_ns_mode { FAMFS_NS_FSDAX, FAMFS_NS_RAW, FAMFS_NS_SECTOR, FAMFS_NS_DEVDAX,
		     FAMFS_NS_UNKNOWN };
/* where the namespace's struct page array lives (ndctl create-namespace --map=) */
enum famfs_ns_map { FAMFS_NS_MAP_NONE, FAMFS_NS_MAP_MEM, FAMFS_NS_MAP_DEV };
struct famfs_ns {
	char name[32];			/* "namespace0.0" */
	char dev[FAMFS_DEV_PATH_MAX];	/* "/dev/pmem0" ("/dev/dax0.0" for devdax); "" none */
	enum famfs_ns_mode mode;
	enum famfs_ns_map map;
	uint64_t align;			/* bytes; 0 unknown (raw, sector) */
	uint64_t size;
	bool enabled;
};
/*
 * famfs_ns_list() - every nvdimm namespace of this host (ndctl_bus_foreach,
 * ndctl_region_foreach, ndctl_namespace_foreach) into a malloc'd array (free()), with its
 * block device (fsdax: its pfn's; raw: its own; sector: its btt's) or dax device, mode,
 * map location and alignment. Namespaces of size 0 (seeds) are left out.
 * Return: the count; -ENODEV no nvdimm bus on this host (none logged); -ENOMEM.
 */
int famfs_ns_list(struct famfs_ns **out);
/* famfs_ns_mode_name() - "fsdax", "raw", "sector", "devdax", "unknown". */
const char *famfs_ns_mode_name(enum famfs_ns_mode mode);
/* famfs_name_is_numbered() - @name is @prefix, digits, ".", digits and nothing else
 * ("namespace0.0", "dax1.0"). Pure. */
bool famfs_name_is_numbered(const char *name, const char *prefix);
/* famfs_ns_name_is() - @arg is a namespace name ("namespaceN.M"), not a path. */
bool famfs_ns_name_is(const char *arg);
/*
 * famfs_ns_check() - can famfs use namespace @ns: mode fsdax, struct pages in host memory
 * (--map=mem, never on the shared device), alignment a multiple of 2 MiB. Pure: no device
 * is touched. Return 0; -EINVAL with @why = what is wrong, naming the device and the
 * namespace, and the ndctl command that fixes it.
 */
int famfs_ns_check(const struct famfs_ns *ns, char *why, size_t len);
/* famfs_ns_fix_cmd() - "ndctl create-namespace --force --reconfig=NAME --mode=fsdax
 * --map=mem --align=2M" for @name, into @buf. */
void famfs_ns_fix_cmd(const char *name, char *buf, size_t len);
/*
 * famfs_ns_find() - the entry of @ns[@n] that @arg names: by name if famfs_ns_name_is(),
 * else by device path (same string, or the same device number). NULL if none.
 */
const struct famfs_ns *famfs_ns_find(const struct famfs_ns *ns, int n, const char *arg);
/* what famfs_dev_resolve() checks */
#define FAMFS_DEV_CHECK		0x1	/* mkfs, mount: a namespace must pass famfs_ns_check() */
/*
 * famfs_dev_resolve() - the path of the device @arg names (a path, or a namespace name
 * looked up through libndctl) in @path; with FAMFS_DEV_CHECK a block or dax device that
 * is an nvdimm namespace must pass famfs_ns_check(). Regular files (images) are taken as
 * they are. With no nvdimm bus on this host a path is used unchecked (said once, at INFO).
 * Return: 0; -ENOENT no such namespace; -ENXIO namespace disabled or without a device;
 * -EINVAL refused by the check. Logged.
 */
int famfs_dev_resolve(const char *arg, unsigned flags, char *path, size_t len);
/*
 * famfs_fsctx_parse() - one message read from an fs context fd (fsopen(2)): "e TEXT",
 * "w TEXT" or "i TEXT" into its level (e: FAMFS_MSG_ERR; w, i: FAMFS_MSG_INFO) and TEXT
 * (*text points into @line; a trailing newline is not part of it: *textlen). A line with
 * no known prefix is INFO, all of it. -EINVAL for an empty line.
 */
int famfs_fsctx_parse(const char *line, enum famfs_msg_level *level, const char **text,
		      size_t *textlen);
/*
 * famfs_find_devices() - paths of the devices of the file system whose superblock @sb was
 * read from @dev0: paths[i] for i < sb_ndevs (paths[0] = @dev0), found by UUID among the
 * block devices of this host's nvdimm namespaces (famfs_ns_list(); /dev/pmem* when there
 * is no nvdimm bus), each identified by its header read with O_DIRECT. -ENODEV (each
 * missing device logged with its uuid and size), -EUCLEAN a device of this file system
 * that does not fit its slot (wrong size: message says), -EINVAL one whose namespace
 * fails famfs_ns_check() (the message names the ndctl command that fixes it).
 */
int famfs_find_devices(const struct famfs_superblock *sb, const char *dev0,
		       char paths[][FAMFS_DEV_PATH_MAX]);
/*
 * famfs_mount_options() - the mount(2) data for the famfs whose device 0 is @dev, in @data
 * (@size bytes): "dev=PATH" for devices 1, 2, ... in slot order (famfs_find_devices()),
 * then "policy=@policy" if @policy is not NULL; "" for one device and no policy. Reads
 * device 0's superblock and log with O_DIRECT (famfs_media_open_dev()).
 * Return: 0; -EINVAL @policy longer than FAMFS_POLICY_NAME_LEN - 1; the errors of
 * famfs_media_open_dev() and famfs_find_devices(); -E2BIG @size too small. Logged.
 */
int famfs_mount_options(const char *dev, const char *policy, char *data, size_t size);
/*
 * famfs_mount_devices() - what famfs_mount_options() formats: the paths of devices 0..
 * (*ndevs) of the famfs whose device 0 is @dev, checked the same way. Same returns.
 */
int famfs_mount_devices(const char *dev, const char *policy, char paths[][FAMFS_DEV_PATH_MAX],
			uint32_t *ndevs);

/* ---- fmaps (fmaps.c) ---- */
/*
 * famfs_fmaps_open() - open the pinned fmap map (read-write) after checking it has this
 * build's layout (famfs_fmap.h). Return an fd, -EPROTO for a map of another build (the
 * message says how to remove it), or -errno.
 */
int famfs_fmaps_open(void);
/* famfs_fmaps_check_pinned() - 0 if no fmap map is pinned or it has this build's layout. */
int famfs_fmaps_check_pinned(void);
/* famfs_fmaps_stamp() - write the layout record into a new pinned fmap map (idempotent). */
int famfs_fmaps_stamp(void);
/* famfs_mount_tag() - the high half of the fmap keys of the mount at @mpt (its mount_id). */
int famfs_mount_tag(const char *mpt, uint32_t *tag);
/* Convert a logged fmap to the BPF map value. -EINVAL for a malformed one. */
int famfs_fmap_from_omf(const struct famfs_fmap_omf *omf, uint64_t size, uint32_t flags,
			struct famfs_fmap *out);
/*
 * famfs_fmap_put() - insert or replace @key's fmap; *added (may be NULL) = whether anything
 * changed. Also derives the fmap's form in every other policy format that is loaded
 * (famfs_chunkmap_put()).
 */
int famfs_fmap_put(int mapfd, uint64_t key, const struct famfs_fmap *fm, bool *added);

/* ---- famfs_chunkmap's format (chunkmap.c) ---- */
/*
 * famfs_chunkmap_put() - if famfs_chunkmap's maps are pinned, store @fm as its 2 MiB units
 * (once per key and size; units before the file entry). 0 when the maps are absent.
 */
int famfs_chunkmap_put(uint64_t key, const struct famfs_fmap *fm);
/* famfs_chunkmap_sync_all() - famfs_chunkmap_put() for every entry of famfs_fmaps. */
int famfs_chunkmap_sync_all(void);

/* ---- choosing a mount's policy (choose.c) ---- */
/* famfs_log_kinds() - FAMFS_FMAP_KIND_BIT mask of the fmap kinds logged on @dev, the device 0
 * of the mount at @mpt (may be NULL), read as famfs_meta_source_open() says. */
int famfs_log_kinds(const char *mpt, const char *dev, uint32_t *kinds);
/*
 * famfs_mount_policy_ensure() - make the mount at @mpt (device @dev, stats @st) use a policy
 * that resolves every fmap kind in its log: @want if given, else the one it uses, else the
 * one it asks for, else the first shipped policy that fits; attached if needed. When the
 * log can only be read through the mount (a famfs-mode dax device 0) and no policy is
 * attached, the chosen one is attached and selected first, so .meta can be mapped.
 * -EOPNOTSUPP (a message names a policy that fits) if the chosen one cannot.
 */
int famfs_mount_policy_ensure(const char *mpt, const char *dev, const char *want,
			      const struct famfs_ioc_stats *st);

/* ---- binding files (bind.c) ---- */
/* famfs_grants_from_fmap() - @b's grants = @fm's extents or strips. -EINVAL if too many. */
int famfs_grants_from_fmap(const struct famfs_fmap *fm, struct famfs_ioc_bind *b);
/*
 * famfs_bind_file() - create @path (@mode, @uid, @gid) and bind it to @key with @fm's
 * size, kind and grants (FAMFS_BIND_* @flags). Return 1 if made, 0 if it was already bound
 * the same way, -errno (reported, naming the file; a refused bind leaves no name behind).
 */
int famfs_bind_file(const char *path, uint32_t mode, uint32_t uid, uint32_t gid,
		    uint64_t key, const struct famfs_fmap *fm, uint64_t flags);

/* ---- replay (replay.c) ---- */
struct famfs_replay_result {
	uint64_t files_added, dirs_added;	/* created by this run */
	uint64_t files_present, dirs_present;	/* already there, left alone */
	uint64_t fmaps_added;			/* map entries inserted or fixed */
	uint64_t next_index;			/* log entries seen */
	uint64_t files_deleted;			/* DELETE entries applied by this run */
	uint64_t applied;			/* entries [0, applied) applied: next_index, or
						 * the first DELETE that failed (OMF >= 1.3) */
};
struct famfs_replay_opts {
	bool dry_run;		/* report only (logplay -n) */
	bool as_client;		/* make files read-only unless logged RW_ALL (logplay -c) */
	bool verbose;
};
/*
 * famfs_load_maps() - make the mount at @mpt current: ensure it has a policy (@policy:
 * attach it if needed and make the mount use it; NULL: keep the mount's attached policy, or
 * attach the one it asks for, or famfs_simple), ensure .meta/.superblock and .meta/.log
 * exist and are mapped, then replay every log entry: directories made, files made and
 * bound, fmaps put. Idempotent: a second run adds only what is new. With o->dry_run nothing
 * is changed: the log is read from the device and only counted.
 */
int famfs_load_maps(const char *mpt, const char *policy, const struct famfs_replay_opts *o,
		    struct famfs_replay_result *r);
/*
 * famfs_replay_entry() - apply one log entry to the mount (used right after an append by
 * cp/creat/mkdir). @tag is famfs_mount_tag(); @mapfd from famfs_fmaps_open().
 */
int famfs_replay_entry(const char *mpt, int mapfd, uint32_t tag, uint64_t index,
		       const struct famfs_log_entry *e, const struct famfs_replay_opts *o,
		       struct famfs_replay_result *r);

/*
 * famfs_apply_delete() - apply DELETE entry @e (@index) to the mount (unbind.c): unbind
 * the file it names if it is bound to that FILE entry's key (FAMFS_IOC_UNBIND: mappings
 * revoked, grants dropped), drop its fmap, unlink its name. 0 also when it was applied
 * before (the name gone or bound to a newer file); -errno (logged) when the unbind failed.
 */
int famfs_apply_delete(const char *mpt, int mapfd, uint32_t tag, uint64_t index,
		       const struct famfs_log_entry *e, const struct famfs_replay_opts *o,
		       struct famfs_replay_result *r);

/* ---- this host in the client table (follow.c; OMF >= 1.3, else no-ops) ---- */
/*
 * famfs_client_join() - before a replay reads the log: if this host has no slot in the
 * mount's client table, take one with applied index 0 (so a reclaim decided from here on
 * waits for this host), and fence. 0, or -errno (logged); 0 on OMF < 1.3.
 */
int famfs_client_join(const char *mpt);
/* famfs_client_applied() - record that this host's mount has applied [0, @applied). */
int famfs_client_applied(const char *mpt, uint64_t applied);
/* famfs_client_leave() - free this host's slot (before umount). 0 also with no slot. */
int famfs_client_leave(const char *mpt);
/* famfs_client_unmounting() - @leaving: famfs_client_leave() before umount, remembering the
 * slot; else (the umount failed) take the slot back with the applied index it had. */
int famfs_client_unmounting(const char *mpt, bool leaving);
/* famfs_client_self() - this host's slot of the mount at @mpt. -ENOENT none, -EOPNOTSUPP. */
int famfs_client_self(const char *mpt, struct famfs_client_info *ci);
/*
 * famfs_follow() - keep the mount at @mpt current: every @interval_ms, invalidate the log
 * header's cache lines and read next_index; when it moved, load-maps (applying new entries,
 * DELETEs included) and log what was done; else only the heartbeat. Runs until *@stop is
 * set (a signal handler) or @rounds polls were made (0: no limit). 0, or the error that
 * stopped it.
 */
int famfs_follow(const char *mpt, unsigned interval_ms, unsigned rounds,
		 volatile int *stop);

/* ---- mount and unmount (mount.c) ---- */
struct famfs_mount_opts {
	const char *policy;		/* the policy the mount should use; NULL: the first
					 * attached one (famfs_simple is attached if none is) */
	struct famfs_replay_opts replay;	/* for the load-maps after the mount */
};
/*
 * famfs_mount_fs() - mount the famfs whose device 0 is @dev at directory @mpt: validate its
 * superblock and log (read with O_DIRECT), find its other devices by UUID among /dev/pmem*
 * (famfs_find_devices()), mount(2) it with one dev= option per device in slot order (and
 * policy=), then famfs_load_maps() with @o->replay into @r. If load-maps fails, @mpt is
 * unmounted again: a mount is left only when it is usable.
 * Return: 0; -EUCLEAN/-ENOENT/-ENOSPC bad superblock or log (famfs_media_open_dev());
 * -ENODEV a device of the file system not found, -EUCLEAN one that does not fit its slot;
 * mount(2)'s errno (-ENODEV famfs_bpf.ko not loaded, -EBUSY a device already in use,
 * -EINVAL not an fsdax device); famfs_load_maps()'s errno. Every failure is logged.
 */
int famfs_mount_fs(const char *dev, const char *mpt, const struct famfs_mount_opts *o,
		   struct famfs_replay_result *r);
/* famfs_umount_fs() - unmount the famfs mounted at @mpt. -ENOENT not a famfs mount; umount2's errno. */
int famfs_umount_fs(const char *mpt);

/* ---- one file (file.c) ---- */
/*
 * famfs_file_binding() - the binding of famfs file @path (FAMFS_IOC_GET_BIND): key, size
 * (bytes), fmap kind, FAMFS_BIND_* flags and grants (device ranges, bytes). Logged unless
 * @quiet.
 * Return: 0; -ENODATA a famfs file with no fmap (unbound); -ENOTTY not a famfs file;
 * open(2)'s errno (-ENOENT, -EACCES, ...).
 */
int famfs_file_binding(const char *path, struct famfs_ioc_bind *b, bool quiet);
/*
 * famfs_fmap_get() - @key's fmap from the pinned fmap map (FAMFS_FMAPS_PIN). Not logged.
 * Return: 0; -ENOENT no such key; -errno the map is not pinned or cannot be opened.
 */
int famfs_fmap_get(uint64_t key, struct famfs_fmap *fm);
/*
 * famfs_file_xlate() - ask the live policy of @path's mount to translate file offset
 * x->offset (bytes), exactly as a fault would (FAMFS_IOC_XLATE: counted in the mount's
 * translations or rejected); fills x->devindex, x->dev_offset and x->len (bytes).
 * @policy gets the name of the policy the mount uses ("" if none). Not logged.
 * Return: 0; -ENODATA file unbound; -ERANGE offset >= file size; -EIO no policy attached
 * or the answer was refused (dmesg says why); -ENOTTY not a famfs file; open(2)'s errno.
 */
int famfs_file_xlate(const char *path, struct famfs_ioc_xlate *x,
		     char policy[FAMFS_POLICY_NAME_LEN]);
/*
 * famfs_file_flush() - write back (@writeback) or write back and invalidate this CPU's
 * cache lines over famfs file @path's whole range, through a shared read-only DAX mapping;
 * *size (may be NULL) = the file's size in bytes. For fabric memory that is not coherent
 * between hosts: the writer writes back before a hand-off, the reader invalidates first.
 * Return: 0; -EINVAL not a regular famfs file with a map; open(2)'s or mmap(2)'s errno.
 * Every failure is logged, naming the file.
 */
int famfs_file_flush(const char *path, bool writeback, uint64_t *size);

#endif /* FAMFS_LOADER_H */
