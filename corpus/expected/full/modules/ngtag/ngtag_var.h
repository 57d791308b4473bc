/*-
 * Copyright (c) 2009 Tove Branderup
 * All rights reserved.
 *
 * Written for the vimage-migrate test corpus; not derived from FreeBSD
 * sources.  See corpus/README.md.
 *
 * $FreeBSD$
 */

/*
 * ngtag: a netgraph-like node type that stamps a tag on the packets
 * passing through its hooks.  Each network stack has its own set of
 * nodes, queues and counters (the NGTAG container).
 */

#ifndef _NGTAG_VAR_H_
#define	_NGTAG_VAR_H_

#define	NGTAG_NQUEUES		4
#define	NGTAG_NAMELEN		IFNAMSIZ

struct ngtag_stats {
	u_long	ns_in;			/* packets seen */
	u_long	ns_tagged;		/* packets tagged */
	u_long	ns_dropped;		/* queue full */
	u_long	ns_filtered;		/* refused by the filter hook */
};

struct ngtag_node {
	LIST_ENTRY(ngtag_node) nn_link;
	char	nn_name[NGTAG_NAMELEN];
	u_int	nn_tag;
	u_long	nn_packets;
};

struct ngtag_item {
	TAILQ_ENTRY(ngtag_item) ni_link;
	struct	mbuf *ni_m;
	struct	ngtag_node *ni_node;
};

typedef int ngtag_filter_t(struct mbuf *, int);

#ifdef _KERNEL

#define	VNET_MOD_NGTAG		(VNET_MOD_DYNAMIC_START + 5)

VNET_DECLARE(int, ngtag_enable);
VNET_DECLARE(u_int, ngtag_nnodes);
VNET_DECLARE(struct ngtag_stats, ngtag_stats);
VNET_DECLARE(TAILQ_HEAD(ngtag_qhead, ngtag_item), ngtag_queue[NGTAG_NQUEUES]);
VNET_DECLARE(ngtag_filter_t *, ngtag_filter);
VNET_DECLARE(int, ngtag_maxqlen);

#define	V_ngtag_enable		VNET(ngtag_enable)
#define	V_ngtag_nnodes		VNET(ngtag_nnodes)
#define	V_ngtag_stats		VNET(ngtag_stats)
#define	V_ngtag_queue		VNET(ngtag_queue)
#define	V_ngtag_filter		VNET(ngtag_filter)
#define	V_ngtag_maxqlen		VNET(ngtag_maxqlen)

int	ngtag_input(struct ifnet *, struct mbuf *);
struct ngtag_node *ngtag_node_find(const char *);
void	ngtag_hook_init(void);
int	ngtag_default_filter(struct mbuf *, int);

#endif /* _KERNEL */

#endif /* !_NGTAG_VAR_H_ */
