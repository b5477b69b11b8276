/* harness/platform/xen/xl_redact: the agent's token never reaches xen.log. */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_redacted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
