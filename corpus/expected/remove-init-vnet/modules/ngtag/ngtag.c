/*-
 * Copyright (c) 2009 Tove Branderup
 * All rights reserved.
 *
 * Written for the vimage-migrate test corpus; not derived from FreeBSD
 * sources.  See corpus/README.md.
 */

#include <sys/cdefs.h>
__FBSDID("$FreeBSD$");

#include "opt_inet.h"

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/module.h>
#include <sys/socket.h>
#include <sys/sysctl.h>
#include <sys/vimage.h>

#include <net/if.h>
#include <net/if_var.h>
#include <net/vnet.h>

#include <vm/uma.h>

#include "ngtag_var.h"

#ifdef VIMAGE_GLOBALS
int	ngtag_enable;
u_int	ngtag_nnodes;
static	u_long ngtag_tagged;
char	ngtag_defname[NGTAG_NAMELEN];
static	u_char ngtag_key[32];
uma_zone_t ngtag_zone;
struct	ngtag_stats ngtag_stats;
LIST_HEAD(, ngtag_node) ngtag_nodes;
struct	ngtag_qhead ngtag_queue[NGTAG_NQUEUES];
static	struct callout ngtag_callout;
int	(*ngtag_filter)(struct mbuf *, int);
struct	ifnet *ngtag_lastifp;
int	ngtag_maxqlen;
#endif

#if !defined(VIMAGE) && !defined(VIMAGE_GLOBALS)
struct vnet_ngtag vnet_ngtag_0;
#endif

MALLOC_DEFINE(M_NGTAG, "ngtag", "ngtag nodes");

static int	ngtag_iattach(const void *);
static int	ngtag_idetach(const void *);
static int	sysctl_ngtag_nnodes(SYSCTL_HANDLER_ARGS);
static int	sysctl_ngtag_total(SYSCTL_HANDLER_ARGS);
static void	ngtag_tick(void *);

#ifndef VIMAGE_GLOBALS
VIMAGE_CTASSERT(SIZEOF_vnet_ngtag, sizeof(struct vnet_ngtag));

static struct vnet_symmap vnet_ngtag_symmap[] = {
	VNET_SYMMAP(ngtag, ngtag_enable),
	VNET_SYMMAP(ngtag, ngtag_nnodes),
	VNET_SYMMAP(ngtag, ngtag_tagged),
	VNET_SYMMAP(ngtag, ngtag_stats),
	VNET_SYMMAP(ngtag, ngtag_nodes),
	VNET_SYMMAP_END
};

static const vnet_modinfo_t vnet_ngtag_modinfo = {
	.vmi_id		= VNET_MOD_NGTAG,
	.vmi_name	= "ngtag",
	.vmi_dependson	= VNET_MOD_NET,
	.vmi_size	= sizeof(struct vnet_ngtag),
	.vmi_symmap	= vnet_ngtag_symmap,
	.vmi_iattach	= ngtag_iattach,
	.vmi_idetach	= ngtag_idetach
};
#endif

SYSCTL_NODE(_net, OID_AUTO, ngtag, CTLFLAG_RW, 0, "ngtag node type");
SYSCTL_V_INT(V_NET, vnet_ngtag, _net_ngtag, OID_AUTO, enable, CTLFLAG_RW,
    ngtag_enable, 0, "Tag packets");
SYSCTL_V_PROC(V_NET, vnet_ngtag, _net_ngtag, OID_AUTO, nnodes,
    CTLTYPE_UINT | CTLFLAG_RD, ngtag_nnodes, 0, sysctl_ngtag_nnodes, "IU",
    "Nodes in this stack");
SYSCTL_V_STRING(V_NET, vnet_ngtag, _net_ngtag, OID_AUTO, defname,
    CTLFLAG_RW, ngtag_defname, NGTAG_NAMELEN, "Name of the default node");
SYSCTL_V_STRUCT(V_NET, vnet_ngtag, _net_ngtag, OID_AUTO, stats, CTLFLAG_RW,
    ngtag_stats, ngtag_stats, "ngtag statistics (struct ngtag_stats)");
SYSCTL_V_INT(V_NET, vnet_ngtag, _net_ngtag, OID_AUTO, maxqlen, CTLFLAG_RW,
    ngtag_maxqlen, 0, "Longest queue per hook");
SYSCTL_PROC(_net_ngtag, OID_AUTO, total, CTLTYPE_ULONG | CTLFLAG_RD, NULL,
    0, sysctl_ngtag_total, "LU", "Packets tagged in all stacks");

