/*-
 * Copyright (c) 2009 Hallvard Ouedraogo
 * All rights reserved.
 *
 * Written for the vimage-migrate test corpus; not derived from FreeBSD
 * sources.  See corpus/README.md.
 */

/*
 * pfilt: stateless filter.  Rules are matched in insertion order on
 * source, destination and protocol; the first match decides.  Rules may
 * carry an expiry time and are then reaped by a per-stack callout.
 */

#include <sys/cdefs.h>
__FBSDID("$Id: pfilt.c,v 1.12 2009/05/02 11:40:13 hallvard Exp $");

#include "opt_inet.h"
#include "opt_inet6.h"

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/callout.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/module.h>
#include <sys/proc.h>
#include <sys/socket.h>
#include <sys/sysctl.h>
#include <sys/vimage.h>

#include <net/if.h>
#include <net/pfil.h>
#include <net/vnet.h>

#include <netinet/in.h>
#include <netinet/in_systm.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <netinet/vinet.h>
#ifdef INET6
#include <netinet/ip6.h>
#include <netinet6/ip6_var.h>
#include <netinet6/vinet6.h>
#endif

#include "pfilt_var.h"

static MALLOC_DEFINE(M_PFILT, "pfilt", "pfilt rules");

#ifdef VIMAGE_GLOBALS
int	pfilt_enable;
static	int pfilt_default_deny;
u_int	pfilt_nrules;
struct	pfiltstat pfiltstat;
static	LIST_HEAD(, pfilt_rule) pfilt_rules;
#endif

#if !defined(VIMAGE) && !defined(VIMAGE_GLOBALS)
struct vnet_pfilt vnet_pfilt_0;
#endif

#ifndef PFILT_DEFAULT_DENY
#define	PFILT_DEFAULT_DENY	0
#endif

static struct mtx pfilt_mtx;
static struct callout pfilt_expire_ch;
MTX_SYSINIT(pfilt_mtx, &pfilt_mtx, "pfilt rules", MTX_DEF);

#define	PFILT_LOCK()		mtx_lock(&pfilt_mtx)
#define	PFILT_UNLOCK()		mtx_unlock(&pfilt_mtx)

/* Bump one counter of the current stack. */
#define	PFILT_COUNT(field) do {						\
	V_pfiltstat.field++;						\
} while (0)

static int	pfilt_iattach(const void *);
static int	pfilt_idetach(const void *);
static void	pfilt_expire(void *);
static int	pfilt_hook(int);

#ifndef VIMAGE_GLOBALS
VIMAGE_CTASSERT(SIZEOF_vnet_pfilt, sizeof(struct vnet_pfilt));

static struct vnet_symmap vnet_pfilt_symmap[] = {
	VNET_SYMMAP(pfilt, pfilt_enable),
	VNET_SYMMAP(pfilt, pfilt_nrules),
	VNET_SYMMAP(pfilt, pfiltstat),
	VNET_SYMMAP_END
};

static const vnet_modinfo_t vnet_pfilt_modinfo = {
	.vmi_id		= VNET_MOD_PFILT,
	.vmi_name	= "pfilt",
	.vmi_dependson	= VNET_MOD_INET,
	.vmi_size	= sizeof(struct vnet_pfilt),
	.vmi_symmap	= vnet_pfilt_symmap,
	.vmi_iattach	= pfilt_iattach,
	.vmi_idetach	= pfilt_idetach
};
#endif

static int	sysctl_pfilt_enable(SYSCTL_HANDLER_ARGS);
static int	sysctl_pfilt_dropped_all(SYSCTL_HANDLER_ARGS);

SYSCTL_DECL(_net_inet);
SYSCTL_NODE(_net_inet, OID_AUTO, pfilt, CTLFLAG_RW, 0, "pfilt filter");
SYSCTL_V_PROC(V_NET, vnet_pfilt, _net_inet_pfilt, OID_AUTO, enable,
    CTLTYPE_INT | CTLFLAG_RW, pfilt_enable, 0, sysctl_pfilt_enable, "I",
    "Filter packets");
SYSCTL_V_INT(V_NET, vnet_pfilt, _net_inet_pfilt, OID_AUTO, default_deny,
    CTLFLAG_RW, pfilt_default_deny, 0, "Drop packets no rule matches");
SYSCTL_V_UINT(V_NET, vnet_pfilt, _net_inet_pfilt, OID_AUTO, nrules,
    CTLFLAG_RD, pfilt_nrules, 0, "Rules loaded");
