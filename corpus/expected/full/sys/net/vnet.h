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

VNET_DECLARE(struct ifnethead, ifnet);
VNET_DECLARE(struct ifgrouphead, ifg_head);
VNET_DECLARE(struct ifindex_entry *, ifindex_table);
VNET_DECLARE(int, if_index);
VNET_DECLARE(struct ifnet *, loif);
VNET_DECLARE(struct radix_node_head **, rt_tables);
VNET_DECLARE(int, rttrash);

#define	V_ifnet			VNET(ifnet)
#define	V_ifg_head		VNET(ifg_head)
#define	V_ifindex_table		VNET(ifindex_table)
#define	V_if_index		VNET(if_index)
#define	V_loif			VNET(loif)
#define	V_rt_tables		VNET(rt_tables)
#define	V_rttrash		VNET(rttrash)

#endif /* _KERNEL */

#endif /* !_NET_VNET_H_ */
