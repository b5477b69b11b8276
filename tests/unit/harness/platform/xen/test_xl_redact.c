/* harness/platform/xen/xl_redact: the agent's token never reaches xen.log. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness/platform/xen/xl_redact.h"

static void test_redacted(void **state)
{
	char token[33] = "", text[4096];
	xentoollog_logger_stdiostream *inner;
	struct xl_redact *r;
	FILE *f = tmpfile();
	size_t n;

	assert_non_null(f);
	inner = xtl_createlogger_stdiostream(f, XTL_DEBUG, XTL_STDIOSTREAM_HIDE_PROGRESS);
	assert_non_null(inner);
	r = xl_redact_new((xentoollog_logger *)inner, token);
	assert_non_null(r);
	/* before the token exists, messages pass unchanged */
	xtl_log(xl_redact_logger(r), XTL_DEBUG, -1, "libxl", "early %s", "message");
	strcpy(token, "0123456789abcdef0123456789abcdef");
	xtl_log(xl_redact_logger(r), XTL_DEBUG, -1, "libxl",
		"cmdline: \"mirperf.token=%s mirperf.port=%d\" again %s!", token, 7000, token);
	xtl_log(xl_redact_logger(r), XTL_INFO, -1, "libxl", "%s", token);
	xl_redact_free(r);
	xtl_logger_destroy((xentoollog_logger *)inner);
	rewind(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	assert_non_null(strstr(text, "early message"));
	assert_non_null(strstr(text, "mirperf.token=<token> mirperf.port=7000\" again <token>!"));
	assert_null(strstr(text, "0123456789abcdef"));
}

/* A failed libxl call says why in one line: the first error-level message
 * since the last take (libxc's reason, before libxl's summary), redacted,
 * with errno's text, and only once. The messages are those libxl 4.17 logged
 * for a text file given as a PVH kernel. */
static void test_take_error(void **state)
{
	const char *token = "0123456789abcdef0123456789abcdef";
	xentoollog_logger_stdiostream *inner;
	xentoollog_logger *l;
	struct xl_redact *r;
	char why[512];
	FILE *f = tmpfile();

	assert_non_null(f);
	inner = xtl_createlogger_stdiostream(f, XTL_DEBUG, XTL_STDIOSTREAM_HIDE_PROGRESS);
	r = xl_redact_new((xentoollog_logger *)inner, token);
	assert_non_null(r);
	l = xl_redact_logger(r);
	xl_redact_take_error(r, why, sizeof(why));
	assert_string_equal(why, "");
	xtl_log(l, XTL_WARN, -1, "libxl", "a warning is not the reason");
	xtl_log(l, XTL_ERROR, -1, "xc",
		"panic: xc_dom_core.c:691: xc_dom_find_loader: no loader found: Invalid kernel\n");
	xtl_log(l, XTL_ERROR, EINVAL, "libxl", "libxl_dom.c:593:libxl__build_dom: "
					       "xc_dom_parse_image failed");
	xl_redact_take_error(r, why, sizeof(why));
	assert_string_equal(why, "panic: xc_dom_core.c:691: xc_dom_find_loader: no loader "
				 "found: Invalid kernel");
	xl_redact_take_error(r, why, sizeof(why)); /* taken: gone */
	assert_string_equal(why, "");
	xtl_log(l, XTL_CRITICAL, ENOENT, "libxl", "cmdline mirperf.token=%s", token);
	xl_redact_take_error(r, why, sizeof(why));
	assert_string_equal(why, "cmdline mirperf.token=<token>: No such file or directory");
	xl_redact_take_error(r, why, 8); /* truncated, terminated */
	xl_redact_take_error(NULL, why, sizeof(why));
	assert_string_equal(why, "");
	xl_redact_free(r);
	xtl_logger_destroy((xentoollog_logger *)inner);
	fclose(f);
}

/* The console stream: the secret is caught however reads split it, partial
 * look-alikes pass unchanged, and what was held back comes out at the end. */
static void test_stream_split(void **state)
{
	const char *secret = "0123456789abcdef0123456789abcdef";
	const char *text = "Kernel command line: quiet mirperf.token=0123456789abcdef0123456789abcdef "
			   "x 0123456789abcdef01 tail 0123456789abcdef0123456789abcdef";
	const char *want = "Kernel command line: quiet mirperf.token=<token> "
			   "x 0123456789abcdef01 tail <token>";
	size_t len = strlen(text), step;

	for (step = 1; step <= len; step += step < 8 ? 1 : 7) {
		struct xl_redact_stream rs;
		char got[512];
		FILE *f = tmpfile();
		size_t off, n;

		assert_non_null(f);
		assert_int_equal(xl_redact_stream_init(&rs, secret), 0);
		for (off = 0; off < len; off += step)
			assert_int_equal(xl_redact_stream_write(&rs, fileno(f), text + off,
								 off + step <= len ? step : len - off, 0),
					 0);
		assert_int_equal(xl_redact_stream_write(&rs, fileno(f), "", 0, 1), 0);
		rewind(f);
		n = fread(got, 1, sizeof(got) - 1, f);
		got[n] = '\0';
		fclose(f);
		assert_string_equal(got, want);
	}
}

/* A write whose end cannot start the secret is in the file at once, whole:
 * a run waits for the DUT's console lines (the iperf3 server's 'listening'
 * line once sat held back until the guest printed more); a tail that may
 * start it is held, and only that tail. */
static void file_is(FILE *f, const char *want)
{
	char got[256];
	size_t n;

	rewind(f);
	n = fread(got, 1, sizeof(got) - 1, f);
	got[n] = '\0';
	assert_string_equal(got, want);
}

static void test_stream_line_at_once(void **state)
{
	const char *line = "[application] mir-perf iperf3: listening on TCP port 5201\r\n";
	struct xl_redact_stream rs;
	FILE *f = tmpfile();

	assert_non_null(f);
	assert_int_equal(xl_redact_stream_init(&rs, "0123456789abcdef0123456789abcdef"), 0);
	assert_int_equal(xl_redact_stream_write(&rs, fileno(f), line, strlen(line), 0), 0);
	file_is(f, line);
	assert_int_equal(xl_redact_stream_write(&rs, fileno(f), "token=01234", 11, 0), 0);
	file_is(f, "[application] mir-perf iperf3: listening on TCP port 5201\r\ntoken=");
	assert_int_equal(xl_redact_stream_write(&rs, fileno(f), "x", 1, 0), 0);
	file_is(f, "[application] mir-perf iperf3: listening on TCP port 5201\r\ntoken=01234x");
	fclose(f);
}

static void test_stream_no_secret(void **state)
{
	struct xl_redact_stream rs;
	char got[64], long_secret[XL_REDACT_SECRET_MAX + 2];
	FILE *f = tmpfile();
	size_t n;

	memset(long_secret, 'a', sizeof(long_secret) - 1);
	long_secret[sizeof(long_secret) - 1] = '\0';
	assert_int_equal(xl_redact_stream_init(&rs, long_secret), -EINVAL);
	assert_int_equal(xl_redact_stream_init(&rs, ""), 0);
	assert_int_equal(xl_redact_stream_write(&rs, fileno(f), "as is", 5, 0), 0);
	rewind(f);
	n = fread(got, 1, sizeof(got) - 1, f);
	got[n] = '\0';
	fclose(f);
	assert_string_equal(got, "as is");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_redacted),
	    cmocka_unit_test(test_take_error),
	    cmocka_unit_test(test_stream_split),
	    cmocka_unit_test(test_stream_no_secret),
	    cmocka_unit_test(test_stream_line_at_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