SYSCTL_V_STRUCT(V_NET, vnet_pfilt, _net_inet_pfilt, OID_AUTO, stats,
    CTLFLAG_RW, pfiltstat, pfiltstat, "pfilt statistics");
SYSCTL_PROC(_net_inet_pfilt, OID_AUTO, dropped_all,
    CTLTYPE_ULONG | CTLFLAG_RD, NULL, 0, sysctl_pfilt_dropped_all, "LU",
    "Packets dropped by all stacks");

/*
 * Packets dropped by every stack together, read straight from each
 * stack's container.
 */
static int
sysctl_pfilt_dropped_all(SYSCTL_HANDLER_ARGS)
{
	u_long n;
#ifdef VIMAGE
	VNET_ITERATOR_DECL(vnet_iter);

	n = 0;
	VNET_LIST_RLOCK();
	VNET_FOREACH(vnet_iter)
		n += ((struct vnet_pfilt *)
		    vnet_iter->mod_data[VNET_MOD_PFILT])->_pfiltstat.pfs_dropped;
	VNET_LIST_RUNLOCK();
	if (vnet_pfilt->_pfilt_nrules == 0 && n != 0)
		printf("pfilt: drops without rules\n");
#else
	n = VNET_PFILT(pfiltstat).pfs_dropped;
#endif
	return (SYSCTL_OUT(req, &n, sizeof(n)));
}

static int
pfilt_iattach(const void *unused __unused)
{

	LIST_INIT(&V_pfilt_rules);
	V_pfilt_nrules = 0;
	return (0);
}

static int
pfilt_idetach(const void *unused __unused)
{
	struct pfilt_rule *r;

	PFILT_LOCK();
	while ((r = LIST_FIRST(&V_pfilt_rules)) != NULL) {
		LIST_REMOVE(r, pr_link);
		free(r, M_PFILT);
	}
	V_pfilt_nrules = 0;
	PFILT_UNLOCK();
	return (0);
}

/*
 * The pfil hook.  *mp is freed and set to NULL when the packet is
 * dropped.
 */
static int
pfilt_check(void *arg, struct mbuf **mp, struct ifnet *ifp, int dir,
    struct inpcb *inp)
{
	struct pfilt_rule *r;
	struct mbuf *m = *mp;
	struct ip *ip;
	int action;
#ifdef INET6
	struct ip6_hdr *ip6;
#endif

