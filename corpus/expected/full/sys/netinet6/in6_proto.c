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

VNET_DEFINE(struct in6_ifaddr *, in6_ifaddr);
VNET_DEFINE(struct ip6stat, ip6stat);
VNET_DEFINE(int, ip6_forwarding);
VNET_DEFINE(int, ip6_defhlim) = IPV6_DEFHLIM;
VNET_DEFINE(int, ip6_v6only) = 1;
VNET_DEFINE(int, ip6_accept_rtadv);

static int	vnet_inet6_iattach(const void *);

static const vnet_modinfo_t vnet_inet6_modinfo = {
	.vmi_id		= VNET_MOD_INET6,
	.vmi_name	= "inet6",
	.vmi_dependson	= VNET_MOD_INET,
	.vmi_iattach	= vnet_inet6_iattach
};

SYSCTL_VNET_INT(_net_inet6_ip6, IPV6CTL_FORWARDING, forwarding, CTLFLAG_RW,
    &VNET_NAME(ip6_forwarding), 0, "Forward IPv6 datagrams between interfaces");
SYSCTL_VNET_INT(_net_inet6_ip6, IPV6CTL_DEFHLIM, hlim, CTLFLAG_RW,
    &VNET_NAME(ip6_defhlim), 0, "Default hop limit");
SYSCTL_VNET_INT(_net_inet6_ip6, IPV6CTL_V6ONLY, v6only, CTLFLAG_RW,
    &VNET_NAME(ip6_v6only), 0, "Bind IPv6 sockets to IPv6 only");
SYSCTL_VNET_STRUCT(_net_inet6_ip6, IPV6CTL_STATS, stats, CTLFLAG_RD,
    &VNET_NAME(ip6stat), ip6stat, "IPv6 statistics (struct ip6stat)");

/*
 * Per-stack IPv6 defaults, then neighbor discovery.
 */
static int
vnet_inet6_iattach(const void *unused __unused)
{

	nd6_init();
	return (0);
}

static void
inet6_init(void *dummy __unused)
{

	vnet_mod_register(&vnet_inet6_modinfo);
}
SYSINIT(inet6, SI_SUB_PROTO_DOMAIN, SI_ORDER_THIRD, inet6_init, NULL);
