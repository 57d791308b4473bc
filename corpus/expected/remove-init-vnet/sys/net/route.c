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
#include "opt_route.h"

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/domain.h>
#include <sys/kernel.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/proc.h>
#include <sys/socket.h>
#include <sys/sysctl.h>
#include <sys/vimage.h>

#include <net/if.h>
#include <net/if_var.h>
#include <net/radix.h>
#include <net/route.h>
#include <net/vnet.h>

#include <vm/uma.h>

#ifdef VIMAGE_GLOBALS
struct	radix_node_head **rt_tables;	/* rt_numfibs * (AF_MAX + 1) heads */
int	rttrash;			/* routes off the tree, not yet freed */
struct	rtstat rtstat;
static	u_int rt_gcperiod;		/* seconds between trash scans */
#endif

u_int	rt_numfibs = RT_NUMFIBS;
TUNABLE_INT("net.fibs", &rt_numfibs);

static	uma_zone_t rtzone;

/*
 * The heads of all FIBs live in one flat array, (AF_MAX + 1) of them
 * per FIB.
 */
#define	RT_TABLE_SLOT(fib, af)	((fib) * (AF_MAX + 1) + (af))

static int	vnet_route_iattach(const void *);

#ifndef VIMAGE_GLOBALS
static const vnet_modinfo_t vnet_rtable_modinfo = {
	.vmi_id		= VNET_MOD_RTABLE,
	.vmi_name	= "rtable",
	.vmi_dependson	= VNET_MOD_NET,
	.vmi_iattach	= vnet_route_iattach
};
#endif

SYSCTL_V_STRUCT(V_NET, vnet_net, _net_route, OID_AUTO, stats, CTLFLAG_RD,
    rtstat, rtstat, "Routing statistics (struct rtstat, net/route.h)");

static void
route_init(void *dummy __unused)
{

	if (rt_numfibs > RT_MAXFIBS)
		rt_numfibs = RT_MAXFIBS;
	if (rt_numfibs == 0)
		rt_numfibs = 1;
	rtzone = uma_zcreate("rtentry", sizeof(struct rtentry), NULL, NULL,
	    NULL, NULL, UMA_ALIGN_PTR, 0);
	rn_init();
#ifndef VIMAGE_GLOBALS
	vnet_mod_register(&vnet_rtable_modinfo);
#else
	vnet_route_iattach(NULL);
#endif
}
SYSINIT(route_init, SI_SUB_PROTO_DOMAIN, SI_ORDER_THIRD, route_init, NULL);

static int
vnet_route_iattach(const void *unused __unused)
{
	struct radix_node_head **rnh;
	struct domain *dom;
	int fam, fib;

	V_rt_tables = malloc(rt_numfibs * (AF_MAX + 1) * sizeof(void *),
	    M_RTABLE, M_WAITOK | M_ZERO);
	V_rttrash = 0;
	V_rt_gcperiod = 30;
	for (dom = domains; dom != NULL; dom = dom->dom_next) {
		if (dom->dom_rtattach == NULL)
			continue;
		fam = dom->dom_family;
		for (fib = 0; fib < rt_numfibs; fib++) {
			rnh = &V_rt_tables[RT_TABLE_SLOT(fib, fam)];
			dom->dom_rtattach((void **)rnh, dom->dom_rtoffset);
		}
	}
	return (0);
}

struct radix_node_head *
rt_tables_get_rnh(int fibnum, int af)
{
	if (fibnum < 0 || fibnum >= rt_numfibs || af < 0 || af > AF_MAX)
		return (NULL);
	return (V_rt_tables[RT_TABLE_SLOT(fibnum, af)]);
}

/*
 * Find the route to dst in the given FIB.  The entry comes back locked
 * and with a reference; a miss is counted and, if asked for, reported
 * on the routing socket.
 */
struct rtentry *
rtalloc1_fib(struct sockaddr *dst, int report, u_int fibnum)
{
	struct radix_node_head *rnh;
	struct radix_node *rn;
	struct rtentry *rt;
	struct rt_addrinfo info;

	rnh = rt_tables_get_rnh(fibnum, dst->sa_family);
	if (rnh == NULL)
		goto miss;
	RADIX_NODE_HEAD_LOCK(rnh);
	rn = rnh->rnh_matchaddr(dst, rnh);
	if (rn == NULL || (rn->rn_flags & RNF_ROOT) != 0) {
		RADIX_NODE_HEAD_UNLOCK(rnh);
		goto miss;
	}
	rt = RNTORT(rn);
	RT_LOCK(rt);
	RT_ADDREF(rt);
	RADIX_NODE_HEAD_UNLOCK(rnh);
	return (rt);

miss:
	V_rtstat.rts_unreach++;
	if (report) {
		bzero(&info, sizeof(info));
		info.rti_info[RTAX_DST] = dst;
		rt_missmsg(RTM_MISS, &info, 0, 0);
	}
	return (NULL);
}

/*
 * Drop a reference on a locked route.  The last reference of a route
 * that is already off the tree frees it.
 */
void
rtfree(rt)
	struct rtentry *rt;
{

	RT_LOCK_ASSERT(rt);
	if (--rt->rt_refcnt > 0 || (rt->rt_flags & RTF_UP) != 0) {
		RT_UNLOCK(rt);
		return;
	}
	KASSERT(rt->rt_refcnt == 0, ("%s: negative refcnt", __func__));
	V_rttrash--;
	if (rt->rt_ifa != NULL)
		IFAFREE(rt->rt_ifa);
	if (rt->rt_gwroute != NULL)
		RTFREE(rt->rt_gwroute);
	R_Free(rt_key(rt));
	RT_LOCK_DESTROY(rt);
	uma_zfree(rtzone, rt);
}

/*
 * Report how many routes are waiting to be freed; used by netstat -rs
 * through a kvm read of the stack's container in older releases.
 */
int
rt_trash_count(fibnum)
	u_int fibnum;
{
	int n;

	n = V_rttrash;
	if (fibnum >= rt_numfibs)
		return (-1);
	return (n);
}
