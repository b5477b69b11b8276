/* tools/xen-check/vecstate.c: does the (emulated) machine keep a program's
 * vector registers across system calls and context switches?
 * usage: vecstate SECONDS THREADS [sse]
 * Each thread fills all 16 YMM registers with a pattern of its own (new each
 * round), makes a system call that lets another thread run (sched_yield),
 * spins a little so timer interrupts land while the registers are live, and
 * reads the registers back. Any difference is a lost register state: nothing
 * the program did can change them. glibc's AVX2 string and memory functions
 * keep live state in those registers, so a machine that loses it crashes
 * ordinary programs at random (a SIGSEGV in strlen, a memcpy that copies the
 * wrong bytes). Prints one line and exits 0 when nothing was lost, 1 when
 * something was, 2 when it cannot run (no AVX: nothing to check).
 * sse: instead, each round makes a system call, spins (a vCPU switch may land
 * there), then puts a value of its own into xmm0 with legacy SSE
 * instructions (movq from a general register, punpcklqdq) and stores it at
 * once -- the sequence glibc's buffered_vfprintf compiles to, where a static
 * mir-trafgen in a PV guest found its stack buffer's write pointer NULL. A
 * machine whose first vector instruction after a lazy FPU switch does not
 * trap (#NM, CR0.TS set) writes into another context's registers; the trap
 * on the store then restores the old xmm0 and the stored value is stale.
 * Built by xen-check.sh for the dom0 it boots; diagnostic only. */
#include <cpuid.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define NREG	   16
#define MAX_THREAD 16

struct worker {
	pthread_t t;
	unsigned id;
	double seconds;
	uint64_t rounds, bad_rounds, bad_upper, bad_lower;
	uint8_t first_want[32], first_got[32];
	int first_reg;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The whole load-syscall-spin-store sequence is one asm block: the compiler
 * may not touch a vector register in between (no vzeroupper, no libc). */
static void one_round(const uint8_t in[NREG][32], uint8_t out[NREG][32])
{
	long nr = SYS_sched_yield;

	__asm__ volatile("vmovdqu 0(%[in]), %%ymm0\n\t"
			 "vmovdqu 32(%[in]), %%ymm1\n\t"
			 "vmovdqu 64(%[in]), %%ymm2\n\t"
			 "vmovdqu 96(%[in]), %%ymm3\n\t"
			 "vmovdqu 128(%[in]), %%ymm4\n\t"
			 "vmovdqu 160(%[in]), %%ymm5\n\t"
			 "vmovdqu 192(%[in]), %%ymm6\n\t"
			 "vmovdqu 224(%[in]), %%ymm7\n\t"
			 "vmovdqu 256(%[in]), %%ymm8\n\t"
			 "vmovdqu 288(%[in]), %%ymm9\n\t"
			 "vmovdqu 320(%[in]), %%ymm10\n\t"
			 "vmovdqu 352(%[in]), %%ymm11\n\t"
			 "vmovdqu 384(%[in]), %%ymm12\n\t"
			 "vmovdqu 416(%[in]), %%ymm13\n\t"
			 "vmovdqu 448(%[in]), %%ymm14\n\t"
			 "vmovdqu 480(%[in]), %%ymm15\n\t"
			 "mov %[nr], %%rax\n\t"
			 "syscall\n\t"
			 "mov $20000, %%ecx\n"
			 "1:\n\t"
			 "dec %%ecx\n\t"
			 "jnz 1b\n\t"
			 "vmovdqu %%ymm0, 0(%[out])\n\t"
			 "vmovdqu %%ymm1, 32(%[out])\n\t"
			 "vmovdqu %%ymm2, 64(%[out])\n\t"
			 "vmovdqu %%ymm3, 96(%[out])\n\t"
			 "vmovdqu %%ymm4, 128(%[out])\n\t"
			 "vmovdqu %%ymm5, 160(%[out])\n\t"
			 "vmovdqu %%ymm6, 192(%[out])\n\t"
			 "vmovdqu %%ymm7, 224(%[out])\n\t"
			 "vmovdqu %%ymm8, 256(%[out])\n\t"
			 "vmovdqu %%ymm9, 288(%[out])\n\t"
			 "vmovdqu %%ymm10, 320(%[out])\n\t"
			 "vmovdqu %%ymm11, 352(%[out])\n\t"
			 "vmovdqu %%ymm12, 384(%[out])\n\t"
			 "vmovdqu %%ymm13, 416(%[out])\n\t"
			 "vmovdqu %%ymm14, 448(%[out])\n\t"
			 "vmovdqu %%ymm15, 480(%[out])\n\t"
			 "vzeroupper\n\t"
			 :
			 : [in] "r"(in), [out] "r"(out), [nr] "r"(nr)
			 : "rax", "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
			   "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12",
			   "xmm13", "xmm14", "xmm15");
}

static int sse_mode;

static void sse_round(uint64_t v, uint8_t out[16])
{
	long nr = SYS_sched_yield;

	__asm__ volatile("mov %[nr], %%rax\n\t"
			 "syscall\n\t"
			 "mov $20000, %%ecx\n"
			 "1:\n\t"
			 "dec %%ecx\n\t"
			 "jnz 1b\n\t"
			 "movq %[v], %%xmm0\n\t"
			 "punpcklqdq %%xmm0, %%xmm0\n\t"
			 "movups %%xmm0, (%[out])\n\t"
			 :
			 : [v] "r"(v), [out] "r"(out), [nr] "r"(nr)
			 : "rax", "rcx", "r11", "memory", "xmm0");
}

static void *work_sse(struct worker *w)
{
	uint8_t want[32], out[32];
	double end = now() + w->seconds;

	while (now() < end) {
		uint64_t v = ((uint64_t)(w->id + 1) << 56) | (w->rounds * 2654435761u + 1);

		memcpy(want, &v, 8);
		memcpy(want + 8, &v, 8);
		memset(want + 16, 0, 16);
		memset(out, 0, sizeof(out));
		sse_round(v, out);
		if (memcmp(want, out, 16)) {
			if (!w->bad_rounds) {
				w->first_reg = 0;
				memcpy(w->first_want, want, 32);
				memcpy(w->first_got, out, 32);
			}
			w->bad_rounds++;
			w->bad_lower++;
		}
		w->rounds++;
	}
	return NULL;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	uint8_t in[NREG][32] __attribute__((aligned(32)));
	uint8_t out[NREG][32] __attribute__((aligned(32)));
	double end = now() + w->seconds;
	unsigned r, b;

	if (sse_mode)
		return work_sse(w);
	while (now() < end) {
		int bad = 0;

		for (r = 0; r < NREG; r++)
			for (b = 0; b < 32; b++)
				in[r][b] = (uint8_t)(w->id * 61 + w->rounds * 7 + r * 13 + b * 3 + 1);
		one_round((const uint8_t(*)[32])in, out);
		for (r = 0; r < NREG; r++) {
			int lo = memcmp(in[r], out[r], 16) != 0;
			int hi = memcmp(in[r] + 16, out[r] + 16, 16) != 0;

			if ((lo || hi) && !w->bad_rounds && !bad) {
				w->first_reg = (int)r;
				memcpy(w->first_want, in[r], 32);
				memcpy(w->first_got, out[r], 32);
			}
			w->bad_lower += lo;
			w->bad_upper += hi;
			bad |= lo | hi;
		}
		w->bad_rounds += bad;
		w->rounds++;
	}
	return NULL;
}

static int have_avx(void)
{
	unsigned a, b, c, d;
	uint32_t xcr0_lo, xcr0_hi;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_AVX) || !(c & bit_OSXSAVE))
		return 0;
	__asm__ volatile("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
	return (xcr0_lo & 6) == 6; /* the OS saves SSE and AVX state */
}

