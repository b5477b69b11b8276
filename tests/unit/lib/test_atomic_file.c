/* lib/atomic_file: files made through a directory fd, never through a
 * planted symlink, replaced whole or not at all. */
#include <errno.h>
#include <fcntl.h>
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

#include "lib/atomic_file.h"

static char top[64];
static int dfd = -1;

static int setup(void **state)
{
	snprintf(top, sizeof(top), "/tmp/mp-t-afile-XXXXXX");
	if (!mkdtemp(top))
		return -1;
	dfd = open(top, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return dfd < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	char cmd[128];

	close(dfd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	return system(cmd) ? -1 : 0;
}

static const char *slurp(const char *name)
{
	static char buf[256];
	ssize_t n;
	int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

/* Only NAME is left: no temp of ours lingers after a commit or an abort. */
static unsigned entries(void)
{
	char cmd[128];
	FILE *p;
	unsigned n = 0;
	int c;

	snprintf(cmd, sizeof(cmd), "ls -A '%s'", top);
	p = popen(cmd, "r");
	while ((c = fgetc(p)) != EOF)
		n += c == '\n';
	pclose(p);
	return n;
}

static void test_commit_replaces(void **state)
{
	struct afile a;
	struct stat st;
	FILE *f;

	assert_int_equal(afile_write_all(dfd, "doc", 0640, "old\n", 4), 0);
	assert_string_equal(slurp("doc"), "old\n");
	assert_int_equal(afile_begin(&a, dfd, "doc", 0644), 0);
	f = afile_stream(&a);
	assert_non_null(f);
	fputs("new\n", f);
	/* until the commit, readers see the old document */
	assert_string_equal(slurp("doc"), "old\n");
	assert_int_equal(afile_commit(&a, 1), 0);
	assert_string_equal(slurp("doc"), "new\n");
	assert_int_equal(fstatat(dfd, "doc", &st, 0), 0);
	assert_int_equal(st.st_mode & 07777, 0644); /* the mode asked, whatever the umask */
	assert_int_equal(entries(), 1);
}

static void test_abort_keeps_old(void **state)
{
	struct afile a;

	assert_int_equal(afile_begin(&a, dfd, "doc", 0644), 0);
	assert_int_equal(write(a.fd, "half", 4), 4);
	afile_abort(&a);
	afile_abort(&a); /* twice is harmless */
	assert_string_equal(slurp("doc"), "new\n");
	assert_int_equal(entries(), 1);
}

/* A symlink planted as NAME is replaced, its target untouched. */
/* afile_open: the stream at once, or an error with nothing left behind. */
static void test_open_stream(void **state)
{
	struct afile a;
	FILE *f = (FILE *)1;

	assert_int_equal(afile_open(&a, dfd, "bad/name", 0644, &f), -EINVAL);
	assert_null(f);
	assert_int_equal(entries(), 1);
	assert_int_equal(afile_open(&a, dfd, "doc", 0644, &f), 0);
	assert_non_null(f);
	fputs("opened\n", f);
	assert_int_equal(afile_commit(&a, 0), 0);
	assert_string_equal(slurp("doc"), "opened\n");
	assert_int_equal(entries(), 1);
}

static void test_symlink_not_followed(void **state)
{
	char victim[96], line[32];
	struct stat st;
	FILE *v;

	snprintf(victim, sizeof(victim), "%s.victim", top);
	v = fopen(victim, "w");
	fputs("precious\n", v);
	fclose(v);
	assert_int_equal(symlinkat(victim, dfd, "stats.json"), 0);
	assert_int_equal(afile_write_all(dfd, "stats.json", 0644, "{}\n", 3), 0);
	assert_int_equal(fstatat(dfd, "stats.json", &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_true(S_ISREG(st.st_mode));
	v = fopen(victim, "r");
	assert_non_null(v);
	assert_non_null(fgets(line, sizeof(line), v));
	fclose(v);
	assert_string_equal(line, "precious\n");
	unlink(victim);
	unlinkat(dfd, "stats.json", 0);
}

/* afile_create refuses any existing name: a symlink, a file. */
static void test_create_excl(void **state)
{
	int fd;

	assert_int_equal(symlinkat("/etc/passwd", dfd, "stats"), 0);
	assert_int_equal(afile_create(dfd, "stats", O_APPEND, 0644), -EEXIST);
	fd = afile_create(dfd, "fresh", O_APPEND, 0644);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(afile_create(dfd, "fresh", 0, 0644), -EEXIST);
	assert_int_equal(afile_create(dfd, "../escape", 0, 0644), -EINVAL);
	assert_int_equal(afile_begin(&(struct afile){0}, dfd, "a/b", 0644), -EINVAL);
	assert_int_equal(afile_create(dfd, "..", 0, 0644), -EINVAL);
	unlinkat(dfd, "stats", 0);
	unlinkat(dfd, "fresh", 0);
}

/* afile_append: a symlink, a FIFO or a second hard link is refused. */
static void test_append_checks(void **state)
{
	int fd;

	fd = afile_append(dfd, "gnuplot.log", 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "x", 1), 1);
	close(fd);
	fd = afile_append(dfd, "gnuplot.log", 0644);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(linkat(dfd, "gnuplot.log", dfd, "second", 0), 0);
	assert_int_equal(afile_append(dfd, "gnuplot.log", 0644), -EINVAL);
	unlinkat(dfd, "second", 0);
	assert_int_equal(symlinkat("/etc/passwd", dfd, "link.log"), 0);
	assert_int_equal(afile_append(dfd, "link.log", 0644), -ELOOP);
	assert_int_equal(mkfifoat(dfd, "fifo.log", 0644), 0);
	fd = afile_append(dfd, "fifo.log", 0644);
	assert_true(fd == -ENXIO || fd == -EINVAL); /* no reader: never blocks */
	unlinkat(dfd, "link.log", 0);
	unlinkat(dfd, "fifo.log", 0);
	unlinkat(dfd, "gnuplot.log", 0);
}

static void test_subdir(void **state)
{
	int fd;

	fd = afile_subdir(dfd, "plots", 0755);
	assert_true(fd >= 0);
	close(fd);
	fd = afile_subdir(dfd, "plots", 0755); /* already there */
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(symlinkat("/etc", dfd, "evil"), 0);
	fd = afile_subdir(dfd, "evil", 0755);
	assert_true(fd == -ENOTDIR || fd == -ELOOP);
	unlinkat(dfd, "evil", 0);
	unlinkat(dfd, "plots", AT_REMOVEDIR);
}

/* An owner set is given by fchown before the rename. */
static void test_owner(void **state)
{
	struct afile a;
	struct stat st;

	if (geteuid() != 0) {
		skip();
		return;
	}
	assert_int_equal(afile_begin(&a, dfd, "mine", 0644), 0);
	afile_set_owner(&a, 65534, 65534);
	assert_int_equal(afile_commit(&a, 0), 0);
	assert_int_equal(fstatat(dfd, "mine", &st, 0), 0);
	assert_int_equal(st.st_uid, 65534);
	assert_int_equal(st.st_gid, 65534);
	unlinkat(dfd, "mine", 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_commit_replaces), cmocka_unit_test(test_abort_keeps_old),
	    cmocka_unit_test(test_open_stream),
	    cmocka_unit_test(test_symlink_not_followed), cmocka_unit_test(test_create_excl),
	    cmocka_unit_test(test_append_checks),  cmocka_unit_test(test_subdir),
	    cmocka_unit_test(test_owner),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
