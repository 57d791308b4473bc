/*-
 * Copyright (c) 2009 Tove Branderup
 * All rights reserved.
 *
 * Written for the vimage-migrate test corpus; not derived from FreeBSD
 * sources.  See corpus/README.md.
 */

/*
 * Nodes and hooks of the ngtag node type.
 */

#include <sys/cdefs.h>
__FBSDID("$FreeBSD$");

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/socket.h>
#include <sys/vimage.h>

#include <net/if.h>
#include <net/if_var.h>
#include <net/vnet.h>

#include <vm/uma.h>

#include "ngtag_var.h"

#ifdef VIMAGE_GLOBALS
extern LIST_HEAD(, ngtag_node) ngtag_nodes;	/* defined in ngtag.c */
extern char	ngtag_defname[NGTAG_NAMELEN];
extern struct	uma_zone *ngtag_zone;
extern struct	ifnet *ngtag_lastifp;
#endif

MALLOC_DECLARE(M_NGTAG);

/*
 * Every stack starts with one node, named after net.ngtag.defname.
 */
void
ngtag_hook_init(void)
{
	struct ngtag_node *nn;

	nn = malloc(sizeof(*nn), M_NGTAG, M_WAITOK | M_ZERO);
	strlcpy(nn->nn_name, V_ngtag_defname, sizeof(nn->nn_name));
	nn->nn_tag = V_ngtag_nnodes + 1;
	LIST_INSERT_HEAD(&V_ngtag_nodes, nn, nn_link);
	V_ngtag_nnodes++;
#ifndef VIMAGE
	/* XXX: the plain name, as in the days before containers */
	if (ngtag_nnodes > 1)
		printf("ngtag: %u nodes\n", ngtag_nnodes);
#endif
}

struct ngtag_node *
ngtag_node_find(const char *name)
{
	struct ngtag_node *nn;

	LIST_FOREACH(nn, &V_ngtag_nodes, nn_link)
		if (strcmp(nn->nn_name, name) == 0)
			return (nn);
	return (NULL);
}

/*
 * A packet arrives on ifp: queue it on the node's queue, tagged.
 */
int
ngtag_input(struct ifnet *ifp, struct mbuf *m)
{
	struct ngtag_node *nn;
	struct ngtag_item *ni;
	int q;

	V_ngtag_stats.ns_in++;
	if (!V_ngtag_enable || (*V_ngtag_filter)(m, m->m_len)) {
		V_ngtag_stats.ns_filtered++;
		return (0);
	}
	nn = LIST_FIRST(&V_ngtag_nodes);
	if (nn == NULL)
		return (ENXIO);
	ni = uma_zalloc(V_ngtag_zone, M_NOWAIT | M_ZERO);
	if (ni == NULL) {
		V_ngtag_stats.ns_dropped++;
		return (ENOBUFS);
	}
	ni->ni_m = m;
	ni->ni_node = nn;
	q = nn->nn_tag % NGTAG_NQUEUES;
	TAILQ_INSERT_TAIL(&V_ngtag_queue[q], ni, ni_link);
	nn->nn_packets++;
	V_ngtag_stats.ns_tagged++;
	V_ngtag_lastifp = ifp;
	return (0);
}
