// SPDX-License-Identifier: Apache-2.0
/*
 * test_blockdev.c - the O_DIRECT backend, on a loop device over the test's image (what
 * /dev/pmem* uses). Skipped when loop devices cannot be set up (not root, no /dev/loop*).
 * The loop device is created with LO_FLAGS_AUTOCLEAR: it goes away when the test exits.
 */
#include <linux/loop.h>
#include <sys/ioctl.h>

#include "famfs_test.h"

TestSuite(blockdev, .init = tfs_setup, .fini = tfs_teardown);

static char loopdev[64];
static int loopfd = -1;

/* Attach @img to a free loop device (its path in @dev); the open fd, or -1 if impossible. */
static int loop_attach_at(const char *img, char *dev, size_t devlen)
{
	struct loop_config cfg = { .info.lo_flags = LO_FLAGS_AUTOCLEAR };
	int ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC), tries, n, err = 0, fd = -1;

	cfg.fd = (__u32)open(img, O_RDWR | O_CLOEXEC);
	for (tries = 0; ctl >= 0 && tries < 20; tries++) {
		n = ioctl(ctl, LOOP_CTL_GET_FREE);
		if (n < 0)
			break;
		snprintf(dev, devlen, "/dev/loop%d", n);
		fd = open(dev, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			break;
		if (ioctl(fd, LOOP_CONFIGURE, &cfg) == 0)
			break;
		err = errno;
		close(fd);
		fd = -1;
		if (err != EBUSY)	/* EBUSY: another test took it first */
			break;
	}
	if (ctl >= 0)
		close(ctl);
	close((int)cfg.fd);
	return fd;
}

/* Attach T.img to a free loop device; false if that is not possible here. */
static bool loop_attach(void)
{
	loopfd = loop_attach_at(T.img, loopdev, sizeof(loopdev));
	return loopfd >= 0;
}

/* Image of @size bytes on a loop device, with a file system made through the device. */
static void loop_fs(uint64_t size)
{
	int rc;

	tfs_image_at(T.img, size);
	if (!loop_attach())
		cr_skip_test("no loop device available: %s", strerror(errno));
	rc = famfs_mkfs(loopdev, &(struct famfs_mkfs_opts){ 0 });
	cr_assert_eq(rc, 0, "mkfs %s: %d\n%s", loopdev, rc, T.msgs);
}

static struct famfs_media *loop_open_at(const char *dev, int flags)
{
	struct famfs_media *m = NULL;
	int rc = famfs_media_open_dev(dev, flags, &m);

	cr_assert_eq(rc, 0, "open %s: %d\n%s", dev, rc, T.msgs);
	return m;
}

static struct famfs_media *loop_open(int flags)
{
	return loop_open_at(loopdev, flags);
}

Test(blockdev, mkfs_append_fsck_reopen)
{
	struct famfs_fsck_report r;
	struct famfs_log_entry e, got;
	struct famfs_media *m;

	loop_fs(64 * MiB);
	m = loop_open(FAMFS_OPEN_RDWR);
	cr_assert_eq(famfs_media_dev_size(m), 64 * MiB);
	cr_assert(famfs_media_is_master(m));
	tfs_dir(m, "d");
	tfs_file(m, "d/f", 3 * MiB, &e);
	cr_assert_eq(le64toh(e.le_file.fi_fmap.fm_ext[0].ext_offset), META_END);
	cr_assert_eq(famfs_fsck(m, &r), 0, "%s", T.msgs);
	cr_assert_eq(r.space.used, META_END + 2 * UNIT);
	famfs_media_close(m);

	/* on the device (seen through the backing image) */
	tfs_entry_read(1, &got);
	cr_assert(memcmp(&e, &got, sizeof(e)) == 0, "entry not written through");
	m = loop_open(FAMFS_OPEN_RDONLY);
	cr_assert_eq(famfs_log_next_index(m), 2);
	cr_assert_eq(famfs_log_get(m, 1, &got), 0);
	cr_assert(memcmp(&e, &got, sizeof(e)) == 0);
	famfs_media_close(m);
	cr_assert_eq(famfs_mkfs(loopdev, &(struct famfs_mkfs_opts){ 0 }), -EEXIST);
}

