/*-
 * Copyright (c) 2008, 2009 Mirko Halvorsen
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
#include <sys/kernel.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/priv.h>
#include <sys/proc.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/sockio.h>
#include <sys/sx.h>
#include <sys/sysctl.h>
#include <sys/vimage.h>

#include <net/if.h>
#include <net/if_clone.h>
#include <net/if_var.h>
#include <net/route.h>
#include <net/vnet.h>

#ifdef INET6
#include <netinet6/in6_var.h>
#include <netinet6/nd6.h>
#include <netinet6/vinet6.h>
#endif

static int	vnet_net_iattach(const void *);
static void	if_grow(void);
static void	if_watchdog_tick(void *);
static int	sysctl_ifcount(SYSCTL_HANDLER_ARGS);

#ifdef VIMAGE_GLOBALS
struct	ifnethead ifnet;	/* every attached interface */
struct	ifgrouphead ifg_head;	/* interface groups */
struct	ifindex_entry *ifindex_table;
int	if_index;
static	int if_indexlim;
struct	ifnet *loif;		/* first loopback interface */
#endif

#if defined(INET6) && defined(VIMAGE_GLOBALS)
extern struct ifnet *nd6_defifp;	/* owned by nd6.c */
#endif

struct	sx ifnet_sxlock;
static	struct callout if_watchdog_ch;

MALLOC_DEFINE(M_IFNET, "ifnet", "interface internals");

#ifndef VIMAGE_GLOBALS
static const vnet_modinfo_t vnet_net_modinfo = {
	.vmi_id		= VNET_MOD_NET,
	.vmi_name	= "net",
	.vmi_size	= sizeof(struct vnet_net),
	.vmi_iattach	= vnet_net_iattach
};
#endif

SYSCTL_NODE(_net, PF_LINK, link, CTLFLAG_RW, 0, "Link layers");
SYSCTL_NODE(_net_link, 0, generic, CTLFLAG_RW, 0,
    "Generic link-management");
SYSCTL_V_PROC(V_NET, vnet_net, _net_link_generic, OID_AUTO, ifcount,
    CTLTYPE_INT | CTLFLAG_RD, if_index, 0, sysctl_ifcount, "I",
    "Number of interface slots in use");

/*
 * Set up the interface lists of a freshly created network stack.
 */
static int
vnet_net_iattach(const void *unused __unused)
{

	TAILQ_INIT(&V_ifnet);
	TAILQ_INIT(&V_ifg_head);
	V_if_index = 0;
	V_if_indexlim = 8;
	V_ifindex_table = NULL;
	if_grow();
	return (0);
}

static void
if_init(void *dummy __unused)
{

	sx_init(&ifnet_sxlock, "ifnet_sx");
#ifndef VIMAGE_GLOBALS
	vnet_mod_register(&vnet_net_modinfo);
#else
	vnet_net_iattach(NULL);
#endif
	callout_init(&if_watchdog_ch, CALLOUT_MPSAFE);
	if_watchdog_tick(NULL);
}
SYSINIT(interfaces, SI_SUB_INIT_IF, SI_ORDER_FIRST, if_init, NULL);

/*
 * Double the size of the interface index table.  The new table is
 * swapped in under the ifnet lock; the old one is freed afterwards.
 */
static void
if_grow(void)
{
	struct ifindex_entry *e, *old;
	u_int n;

	n = V_if_indexlim * 2;
	e = malloc(n * sizeof(*e), M_IFNET, M_WAITOK | M_ZERO);
	IFNET_WLOCK();
	old = V_ifindex_table;
	if (old != NULL)
		bcopy(old, e, V_if_indexlim * sizeof(*e));
	V_ifindex_table = e;
	V_if_indexlim = n;
	IFNET_WUNLOCK();
	if (old != NULL)
		free(old, M_IFNET);
}

struct ifnet *
ifnet_byindex(u_short idx)
{
	struct ifnet *ifp;

	IFNET_RLOCK();
	if (idx > V_if_index)
		ifp = NULL;
	else
		ifp = V_ifindex_table[idx].ife_ifnet;
	IFNET_RUNLOCK();
	return (ifp);
}

/*
 * Look an interface up by its full name ("em0").
 */
