/* The traff-gen initramfs: built from stand-in files in a temporary tree,
 * checked with cpio(1) itself (listing and contents), cached by content. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness/platform/xen/initramfs.h"

static char top[256];

static void put(const char *rel, const void *data, size_t n)
{
	char path[512], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	for (slash = strchr(path + strlen(top) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static void puts_file(const char *rel, const char *s)
{
	put(rel, s, strlen(s));
}

/* An "uncompressed vmlinux": the banner somewhere in the middle. */
static void make_vmlinux(const char *rel, const char *release)
{
	char img[8192];

	memset(img, 0x90, sizeof(img));
	snprintf(img + 3000, 200, "Linux version %s (debian-kernel@lists.debian.org) #1 SMP",
		 release);
	put(rel, img, sizeof(img));
}

static int setup(void **state)
{
	snprintf(top, sizeof(top), "/tmp/mp-t-initramfs-XXXXXX");
	assert_non_null(mkdtemp(top));
	make_vmlinux("vmlinux", "6.1.0-99-test");
	puts_file("bin/mir-geninit", "#geninit\n");
	puts_file("bin/mir-trafgen.static", "#trafgen\n");
	puts_file("mods/6.1.0-99-test/modules.dep",
		  "kernel/drivers/net/e1000.ko:\n"
		  "kernel/drivers/net/xen-netfront.ko: kernel/lib/dep-b.ko kernel/lib/dep-a.ko\n"
		  "kernel/lib/dep-a.ko:\nkernel/lib/dep-b.ko: kernel/lib/dep-a.ko\n");
	puts_file("mods/6.1.0-99-test/kernel/drivers/net/xen-netfront.ko", "netfront");
	puts_file("mods/6.1.0-99-test/kernel/lib/dep-a.ko", "dep-a!");
	puts_file("mods/6.1.0-99-test/kernel/lib/dep-b.ko", "dep-b");
	return 0;
}

static int teardown(void **state)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	return system(cmd);
}

static void src_for(struct initramfs_src *s, char paths[4][512])
{
	snprintf(paths[0], 512, "%s/bin/mir-geninit", top);
	snprintf(paths[1], 512, "%s/bin/mir-trafgen.static", top);
	snprintf(paths[2], 512, "%s/vmlinux", top);
	snprintf(paths[3], 512, "%s/mods", top);
	s->geninit = paths[0];
	s->trafgen = paths[1];
	s->kernel = paths[2];
	s->modules_root = paths[3];
	s->cache_dir = NULL;
	s->iperf3 = NULL;
}

