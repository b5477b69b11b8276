/* The sink's own XDP program (xsk_int.h: xsk_stamp_attach): each frame's
 * arrival time, from the kernel's CLOCK_MONOTONIC (bpf_ktime_get_ns, the
 * clock the generator stamps with), is written into the frame's XDP
 * metadata, which copy mode hands to user space in front of the frame;
 * then the frame goes to the AF_XDP socket of its receive queue (passed to
 * the stack when there is none). A dozen instructions, kept here as
 * bytecode: no BPF compiler at build time. */
#include <errno.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "trafgen/xsk.h"
#include "trafgen/xsk_int.h"

#define INSN(c, d, s, o, i)                                                                        \
	{                                                                                          \
		.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)                \
	}
#define XDP_MD_DATA  0	/* offsetof(struct xdp_md, data) */
#define XDP_MD_META  8	/* data_meta */
#define XDP_MD_QUEUE 16 /* rx_queue_index */

int xsk_stamp_attach(const char *ifname, unsigned nq, int *map_fd, int *link_fd)
{
	struct bpf_insn prog[] = {
	    /* 0 */ INSN(BPF_ALU64 | BPF_MOV | BPF_X, 6, 1, 0, 0), /* r6 = ctx */
	    /* 1 */ INSN(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, -XSK_STAMP_LEN),
	    /* 2 */ INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_xdp_adjust_meta),
	    /* 3 */ INSN(BPF_JMP | BPF_JNE | BPF_K, 0, 0, 7, 0), /* no room: unstamped */
	    /* 4 */ INSN(BPF_LDX | BPF_MEM | BPF_W, 7, 6, XDP_MD_META, 0),
	    /* 5 */ INSN(BPF_LDX | BPF_MEM | BPF_W, 8, 6, XDP_MD_DATA, 0),
	    /* 6 */ INSN(BPF_ALU64 | BPF_MOV | BPF_X, 9, 7, 0, 0),
	    /* 7 */ INSN(BPF_ALU64 | BPF_ADD | BPF_K, 9, 0, 0, XSK_STAMP_LEN),
	    /* 8 */ INSN(BPF_JMP | BPF_JGT | BPF_X, 9, 8, 2, 0), /* the verifier's bound */
	    /* 9 */ INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_ktime_get_ns),
	    /* 10 */ INSN(BPF_STX | BPF_MEM | BPF_DW, 7, 0, 0, 0), /* meta = now */
	    /* 11 */ INSN(BPF_LDX | BPF_MEM | BPF_W, 2, 6, XDP_MD_QUEUE, 0),
	    /* 12 */ INSN(BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_FD, 0, 0), /* the map */
	    /* 13 */ INSN(0, 0, 0, 0, 0),
	    /* 14 */ INSN(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, XDP_PASS), /* no socket */
	    /* 15 */ INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_redirect_map),
	    /* 16 */ INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	LIBBPF_OPTS(bpf_link_create_opts, lo, .flags = XDP_FLAGS_DRV_MODE);
	int ifindex, mfd = -1, pfd = -1, lfd = -1, rc;

	*map_fd = *link_fd = -1;
	ifindex = (int)if_nametoindex(ifname);
	if (!ifindex)
		return -errno;
	mfd =
	    bpf_map_create(BPF_MAP_TYPE_XSKMAP, "mp_sink_xsks", sizeof(int), sizeof(int), nq, NULL);
	if (mfd < 0) {
		rc = mfd;
		goto out;
	}
	prog[12].imm = mfd;
	pfd = bpf_prog_load(BPF_PROG_TYPE_XDP, "mp_sink_stamp", "GPL", prog,
			    sizeof(prog) / sizeof(prog[0]), NULL);
	if (pfd < 0) {
		rc = pfd;
		goto out;
	}
	/* A link, not a netlink attach: the kernel detaches the program when
	 * the sink's last descriptor of it closes, even when it is killed. */
	lfd = bpf_link_create(pfd, ifindex, BPF_XDP, &lo);
	if (lfd < 0) {
		rc = lfd;
		goto out;
	}
	*map_fd = mfd;
	*link_fd = lfd;
	mfd = lfd = -1;
	rc = 0;
out:
	if (pfd >= 0)
		close(pfd); /* the link holds the program */
	if (mfd >= 0)
		close(mfd);
	if (lfd >= 0)
		close(lfd);
	return rc;
}
