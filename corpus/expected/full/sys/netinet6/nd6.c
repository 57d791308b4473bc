/*-
 * Copyright (c) 2009 Sunniva Okafor
 * All rights reserved.
 *
 * Written for the vimage-migrate test corpus; not derived from FreeBSD
 * sources.  See corpus/README.md.
 */

#include <sys/cdefs.h>
__FBSDID("$FreeBSD$");

#include "opt_inet.h"
#include "opt_inet6.h"

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/callout.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/socket.h>
#include <sys/sysctl.h>
#include <sys/vimage.h>

#include <net/if.h>
#include <net/if_var.h>
#include <net/route.h>
#include <net/vnet.h>

#include <netinet/in.h>
#include <netinet/ip6.h>
#include <netinet/ip_var.h>
#include <netinet6/in6_var.h>
#include <netinet6/ip6_var.h>
#include <netinet6/nd6.h>
#include <netinet6/vinet6.h>

#define	ND6_SLOWTIMER_INTERVAL	(60 * 60)	/* seconds */
#define	ND6_RECALC_REACHTM_INTERVAL (60 * 120)	/* seconds */

VNET_DEFINE(struct nd_drhead, nd_defrouter);
VNET_DEFINE(struct nd_prhead, nd_prefix);
VNET_DEFINE(struct callout, nd6_timer_ch);
VNET_DEFINE(struct ifnet *, nd6_defifp);
VNET_DEFINE(int, nd6_defifindex);
VNET_DEFINE(int, nd6_prune) = 1;
VNET_DEFINE(int, nd6_delay) = 5;
VNET_DEFINE(int, nd6_umaxtries) = 3;
VNET_DEFINE(int, nd6_mmaxtries) = 3;
VNET_DEFINE(int, nd6_useloopback) = 1;
VNET_DEFINE(int, nd6_gctimer) = 60 * 60 * 24;
VNET_DEFINE(int, nd6_maxndopt) = 10;
VNET_DEFINE(int, nd6_maxqueuelen) = 1;
VNET_DEFINE(int, nd6_recalc_reachtm_interval) = ND6_RECALC_REACHTM_INTERVAL;
VNET_DEFINE(int, nd6_debug);

#define	V_nd6_timer_ch		VNET(nd6_timer_ch)
#define	V_nd6_defifp		VNET(nd6_defifp)
#define	V_nd6_defifindex	VNET(nd6_defifindex)
#define	V_nd6_prune		VNET(nd6_prune)
#define	V_nd6_gctimer		VNET(nd6_gctimer)
#define	V_nd6_maxndopt		VNET(nd6_maxndopt)
#define	V_nd6_maxqueuelen	VNET(nd6_maxqueuelen)
#define	V_nd6_recalc_reachtm_interval	VNET(nd6_recalc_reachtm_interval)

static struct callout nd6_slowtimo_ch;

static void	nd6_slowtimo(void *);
static int	nd6_sysctl_drlist(SYSCTL_HANDLER_ARGS);

MALLOC_DEFINE(M_IP6NDP, "ip6ndp", "IPv6 neighbor discovery");

SYSCTL_DECL(_net_inet6_icmp6);
SYSCTL_VNET_INT(_net_inet6_icmp6, ICMPV6CTL_ND6_PRUNE, nd6_prune, CTLFLAG_RW,
    &VNET_NAME(nd6_prune), 0, "Seconds between scans of the neighbor caches");
SYSCTL_VNET_INT(_net_inet6_icmp6, ICMPV6CTL_ND6_DELAY, nd6_delay, CTLFLAG_RW,
    &VNET_NAME(nd6_delay), 0, "Seconds in DELAY before the first probe");
SYSCTL_VNET_INT(_net_inet6_icmp6, ICMPV6CTL_ND6_USELOOPBACK, nd6_useloopback,
    CTLFLAG_RW, &VNET_NAME(nd6_useloopback), 0,
    "Route traffic to our own addresses through lo0");
SYSCTL_VNET_INT(_net_inet6_icmp6, OID_AUTO, nd6_debug, CTLFLAG_RW,
    &VNET_NAME(nd6_debug), 0, "Log neighbor discovery events");
SYSCTL_PROC(_net_inet6_icmp6, ICMPV6CTL_ND6_DRLIST, nd6_drlist,
    CTLFLAG_RD, NULL, 0, nd6_sysctl_drlist, "S,in6_defrouter",
    "Default router list");

/*
 * Per-stack neighbor discovery setup.
 */
void
nd6_init(void)
{

	LIST_INIT(&V_nd_prefix);
	TAILQ_INIT(&V_nd_defrouter);
	callout_init(&V_nd6_timer_ch, 0);
	callout_reset(&V_nd6_timer_ch, hz, nd6_timer, curvnet);
}

static void
nd6_init_once(void *dummy __unused)
{

	callout_init(&nd6_slowtimo_ch, 0);
	callout_reset(&nd6_slowtimo_ch, ND6_SLOWTIMER_INTERVAL * hz,
	    nd6_slowtimo, NULL);
}
SYSINIT(nd6_init_once, SI_SUB_PROTO_DOMAIN, SI_ORDER_ANY, nd6_init_once,
    NULL);