Test(blockdev, two_handles_do_not_clobber_each_other)
{
	struct famfs_log_entry e;
	struct famfs_media *a, *b;
	char p[8];
	int i;

	loop_fs(64 * MiB);
	a = loop_open(FAMFS_OPEN_RDWR);
	b = loop_open(FAMFS_OPEN_RDWR);		/* both loaded an empty log */
	for (i = 0; i < 5; i++) {		/* slots 3-6 share the second 4 KiB page */
		snprintf(p, sizeof(p), "x%d", i);
		cr_assert_eq(tfs_file(a, p, 1, NULL), (uint64_t)i);
	}
	/* b's buffers are stale; under the lock it must re-read the header and the slots */
	cr_assert_eq(tfs_file(b, "y", 1, &e), 5);
	cr_assert_eq(le64toh(e.le_file.fi_fmap.fm_ext[0].ext_offset), META_END + 5 * FAMFS_SMALL_PAGE,
		     "b allocated over a's files");
	cr_assert_eq(famfs_log_append_file(b, &(struct famfs_file_req){ .path = "x0", .size = 1 },
					   NULL, NULL), -EEXIST);
	famfs_media_close(a);
	famfs_media_close(b);
	a = loop_open(FAMFS_OPEN_RDONLY);
	cr_assert_eq(famfs_log_next_index(a), 6);
	for (i = 0; i < 5; i++) {
		snprintf(p, sizeof(p), "x%d", i);
		cr_assert_eq(famfs_log_get(a, (uint64_t)i, &e), 0, "slot %d clobbered by b", i);
		cr_assert_str_eq(e.le_file.fi_path, p);
	}
	cr_assert_eq(famfs_log_get(a, 5, &e), 0);
	cr_assert_str_eq(e.le_file.fi_path, "y");
	famfs_media_close(a);
}

Test(blockdev, corruption_on_the_device_is_seen)
{
	struct famfs_log_entry e;
	struct famfs_media *m;
	uint8_t *before;

	loop_fs(64 * MiB);
	m = loop_open(FAMFS_OPEN_RDWR);
	tfs_dir(m, "a");
	tfs_dir(m, "b");
	tfs_entry_read(0, &e);
	e.le_mkdir.md_path[0] = 'z';		/* behind the open media's back */
	tfs_entry_write(0, &e, false);
	before = tfs_meta_copy();
	cr_assert_eq(famfs_log_append_mkdir(m, "c", 0755, 0, 0, NULL), -EBADMSG,
		     "append must re-read the log from the device");
	tfs_meta_unchanged(before);
	famfs_media_close(m);
	m = loop_open(FAMFS_OPEN_RDONLY);
	cr_assert_eq(famfs_log_get(m, 0, &e), -EBADMSG);
	cr_assert_eq(famfs_log_get(m, 1, &e), 0);
	famfs_media_close(m);
}

Test(blockdev, two_devices_headers_through_o_direct)
{
	static const uint64_t sizes[] = { 64 * MiB, 32 * MiB };
	struct famfs_file_req req = { .path = "i", .size = 8 * MiB, .nstrips = 2,
				      .chunk_size = 2 * MiB };
	char devs[2][64];
	const char *paths[2] = { devs[0], devs[1] };
	struct famfs_daxdev_header h;
	struct famfs_fsck_report r;
	struct famfs_dev_id id;
	struct famfs_log_entry e;
	struct famfs_media *m;
	int fds[2], i;

	for (i = 0; i < 2; i++) {
		tfs_image_at(T.imgs[i], sizes[i]);
		fds[i] = loop_attach_at(T.imgs[i], devs[i], sizeof(devs[i]));
		if (fds[i] < 0)
			cr_skip_test("no loop device available: %s", strerror(errno));
	}
	cr_assert_eq(famfs_mkfs_devs(paths, 2, &(struct famfs_mkfs_opts){ 0 }), 0, "%s", T.msgs);
	tfs_dh_read(T.imgs[1], &h);		/* on the device, seen through the image */
	cr_assert_eq(famfs_dev_header_check(&h, NULL, 0), 0);
	for (i = 0; i < 2; i++) {
		cr_assert_eq(famfs_dev_identify(devs[i], &id), 0, "%s", T.msgs);
		cr_assert_eq(id.devindex, (uint32_t)i);
		cr_assert_eq(id.dev_size, sizes[i]);
	}
	cr_assert_eq(uuid_compare(id.dev_uuid, h.dh_dev_uuid), 0);
	m = loop_open_at(devs[0], FAMFS_OPEN_RDWR);
	cr_assert_eq(famfs_sb_dev_check(famfs_media_sb(m), 1, &id, id.dev_size, NULL, 0), 0);
	cr_assert_eq(famfs_log_append_file(m, &req, NULL, &e), 0, "%s", T.msgs);
	cr_assert_eq(le32toh(e.le_file.fi_fmap.fm_ext[1].ext_devindex), 1);
	cr_assert_eq(famfs_fsck(m, &r), 0, "%s", T.msgs);
	famfs_media_close(m);
	cr_assert_eq(famfs_mkfs_devs(paths, 2, &(struct famfs_mkfs_opts){ 0 }), -EEXIST);
	cr_assert_eq(famfs_mkfs(devs[1], &(struct famfs_mkfs_opts){ 0 }), -EEXIST);
	close(fds[0]);
	close(fds[1]);
}
