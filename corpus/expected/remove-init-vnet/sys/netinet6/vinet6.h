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

struct vnet_inet6 {
	struct	in6_ifaddr *_in6_ifaddr;
	struct	ip6stat _ip6stat;
	int	_ip6_forwarding;
	int	_ip6_defhlim;
	int	_ip6_v6only;
	int	_ip6_accept_rtadv;

	/* nd6.c */
	struct	nd_drhead _nd_defrouter;
	struct	nd_prhead _nd_prefix;
	struct	callout _nd6_timer_ch;
	struct	ifnet *_nd6_defifp;
	int	_nd6_defifindex;
	int	_nd6_prune;
	int	_nd6_delay;
	int	_nd6_umaxtries;
	int	_nd6_mmaxtries;
	int	_nd6_useloopback;
	int	_nd6_gctimer;
	int	_nd6_maxndopt;
	int	_nd6_maxqueuelen;
	int	_nd6_recalc_reachtm_interval;
	int	_nd6_debug;
};

#ifndef VIMAGE
#ifndef VIMAGE_GLOBALS
extern struct vnet_inet6 vnet_inet6_0;
#endif
#endif

#define	VNET_INET6(sym)		VSYM(vnet_inet6, sym)

#ifdef VIMAGE_GLOBALS
extern struct in6_ifaddr *in6_ifaddr;
extern struct ip6stat ip6stat;
extern int ip6_forwarding;
extern int ip6_defhlim;
extern int ip6_v6only;
extern int ip6_accept_rtadv;
extern struct nd_drhead nd_defrouter;
extern struct nd_prhead nd_prefix;
extern int nd6_debug;
extern int nd6_delay;
extern int nd6_mmaxtries;
extern int nd6_umaxtries;
extern int nd6_useloopback;
#endif

/*
 * Symbol translation macros
 */
#define	V_in6_ifaddr		VNET_INET6(in6_ifaddr)
#define	V_ip6_accept_rtadv	VNET_INET6(ip6_accept_rtadv)
#define	V_ip6_defhlim		VNET_INET6(ip6_defhlim)
#define	V_ip6_forwarding	VNET_INET6(ip6_forwarding)
#define	V_ip6_v6only		VNET_INET6(ip6_v6only)
#define	V_ip6stat		VNET_INET6(ip6stat)
#define	V_nd6_debug		VNET_INET6(nd6_debug)
#define	V_nd6_defifindex	VNET_INET6(nd6_defifindex)
#define	V_nd6_defifp		VNET_INET6(nd6_defifp)
#define	V_nd6_delay		VNET_INET6(nd6_delay)
#define	V_nd6_gctimer		VNET_INET6(nd6_gctimer)
#define	V_nd6_maxndopt		VNET_INET6(nd6_maxndopt)
#define	V_nd6_maxqueuelen	VNET_INET6(nd6_maxqueuelen)
#define	V_nd6_mmaxtries		VNET_INET6(nd6_mmaxtries)
#define	V_nd6_prune		VNET_INET6(nd6_prune)
#define	V_nd6_recalc_reachtm_interval	VNET_INET6(nd6_recalc_reachtm_interval)
#define	V_nd6_timer_ch		VNET_INET6(nd6_timer_ch)
#define	V_nd6_umaxtries		VNET_INET6(nd6_umaxtries)
#define	V_nd6_useloopback	VNET_INET6(nd6_useloopback)
#define	V_nd_defrouter		VNET_INET6(nd_defrouter)
#define	V_nd_prefix		VNET_INET6(nd_prefix)

#endif /* _KERNEL */

#endif /* !_NETINET6_VINET6_H_ */