/*
 * The node count is kept by the node code; the handler ignores arg1 and
 * reads the stack's counter directly.
 */
static int
sysctl_ngtag_nnodes(SYSCTL_HANDLER_ARGS)
{
	u_int n;

	n = V_ngtag_nnodes;
	return (SYSCTL_OUT(req, &n, sizeof(n)));
}

/*
 * Sum over every stack, reading each stack's container directly.
 */
static int
sysctl_ngtag_total(SYSCTL_HANDLER_ARGS)
{
	u_long total;
#ifdef VIMAGE
	VNET_ITERATOR_DECL(vnet_iter);
	struct vnet_ngtag *vt;

	total = 0;
	VNET_LIST_RLOCK();
	VNET_FOREACH(vnet_iter) {
		vt = vnet_iter->mod_data[VNET_MOD_NGTAG];
		total += vt->_ngtag_tagged;
	}
	VNET_LIST_RUNLOCK();
#else
	total = VSYM(vnet_ngtag, ngtag_tagged);
#endif
	return (SYSCTL_OUT(req, &total, sizeof(total)));
}

int
ngtag_default_filter(struct mbuf *m, int len)
{

	return (m == NULL || len < 0);
}

/*
 * Per-stack constructor.
 */
static int
ngtag_iattach(const void *unused __unused)
{
	int i;

#ifdef NGTAG_DEFAULT_ON
	V_ngtag_enable = 1;
#else
	V_ngtag_enable = 0;
#endif
	V_ngtag_nnodes = 0;
	V_ngtag_tagged = 0;
	strlcpy(V_ngtag_defname, "ngtag0", sizeof(V_ngtag_defname));
	arc4rand(V_ngtag_key, sizeof(V_ngtag_key), 0);
	V_ngtag_zone = uma_zcreate("ngtag_item", sizeof(struct ngtag_item),
	    NULL, NULL, NULL, NULL, UMA_ALIGN_PTR, 0);
	LIST_INIT(&V_ngtag_nodes);
	for (i = 0; i < NGTAG_NQUEUES; i++)
		TAILQ_INIT(&V_ngtag_queue[i]);
	V_ngtag_filter = ngtag_default_filter;
	V_ngtag_maxqlen = ifqmaxlen;
	if (V_ngtag_maxqlen < 16)
		V_ngtag_maxqlen = 16;
	if (bootverbose)
		V_ngtag_enable = 1;
	V_ngtag_lastifp = NULL;
	callout_init(&V_ngtag_callout, CALLOUT_MPSAFE);
	callout_reset(&V_ngtag_callout, hz, ngtag_tick, curvnet);
	ngtag_hook_init();
	return (0);
}

static int
ngtag_idetach(const void *unused __unused)
{

	callout_drain(&V_ngtag_callout);
	uma_zdestroy(V_ngtag_zone);
	return (0);
}

/*
 * Once a second: age the queues of the stack passed as the argument.
 */
static void
ngtag_tick(void *arg)
{

	CURVNET_SET((struct vnet *)arg);
	VNET_NGTAG(ngtag_stats).ns_in++;
	if (VSYM(vnet_ngtag, ngtag_enable))
		VNET_NGTAG(ngtag_tagged) += V_ngtag_nnodes;
	callout_reset(&V_ngtag_callout, hz, ngtag_tick, arg);
	CURVNET_RESTORE();
}

#ifdef VIMAGE
/*
 * Debugging aid, straight from the container.
 */
void	ngtag_show(void);
void
ngtag_show(void)
{

	printf("ngtag: %u nodes, enable %d\n", vnet_ngtag->_ngtag_nnodes,
	    vnet_ngtag->_ngtag_enable);
}
#endif

static int
ngtag_modevent(module_t mod, int type, void *unused)
{
	int error = 0;

	switch (type) {
	case MOD_LOAD:
#ifndef VIMAGE_GLOBALS
		vnet_mod_register(&vnet_ngtag_modinfo);
#else
		ngtag_iattach(NULL);
#endif
		break;
	case MOD_UNLOAD:
#ifndef VIMAGE_GLOBALS
		vnet_mod_deregister(&vnet_ngtag_modinfo);
#else
		ngtag_idetach(NULL);
#endif
		break;
	default:
		error = EOPNOTSUPP;
		break;
	}
	return (error);
}

static moduledata_t ngtag_mod = {
	"ngtag",
	ngtag_modevent,
	NULL
};
DECLARE_MODULE(ngtag, ngtag_mod, SI_SUB_PROTO_IFATTACHDOMAIN, SI_ORDER_ANY);
MODULE_VERSION(ngtag, 1);