static char *run(const char *cmd)
{
	static char out[4096];
	size_t n;
	FILE *p = popen(cmd, "r");

	assert_non_null(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	assert_int_equal(pclose(p), 0);
	return out;
}

static void test_archive_listing_and_contents(void **state)
{
	struct initramfs_src s;
	char paths[4][512], out[512], cache[512], err[256] = "", cmd[1200];
	struct stat st1, st2;

	src_for(&s, paths);
	snprintf(cache, sizeof(cache), "%s/cache/initramfs", top);
	s.cache_dir = cache;
	assert_int_equal(initramfs_build(&s, out, sizeof(out), err, sizeof(err)), 0);
	assert_true(strncmp(out, cache, strlen(cache)) == 0);
	snprintf(cmd, sizeof(cmd), "cpio --quiet -it < '%s'", out);
	/* dependencies in load order: dep-a (needed by dep-b) first, netfront last */
	assert_string_equal(run(cmd), "bin\ndev\nproc\nsys\nrun\nmodules\ndev/console\ninit\n"
				      "bin/mir-trafgen\nmodules/00-dep-a.ko\nmodules/01-dep-b.ko\n"
				      "modules/02-xen-netfront.ko\n");
	snprintf(cmd, sizeof(cmd), "cpio --quiet -itv < '%s' | awk '{print $1, $NF}'", out);
	assert_non_null(strstr(run(cmd), "crw------- dev/console\n"));
	assert_non_null(strstr(run(cmd), "-rwxr-xr-x init\n"));
	snprintf(cmd, sizeof(cmd), "cpio --quiet -i --to-stdout bin/mir-trafgen < '%s'", out);
	assert_string_equal(run(cmd), "#trafgen\n");
	snprintf(cmd, sizeof(cmd), "cpio --quiet -i --to-stdout modules/00-dep-a.ko < '%s'", out);
	assert_string_equal(run(cmd), "dep-a!");

	/* same inputs: the cached file, not rewritten */
	assert_int_equal(stat(out, &st1), 0);
	{
		char again[512];

		assert_int_equal(initramfs_build(&s, again, sizeof(again), err, sizeof(err)), 0);
		assert_string_equal(again, out);
		assert_int_equal(stat(again, &st2), 0);
		assert_int_equal(st1.st_ino, st2.st_ino);
		/* new content: a new archive */
		puts_file("bin/mir-trafgen.static", "#trafgen v2\n");
		assert_int_equal(initramfs_build(&s, again, sizeof(again), err, sizeof(err)), 0);
		assert_string_not_equal(again, out);
		puts_file("bin/mir-trafgen.static", "#trafgen\n");
	}
}

static void test_errors_name_the_file(void **state)
{
	struct initramfs_src s;
	char paths[4][512], out[512], cache[512], err[512] = "";

	src_for(&s, paths);
	snprintf(cache, sizeof(cache), "%s/cache2", top);
	s.cache_dir = cache;
	s.trafgen = "/nonexistent/mir-trafgen.static";
	assert_int_equal(initramfs_build(&s, out, sizeof(out), err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/mir-trafgen.static"));

	src_for(&s, paths);
	s.cache_dir = cache;
	make_vmlinux("vmlinux-other", "6.1.0-98-none");
	snprintf(paths[2], 512, "%s/vmlinux-other", top);
	assert_int_equal(initramfs_build(&s, out, sizeof(out), err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "6.1.0-98-none"));

	s.kernel = paths[0]; /* not a kernel */
	assert_int_equal(initramfs_build(&s, out, sizeof(out), err, sizeof(err)), -ENOEXEC);
	assert_non_null(strstr(err, "no Linux version"));
}

/* The goodput mode's archive: this machine's iperf3 with every library it
 * links; as root, the archive unpacked is a root in which iperf3 runs (a
 * missing library fails there, as it would in the guest). */
static void test_iperf3_and_its_libraries(void **state)
{
	struct initramfs_src s;
	char paths[4][512], out[512], cache[512], err[512] = "", cmd[1400], *list;

	if (access("/usr/bin/iperf3", X_OK)) {
		/* tools/deps.sh installs it; without it this test cannot say anything */
		fail_msg("/usr/bin/iperf3 is missing: sudo make deps");
	}
	src_for(&s, paths);
	snprintf(cache, sizeof(cache), "%s/cache3", top);
	s.cache_dir = cache;
	s.iperf3 = "/usr/bin/iperf3";
	assert_int_equal(initramfs_build(&s, out, sizeof(out), err, sizeof(err)), 0);
	snprintf(cmd, sizeof(cmd), "cpio --quiet -it < '%s'", out);
	list = run(cmd);
	assert_non_null(strstr(list, "\nbin/iperf3\n"));
	assert_non_null(strstr(list, "\ntmp\n"));
	assert_non_null(strstr(list, "\nlib64/ld-linux-x86-64.so.2\n"));
	assert_non_null(strstr(list, "\nlib/x86_64-linux-gnu/libiperf.so.0\n"));
	assert_non_null(strstr(list, "\nlib/x86_64-linux-gnu/libc.so.6\n"));
	if (geteuid() == 0) {
		snprintf(cmd, sizeof(cmd),
			 "mkdir '%s/root' && cd '%s/root' && cpio --quiet -id < '%s' && "
			 "chroot . /bin/iperf3 --version | head -1",
			 top, top, out);
		assert_non_null(strstr(run(cmd), "iperf 3"));
	}
	/* not a program */
	s.iperf3 = paths[0];
	assert_int_equal(initramfs_build(&s, out, sizeof(out), err, sizeof(err)), -ENOEXEC);
	assert_non_null(strstr(err, paths[0]));
	assert_non_null(strstr(err, "expected a 64-bit ELF"));
}

static void test_builtin_netfront_needs_no_module(void **state)
{
	struct initramfs_src s;
	char paths[4][512], out[512], cache[512], err[256] = "", cmd[1200];

	make_vmlinux("vmlinux-builtin", "6.1.0-97-builtin");
	puts_file("mods/6.1.0-97-builtin/modules.builtin", "kernel/drivers/net/xen-netfront.ko\n");
	src_for(&s, paths);
	snprintf(paths[2], 512, "%s/vmlinux-builtin", top);
	snprintf(cache, sizeof(cache), "%s/cache3", top);
	s.cache_dir = cache;
	assert_int_equal(initramfs_build(&s, out, sizeof(out), err, sizeof(err)), 0);
	snprintf(cmd, sizeof(cmd), "cpio --quiet -it < '%s' | grep -c '^modules/' || true", out);
	assert_string_equal(run(cmd), "0\n");
}

/* A bzImage names its release in the setup header (kernel_version at 0x20e). */
static void test_bzimage_release(void **state)
{
	unsigned char img[4096];
	char rel[64], path[512];

	memset(img, 0, sizeof(img));
	memcpy(img + 0x202, "HdrS", 4);
	img[0x20e] = 0x00;
	img[0x20f] = 0x08; /* 0x800 + 0x200 = 0xa00 */
	strcpy((char *)img + 0xa00, "6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1");
	put("bzImage", img, sizeof(img));
	snprintf(path, sizeof(path), "%s/bzImage", top);
	assert_int_equal(initramfs_kernel_release(path, rel, sizeof(rel)), 0);
	assert_string_equal(rel, "6.1.0-56-amd64");
	snprintf(path, sizeof(path), "%s/vmlinux", top);
	assert_int_equal(initramfs_kernel_release(path, rel, sizeof(rel)), 0);
	assert_string_equal(rel, "6.1.0-99-test");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_archive_listing_and_contents),
	    cmocka_unit_test(test_errors_name_the_file),
	    cmocka_unit_test(test_iperf3_and_its_libraries),
	    cmocka_unit_test(test_builtin_netfront_needs_no_module),
	    cmocka_unit_test(test_bzimage_release),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