int main(int argc, char **argv)
{
	struct worker w[MAX_THREAD];
	uint64_t rounds = 0, bad = 0, upper = 0, lower = 0;
	double secs;
	int n, i, rc;

	if (argc < 3 || argc > 4 || (secs = atof(argv[1])) <= 0 || (n = atoi(argv[2])) < 1 ||
	    n > MAX_THREAD || (argc == 4 && strcmp(argv[3], "sse"))) {
		fprintf(stderr, "usage: vecstate SECONDS THREADS(1..%d) [sse]\n", MAX_THREAD);
		return 2;
	}
	sse_mode = argc == 4;
	if (!sse_mode && !have_avx()) {
		printf("vecstate: no AVX on this CPU (or the OS does not enable it): nothing to "
		       "check\n");
		return 2;
	}
	memset(w, 0, sizeof(w));
	for (i = 0; i < n; i++) {
		w[i].id = (unsigned)i;
		w[i].seconds = secs;
		rc = pthread_create(&w[i].t, NULL, work, &w[i]);
		if (rc) {
			fprintf(stderr, "vecstate: pthread_create: %s\n", strerror(rc));
			return 2;
		}
	}
	for (i = 0; i < n; i++) {
		pthread_join(w[i].t, NULL);
		rounds += w[i].rounds;
		bad += w[i].bad_rounds;
		upper += w[i].bad_upper;
		lower += w[i].bad_lower;
	}
	printf("vecstate%s: %d threads, %.0f s: %llu rounds, %llu lost register state "
	       "(%llu upper halves, %llu lower halves wrong)\n",
	       sse_mode ? " sse" : "", n, secs, (unsigned long long)rounds, (unsigned long long)bad,
	       (unsigned long long)upper, (unsigned long long)lower);
	for (i = 0; i < n; i++) {
		int b;

		if (!w[i].bad_rounds)
			continue;
		printf("vecstate: thread %d first wrong %smm%d: want", i, sse_mode ? "x" : "y",
		       w[i].first_reg);
		for (b = 31; b >= 0; b--)
			printf("%02x", w[i].first_want[b]);
		printf(" got ");
		for (b = 31; b >= 0; b--)
			printf("%02x", w[i].first_got[b]);
		printf("\n");
	}
	return bad ? 1 : 0;
}
