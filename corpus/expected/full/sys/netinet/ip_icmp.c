/*-
 * Copyright (c) 2009 Ilse Marten
 * All rights reserved.
 *
 * Written for the vimage-migrate test corpus; not derived from FreeBSD
 * sources.  See corpus/README.md.
 */

#include <sys/cdefs.h>
__FBSDID("$FreeBSD$");

#include "opt_inet.h"

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/mbuf.h>
#include <sys/socket.h>
#include <sys/sysctl.h>
#include <sys/vimage.h>

#include <net/if.h>
#include <net/vnet.h>

#include <netinet/in.h>
#include <netinet/in_systm.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/icmp_var.h>

VNET_DEFINE(struct icmpstat, icmpstat);
VNET_DEFINE(int, icmplim) = 200;
#ifdef ICMP_MAY_RST_DEFAULT
static VNET_DEFINE(int, icmp_may_rst) = 1;
#else
static VNET_DEFINE(int, icmp_may_rst);
#endif
static VNET_DEFINE(int, icmpbmcastecho);
VNET_DEFINE(char, reply_src[IFNAMSIZ]);
static VNET_DEFINE(u_int, icmp_quotelen) = 8;	/* XXX: u_int in struct vnet_inet */

#define	V_icmp_may_rst		VNET(icmp_may_rst)
#define	V_icmpbmcastecho	VNET(icmpbmcastecho)
#define	V_icmp_quotelen		VNET(icmp_quotelen)

static int	sysctl_icmplim(SYSCTL_HANDLER_ARGS);

SYSCTL_NODE(_net_inet, IPPROTO_ICMP, icmp, CTLFLAG_RW, 0, "ICMP");
SYSCTL_VNET_STRUCT(_net_inet_icmp, ICMPCTL_STATS, stats, CTLFLAG_RW,
    &VNET_NAME(icmpstat), icmpstat, "ICMP statistics (struct icmpstat)");
SYSCTL_VNET_PROC(_net_inet_icmp, ICMPCTL_ICMPLIM, icmplim,
    CTLTYPE_INT | CTLFLAG_RW, &VNET_NAME(icmplim), 0, sysctl_icmplim, "I",
    "Most ICMP errors sent per second (0: no limit)");
SYSCTL_VNET_INT(_net_inet_icmp, OID_AUTO, bmcastecho, CTLFLAG_RW,
    &VNET_NAME(icmpbmcastecho), 0, "Answer broadcast echo requests");
SYSCTL_VNET_STRING(_net_inet_icmp, OID_AUTO, reply_src, CTLFLAG_RW,
    &VNET_NAME(reply_src), IFNAMSIZ,
    "Interface whose address sources ICMP replies");
SYSCTL_VNET_UINT(_net_inet_icmp, OID_AUTO, quotelen, CTLFLAG_RW,
    &VNET_NAME(icmp_quotelen), 0, "Bytes of the offending datagram quoted");

/*
 * The limit comes in through arg1, which the framework has already
 * pointed at this stack's icmplim.
 */
static int
sysctl_icmplim(SYSCTL_HANDLER_ARGS)
{
	int error, val;

	VNET_SYSCTL_ARG(req, arg1);
	val = *(int *)arg1;
	error = sysctl_handle_int(oidp, &val, 0, req);
	if (error != 0 || req->newptr == NULL)
		return (error);
	if (val < 0)
		return (EINVAL);
	*(int *)arg1 = val;
	return (0);
}

/*
 * Per-stack ICMP setup, called from the inet attach.
 */
void
icmp_init(void)
{

	strlcpy(V_reply_src, "", sizeof(V_reply_src));
	bzero(&V_icmpstat, sizeof(V_icmpstat));
}

/*
 * Should one more error go out in this second?  The count lives in
 * the statistics so that it shows up under net.inet.icmp.stats.
 */
int
icmp_ratelimit(void)
{

	V_icmpstat.icps_error++;
	if (V_icmplim <= 0)
		return (0);
	return (V_icmpstat.icps_error > (u_long)V_icmplim);
}