struct ifnet *
ifunit(const char *name)
{
	struct ifnet *ifp;

	IFNET_RLOCK();
	TAILQ_FOREACH(ifp, &V_ifnet, if_link) {
		if (strncmp(name, ifp->if_xname, IFNAMSIZ) == 0)
			break;
	}
	IFNET_RUNLOCK();
	return (ifp);
}

/*
 * Take an interface off the lists of its stack and give its index back.
 * Protocol state hanging off the interface goes first.
 */
void
if_detach(struct ifnet *ifp)
{
	struct ifaddr *ifa, *next;
	struct ifnet *iter;
	int found;

	found = 0;
	IFNET_WLOCK();
	TAILQ_FOREACH(iter, &V_ifnet, if_link) {
		if (iter == ifp) {
			TAILQ_REMOVE(&V_ifnet, ifp, if_link);
			found = 1;
			break;
		}
	}
	IFNET_WUNLOCK();
	if (!found)
		return;

	if_down(ifp);
#ifdef INET6
	if (V_nd6_defifp == ifp)
		nd6_setdefaultiface(0);
	in6_ifdetach(ifp);
#endif
	TAILQ_FOREACH_SAFE(ifa, &ifp->if_addrhead, ifa_link, next) {
		TAILQ_REMOVE(&ifp->if_addrhead, ifa, ifa_link);
		IFAFREE(ifa);
	}
	rt_ifannouncemsg(ifp, IFAN_DEPARTURE);

	IFNET_WLOCK();
	V_ifindex_table[ifp->if_index].ife_ifnet = NULL;
	while (V_if_index > 0 &&
	    V_ifindex_table[V_if_index].ife_ifnet == NULL)
		V_if_index--;
	IFNET_WUNLOCK();
}

static int
sysctl_ifcount(SYSCTL_HANDLER_ARGS)
{
	int count;

	count = V_if_index + 1;
	return (sysctl_handle_int(oidp, &count, 0, req));
}

/*
 * Once a second, walk the interfaces of every stack and fire the
 * watchdog of each one whose timer just ran out.
 */
static void
if_watchdog_tick(void *arg __unused)
{
	VNET_ITERATOR_DECL(vnet_iter);
	struct ifnet *ifp;

	VNET_LIST_RLOCK();
	VNET_FOREACH(vnet_iter) {
		CURVNET_SET(vnet_iter);
		IFNET_RLOCK();
		TAILQ_FOREACH(ifp, &V_ifnet, if_link) {
			if (ifp->if_timer == 0 || --ifp->if_timer > 0)
				continue;
			if (ifp->if_watchdog != NULL)
				(*ifp->if_watchdog)(ifp);
		}
		IFNET_RUNLOCK();
		CURVNET_RESTORE();
	}
	VNET_LIST_RUNLOCK();
	callout_reset(&if_watchdog_ch, hz, if_watchdog_tick, NULL);
}

/*
 * Socket ioctls on interfaces.  Cloning and the interface list are
 * handled here; everything else goes to the driver first and then to
 * the protocol of the socket.
 */
int
ifioctl(struct socket *so, u_long cmd, caddr_t data, struct thread *td)
{
	struct ifreq *ifr;
	struct ifnet *ifp;
	int error;

	ifr = (struct ifreq *)data;
	switch (cmd) {
	case SIOCGIFCONF:
		return (ifconf(cmd, data));
	case SIOCIFCREATE:
	case SIOCIFDESTROY:
		error = priv_check(td, PRIV_NET_IFCREATE);
		if (error != 0)
			return (error);
		if (cmd == SIOCIFCREATE)
			return (if_clone_create(ifr->ifr_name,
			    sizeof(ifr->ifr_name), NULL));
		return (if_clone_destroy(ifr->ifr_name));
	}

	/* A stack without interfaces has nothing to configure. */
	if (V_if_index == 0)
		return (ENXIO);
	ifp = ifunit(ifr->ifr_name);
	if (ifp == NULL)
		return (ENXIO);
	error = ifhwioctl(cmd, ifp, data, td);
	if (error != ENOIOCTL)
		return (error);
	if (so->so_proto == NULL)
		return (EOPNOTSUPP);
	return ((*so->so_proto->pr_usrreqs->pru_control)(so, cmd, data,
	    ifp, td));
}