/*
 * Per-stack timer: expire default routers and prefixes.  The callout
 * argument is the stack it belongs to.
 */
void
nd6_timer(void *arg)
{
	CURVNET_SET((struct vnet *)arg);
	struct nd_defrouter *dr, *ndr;
	struct nd_prefix *pr, *npr;

	callout_reset(&V_nd6_timer_ch, V_nd6_prune * hz, nd6_timer, arg);

	TAILQ_FOREACH_SAFE(dr, &V_nd_defrouter, dr_entry, ndr) {
		if (dr->expire != 0 && dr->expire < time_second)
			defrtrlist_del(dr);
	}
	LIST_FOREACH_SAFE(pr, &V_nd_prefix, ndpr_entry, npr) {
		if (pr->ndpr_vltime == ND6_INFINITE_LIFETIME ||
		    pr->ndpr_expire == 0 || pr->ndpr_expire >= time_second)
			continue;
		/* Only drop prefixes nobody references any more. */
		if (pr->ndpr_refcnt == 0)
			prelist_remove(pr);
	}
	CURVNET_RESTORE();
}

/*
 * Choose the interface that gets traffic for scoped destinations with
 * no zone given; 0 turns the default off.
 */
int
nd6_setdefaultiface(int ifindex)
{
	int error = 0;

	if (ifindex < 0 || V_if_index < ifindex)
		return (EINVAL);
	if (ifindex != 0 && V_ipforwarding == 0 && V_ip6_forwarding != 0)
		nd6log((LOG_INFO, "nd6: default interface set on a router\n"));
	if (V_nd6_defifindex == ifindex)
		return (0);
	V_nd6_defifindex = ifindex;
	if (ifindex > 0)
		V_nd6_defifp = ifnet_byindex(ifindex);
	else
		V_nd6_defifp = NULL;
	error = scope6_setdefault(V_nd6_defifp);
	return (error);
}

/*
 * May a neighbor cache entry be created for the far end of this link?
 * Not on loopback, and not on point-to-point links of a router.
 */
int
nd6_need_cache(struct ifnet *ifp)
{

	if (ifp == V_loif || (ifp->if_flags & IFF_LOOPBACK) != 0)
		return (0);
	if ((ifp->if_flags & IFF_POINTOPOINT) != 0 &&
	    (V_ip6_forwarding != 0 || V_ipforwarding != 0))
		return (0);
	return (1);
}

/*
 * Tear down neighbor discovery state of an interface that is leaving.
 */
void
nd6_ifdetach(struct ifnet *ifp)
{
	struct nd_defrouter *dr, *next;

	TAILQ_FOREACH_SAFE(dr, &V_nd_defrouter, dr_entry, next) {
		if (dr->ifp == ifp)
			defrtrlist_del(dr);
	}
	if (V_nd6_defifp == ifp) {
		V_nd6_defifp = NULL;
		V_nd6_defifindex = 0;
	}
	free(ND_IFINFO(ifp), M_IP6NDP);
}

/*
 * Hourly: pick new random reachable times for every interface of every
 * stack, as RFC 2461 6.3.4 asks.
 */
static void
nd6_slowtimo(void *arg __unused)
{
	VNET_ITERATOR_DECL(vnet_iter);
	struct nd_ifinfo *ndi;
	struct ifnet *ifp;

	VNET_LIST_RLOCK();
	VNET_FOREACH(vnet_iter) {
		CURVNET_SET(vnet_iter);

		IFNET_RLOCK();
		TAILQ_FOREACH(ifp, &V_ifnet, if_link) {
			ndi = ND_IFINFO(ifp);
			if (ndi == NULL || ndi->basereachable == 0)
				continue;
			ndi->recalctm -= ND6_SLOWTIMER_INTERVAL;
			if (ndi->recalctm > 0)
				continue;
			ndi->recalctm = V_nd6_recalc_reachtm_interval;
			ndi->reachable =
			    ND_COMPUTE_RTIME(ndi->basereachable);
		}
		IFNET_RUNLOCK();
		CURVNET_RESTORE();
	}
	VNET_LIST_RUNLOCK();
	callout_reset(&nd6_slowtimo_ch, ND6_SLOWTIMER_INTERVAL * hz,
	    nd6_slowtimo, NULL);
}

static int
nd6_sysctl_drlist(SYSCTL_HANDLER_ARGS)
{
	struct in6_defrouter d;
	struct nd_defrouter *dr;
	int error;

	if (req->newptr != NULL)
		return (EPERM);
	error = 0;
	bzero(&d, sizeof(d));
	d.rtaddr.sin6_family = AF_INET6;
	d.rtaddr.sin6_len = sizeof(d.rtaddr);
	TAILQ_FOREACH(dr, &V_nd_defrouter, dr_entry) {
		d.rtaddr.sin6_addr = dr->rtaddr;
		d.flags = dr->flags;
		d.rtlifetime = dr->rtlifetime;
		d.expire = dr->expire;
		d.if_index = dr->ifp->if_index;
		error = SYSCTL_OUT(req, &d, sizeof(d));
		if (error != 0)
			break;
	}
	return (error);
}
