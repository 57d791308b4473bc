/*-
 * Copyright (c) 2008 Mirko Halvorsen
 * All rights reserved.
 *
 * Written for the vimage-migrate test corpus; not derived from FreeBSD
 * sources.  See corpus/README.md.
 *
 * $FreeBSD$
 */

/*
 * Per-stack state of the interface layer and the routing tables (the
 * NET module).
 */

#ifndef _NET_VNET_H_
#define	_NET_VNET_H_

#ifdef _KERNEL

#include <net/if_var.h>
#include <net/route.h>

struct vnet_net {
	struct	ifnethead _ifnet;
	struct	ifgrouphead _ifg_head;
	struct	ifindex_entry *_ifindex_table;
	int	_if_index;
	int	_if_indexlim;
	struct	ifnet *_loif;

	struct	radix_node_head **_rt_tables;
	int	_rttrash;
	struct	rtstat _rtstat;
	u_int	_rt_gcperiod;
};

#ifndef VIMAGE
#ifndef VIMAGE_GLOBALS
extern struct vnet_net vnet_net_0;
#endif
#endif

#ifdef VIMAGE_GLOBALS
extern struct ifnethead ifnet;
extern struct ifgrouphead ifg_head;
extern struct ifindex_entry *ifindex_table;
extern int if_index;
extern struct ifnet *loif;
extern struct radix_node_head **rt_tables;
extern int rttrash;
#endif

/*
 * Symbol translation macros
 */

#define	VNET_NET(sym)		VSYM(vnet_net, sym)

#define	V_ifg_head		VNET_NET(ifg_head)
#define	V_if_index		VNET_NET(if_index)
#define	V_if_indexlim		VNET_NET(if_indexlim)
#define	V_ifindex_table		VNET_NET(ifindex_table)
#define	V_ifnet			VNET_NET(ifnet)
#define	V_loif			VNET_NET(loif)
#define	V_rt_gcperiod		VNET_NET(rt_gcperiod)
#define	V_rt_tables		VNET_NET(rt_tables)
#define	V_rtstat		VNET_NET(rtstat)
#define	V_rttrash		VNET_NET(rttrash)

#endif /* _KERNEL */

#endif /* !_NET_VNET_H_ */