	if (!pfilt_active())
		return (0);
	PFILT_COUNT(pfs_inspected);
#ifdef INET6
	if ((uintptr_t)arg == AF_INET6) {
		/* IPv6 is not filtered yet: only default_deny applies. */
		ip6 = mtod(m, struct ip6_hdr *);
		if (V_pfilt_default_deny && !IN6_IS_ADDR_LOOPBACK(&ip6->ip6_dst))
			goto drop;
		return (0);
	}
#endif
	if (m->m_len < sizeof(struct ip) &&
	    (*mp = m = m_pullup(m, sizeof(struct ip))) == NULL) {
		PFILT_COUNT(pfs_short);
		return (ENOBUFS);
	}
	ip = mtod(m, struct ip *);
#ifdef PFILT_STRICT
	if (ip->ip_v != IPVERSION || (ip->ip_hl << 2) < sizeof(*ip)) {
#else
	if (ip->ip_v != IPVERSION) {
#endif
		PFILT_COUNT(pfs_short);
		V_ipstat.ips_badvers++;
		goto drop;
	}

	action = V_pfilt_default_deny ? PFILT_DROP : PFILT_PASS;
	PFILT_LOCK();
	LIST_FOREACH(r, &V_pfilt_rules, pr_link) {
		if ((ip->ip_src.s_addr & r->pr_srcmask.s_addr) !=
		    r->pr_src.s_addr)
			continue;
		if ((ip->ip_dst.s_addr & r->pr_dstmask.s_addr) !=
		    r->pr_dst.s_addr)
			continue;
		if (r->pr_proto != 0 && r->pr_proto != ip->ip_p)
			continue;
		r->pr_hits++;
		action = r->pr_action;
		break;
	}
	PFILT_UNLOCK();
	if (r == NULL)
		V_pfiltstat.pfs_nomatch++;
	if (action == PFILT_PASS) {
		V_pfiltstat.pfs_passed++;
		return (0);
	}
drop:
	V_pfiltstat.pfs_dropped++;
	m_freem(m);
	*mp = NULL;
	return (EACCES);
}

static int
pfilt_hook(int on)
{
	struct pfil_head *ph;
	int error;

	ph = pfil_head_get(PFIL_TYPE_AF, AF_INET);
	if (ph == NULL)
		return (ENOENT);
	if (on)
		error = pfil_add_hook(pfilt_check, (void *)AF_INET,
		    PFIL_IN | PFIL_WAITOK, ph);
	else
		error = pfil_remove_hook(pfilt_check, (void *)AF_INET,
		    PFIL_IN | PFIL_WAITOK, ph);
	if (error == 0)
		V_pfilt_enable = on;
	return (error);
}

/*
 * net.inet.pfilt.enable: arg1 points at pfilt_enable of the stack the
 * request runs in.
 */
static int
sysctl_pfilt_enable(SYSCTL_HANDLER_ARGS)
{
	int error, val;

	val = *(int *)arg1;
	error = sysctl_handle_int(oidp, &val, 0, req);
	if (error != 0 || req->newptr == NULL)
		return (error);
	val = (val != 0);
	if (val == *(int *)arg1)
		return (0);
	error = pfilt_hook(val);
	if (error == 0 && V_pfilt_enable != val)
		error = EIO;
	return (error);
}

/*
 * Reap expired rules of every stack, once a second.
 */
static void
pfilt_expire(void *arg __unused)
{
	VNET_ITERATOR_DECL(vnet_iter);
	struct pfilt_rule *r, *next;

	VNET_LIST_RLOCK();
	VNET_FOREACH(vnet_iter) {
		CURVNET_SET(vnet_iter);
		/* All rule lists are guarded by the one pfilt_mtx. */
		PFILT_LOCK();
		LIST_FOREACH_SAFE(r, &V_pfilt_rules, pr_link, next) {
			if (r->pr_expire == 0 || r->pr_expire - ticks > 0)
				continue;
			LIST_REMOVE(r, pr_link);
			free(r, M_PFILT);
			V_pfilt_nrules--;
			V_pfiltstat.pfs_expired++;
		}
		PFILT_UNLOCK();
		CURVNET_RESTORE();
	}
	VNET_LIST_RUNLOCK();
	callout_reset(&pfilt_expire_ch, hz, pfilt_expire, NULL);
}

int
pfilt_add_rule(const struct pfilt_rule *tmpl)
{
	struct pfilt_rule *r, *last;

	if (tmpl->pr_action != PFILT_PASS && tmpl->pr_action != PFILT_DROP)
		return (EINVAL);
	r = malloc(sizeof(*r), M_PFILT, M_WAITOK | M_ZERO);
	*r = *tmpl;
	r->pr_src.s_addr &= r->pr_srcmask.s_addr;
	r->pr_dst.s_addr &= r->pr_dstmask.s_addr;
	r->pr_hits = 0;
	PFILT_LOCK();
	last = LIST_FIRST(&V_pfilt_rules);
	if (last == NULL)
		LIST_INSERT_HEAD(&V_pfilt_rules, r, pr_link);
	else {
		while (LIST_NEXT(last, pr_link) != NULL)
			last = LIST_NEXT(last, pr_link);
		LIST_INSERT_AFTER(last, r, pr_link);
	}
	V_pfilt_nrules++;
	PFILT_UNLOCK();
	return (0);
}

static int
pfilt_modevent(module_t mod, int type, void *unused)
{
	int error = 0;

	switch (type) {
	case MOD_LOAD:
#ifndef VIMAGE_GLOBALS
		vnet_mod_register(&vnet_pfilt_modinfo);
#else
		pfilt_iattach(NULL);
#endif
		{
			/* The container exists only once registered. */

			V_pfilt_default_deny = PFILT_DEFAULT_DENY;
		}
		callout_init(&pfilt_expire_ch, CALLOUT_MPSAFE);
		callout_reset(&pfilt_expire_ch, hz, pfilt_expire, NULL);
		break;
	case MOD_UNLOAD:
		error = pfilt_hook(0);
		if (error != 0)
			break;
		callout_drain(&pfilt_expire_ch);
#ifndef VIMAGE_GLOBALS
		vnet_mod_deregister(&vnet_pfilt_modinfo);
#else
		pfilt_idetach(NULL);
#endif
		break;
	default:
		error = EOPNOTSUPP;
		break;
	}
	return (error);
}

static moduledata_t pfilt_mod = {
	"pfilt",
	pfilt_modevent,
	NULL
};
DECLARE_MODULE(pfilt, pfilt_mod, SI_SUB_PROTO_IFATTACHDOMAIN, SI_ORDER_ANY);
MODULE_VERSION(pfilt, 1);
