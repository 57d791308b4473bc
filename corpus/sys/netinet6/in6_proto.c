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
#include "opt_inet6.h"

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/socket.h>
#include <sys/sysctl.h>
#include <sys/vimage.h>

#include <net/if.h>
#include <net/vnet.h>

#include <netinet/in.h>
#include <netinet/ip6.h>
#include <netinet6/ip6_var.h>
#include <netinet6/nd6.h>
#include <netinet6/vinet6.h>

#ifdef VIMAGE_GLOBALS
struct	in6_ifaddr *in6_ifaddr;
struct	ip6stat ip6stat;
int	ip6_forwarding;
int	ip6_defhlim;
int	ip6_v6only;
int	ip6_accept_rtadv;
#endif

static int	vnet_inet6_iattach(const void *);

#ifndef VIMAGE_GLOBALS
static const vnet_modinfo_t vnet_inet6_modinfo = {
	.vmi_id		= VNET_MOD_INET6,
	.vmi_name	= "inet6",
	.vmi_dependson	= VNET_MOD_INET,
	.vmi_size	= sizeof(struct vnet_inet6),
	.vmi_iattach	= vnet_inet6_iattach
};
#endif

SYSCTL_V_INT(V_NET, vnet_inet6, _net_inet6_ip6, IPV6CTL_FORWARDING,
    forwarding, CTLFLAG_RW, ip6_forwarding, 0,
    "Forward IPv6 datagrams between interfaces");
SYSCTL_V_INT(V_NET, vnet_inet6, _net_inet6_ip6, IPV6CTL_DEFHLIM, hlim,
    CTLFLAG_RW, ip6_defhlim, 0, "Default hop limit");
SYSCTL_V_INT(V_NET, vnet_inet6, _net_inet6_ip6, IPV6CTL_V6ONLY, v6only,
    CTLFLAG_RW, ip6_v6only, 0, "Bind IPv6 sockets to IPv6 only");
SYSCTL_V_STRUCT(V_NET, vnet_inet6, _net_inet6_ip6, IPV6CTL_STATS, stats,
    CTLFLAG_RD, ip6stat, ip6stat, "IPv6 statistics (struct ip6stat)");

/*
 * Per-stack IPv6 defaults, then neighbor discovery.
 */
static int
vnet_inet6_iattach(const void *unused __unused)
{
	INIT_VNET_INET6(curvnet);

	V_ip6_forwarding = 0;
	V_ip6_defhlim = IPV6_DEFHLIM;
	V_ip6_v6only = 1;
	V_ip6_accept_rtadv = 0;
	V_in6_ifaddr = NULL;
	nd6_init();
	return (0);
}

static void
inet6_init(void *dummy __unused)
{

#ifndef VIMAGE_GLOBALS
	vnet_mod_register(&vnet_inet6_modinfo);
#else
	vnet_inet6_iattach(NULL);
#endif
}
SYSINIT(inet6, SI_SUB_PROTO_DOMAIN, SI_ORDER_THIRD, inet6_init, NULL);
