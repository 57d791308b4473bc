/*-
 * Copyright (c) 2008 Mirko Halvorsen
 * All rights reserved.
 *
 * Written for the vimage-migrate test corpus; not derived from FreeBSD
 * sources.  See corpus/README.md.
 *
 * $FreeBSD$
 */

#ifndef _NETINET6_VINET6_H_
#define	_NETINET6_VINET6_H_

#ifdef _KERNEL

#include <sys/callout.h>

#include <netinet/ip6.h>
#include <netinet6/ip6_var.h>
#include <netinet6/nd6.h>

VNET_DECLARE(struct in6_ifaddr *, in6_ifaddr);
VNET_DECLARE(struct ip6stat, ip6stat);
VNET_DECLARE(int, ip6_forwarding);
VNET_DECLARE(int, ip6_defhlim);
VNET_DECLARE(int, ip6_v6only);
VNET_DECLARE(int, ip6_accept_rtadv);
VNET_DECLARE(struct nd_drhead, nd_defrouter);
VNET_DECLARE(struct nd_prhead, nd_prefix);
VNET_DECLARE(int, nd6_debug);
VNET_DECLARE(int, nd6_delay);
VNET_DECLARE(int, nd6_mmaxtries);
VNET_DECLARE(int, nd6_umaxtries);
VNET_DECLARE(int, nd6_useloopback);

#define	V_in6_ifaddr		VNET(in6_ifaddr)
#define	V_ip6stat		VNET(ip6stat)
#define	V_ip6_forwarding	VNET(ip6_forwarding)
#define	V_ip6_defhlim		VNET(ip6_defhlim)
#define	V_ip6_v6only		VNET(ip6_v6only)
#define	V_ip6_accept_rtadv	VNET(ip6_accept_rtadv)
#define	V_nd_defrouter		VNET(nd_defrouter)
#define	V_nd_prefix		VNET(nd_prefix)
#define	V_nd6_debug		VNET(nd6_debug)
#define	V_nd6_delay		VNET(nd6_delay)
#define	V_nd6_mmaxtries		VNET(nd6_mmaxtries)
#define	V_nd6_umaxtries		VNET(nd6_umaxtries)
#define	V_nd6_useloopback	VNET(nd6_useloopback)

#endif /* _KERNEL */

#endif /* !_NETINET6_VINET6_H_ */
