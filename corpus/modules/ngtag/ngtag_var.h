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

struct vnet_ngtag {
	int	_ngtag_enable;
	u_int	_ngtag_nnodes;
	u_long	_ngtag_tagged;
	char	_ngtag_defname[NGTAG_NAMELEN];
	u_char	_ngtag_key[32];
	uma_zone_t _ngtag_zone;
	struct	ngtag_stats _ngtag_stats;
	LIST_HEAD(, ngtag_node) _ngtag_nodes;
	TAILQ_HEAD(ngtag_qhead, ngtag_item) _ngtag_queue[NGTAG_NQUEUES];
	struct	callout _ngtag_callout;
	int	(*_ngtag_filter)(struct mbuf *, int);
	struct	ifnet *_ngtag_lastifp;
#ifdef NGTAG_DEBUG
	int	_ngtag_debug;
#endif
	int	_ngtag_maxqlen;
	int	_ngtag_spare;
};

/* Loadable modules built against this header check its size. */
#define	SIZEOF_vnet_ngtag	224

#if defined(VIMAGE)
#define	INIT_VNET_NGTAG(vnet)						\
	INIT_FROM_VNET(vnet, VNET_MOD_NGTAG, struct vnet_ngtag, vnet_ngtag)
#else
#define	INIT_VNET_NGTAG(vnet)
#endif

#define	VNET_NGTAG(sym)	VSYM(vnet_ngtag, sym)

#if !defined(VIMAGE) && !defined(VIMAGE_GLOBALS)
extern struct vnet_ngtag vnet_ngtag_0;
#endif

#define	V_ngtag_enable		VNET_NGTAG(ngtag_enable)
#define	V_ngtag_nnodes		VNET_NGTAG(ngtag_nnodes)
#define	V_ngtag_tagged		VNET_NGTAG(ngtag_tagged)
#define	V_ngtag_defname		VNET_NGTAG(ngtag_defname)
#define	V_ngtag_key		VNET_NGTAG(ngtag_key)
#define	V_ngtag_zone		VNET_NGTAG(ngtag_zone)
#define	V_ngtag_stats		VNET_NGTAG(ngtag_stats)
#define	V_ngtag_nodes		VNET_NGTAG(ngtag_nodes)
#define	V_ngtag_queue		VNET_NGTAG(ngtag_queue)
#define	V_ngtag_callout		VNET_NGTAG(ngtag_callout)
#define	V_ngtag_filter		VNET_NGTAG(ngtag_filter)
#define	V_ngtag_lastifp		VNET_NGTAG(ngtag_lastifp)
#ifdef NGTAG_DEBUG
#define	V_ngtag_debug		VNET_NGTAG(ngtag_debug)
#endif
#define	V_ngtag_maxqlen		VNET_NGTAG(ngtag_maxqlen)
#define	V_ngtag_spare		VNET_NGTAG(ngtag_spare)

#ifdef VIMAGE_GLOBALS
extern int	ngtag_enable;
extern u_int	ngtag_nnodes;
extern struct	ngtag_stats ngtag_stats;
extern struct	ngtag_qhead ngtag_queue[NGTAG_NQUEUES];
extern int	(*ngtag_filter)(struct mbuf *, int);
extern int	ngtag_maxqlen;
#endif

int	ngtag_input(struct ifnet *, struct mbuf *);
struct ngtag_node *ngtag_node_find(const char *);
void	ngtag_hook_init(void);
int	ngtag_default_filter(struct mbuf *, int);

#endif /* _KERNEL */

#endif /* !_NGTAG_VAR_H_ */
