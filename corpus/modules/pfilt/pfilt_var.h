/*-
 * Copyright (c) 2009 Hallvard Ouedraogo
 * All rights reserved.
 *
 * Written for the vimage-migrate test corpus; not derived from FreeBSD
 * sources.  See corpus/README.md.
 *
 * $Id: pfilt_var.h,v 1.7 2009/05/02 11:40:13 hallvard Exp $
 */

/*
 * pfilt: a small stateless address/protocol filter hooked into pfil(9).
 */

#ifndef _PFILT_VAR_H_
#define	_PFILT_VAR_H_

#define	PFILT_PASS	0
#define	PFILT_DROP	1

struct pfiltstat {
	u_long	pfs_inspected;		/* packets looked at */
	u_long	pfs_passed;		/* let through by a rule */
	u_long	pfs_dropped;		/* dropped by a rule */
	u_long	pfs_nomatch;		/* no rule matched */
	u_long	pfs_short;		/* too short to judge */
	u_long	pfs_expired;		/* rules timed out */
};

struct pfilt_rule {
	LIST_ENTRY(pfilt_rule) pr_link;
	struct	in_addr pr_src, pr_srcmask;
	struct	in_addr pr_dst, pr_dstmask;
	u_char	pr_proto;		/* 0 matches any */
	u_char	pr_action;		/* PFILT_PASS or PFILT_DROP */
	u_int	pr_hits;
	int	pr_expire;		/* ticks value; 0 never expires */
};

#ifdef _KERNEL

#define	VNET_MOD_PFILT		(VNET_MOD_DYNAMIC_START + 3)

struct vnet_pfilt {
	int	_pfilt_enable;
	int	_pfilt_default_deny;
	u_int	_pfilt_nrules;
	struct	pfiltstat _pfiltstat;
	LIST_HEAD(, pfilt_rule) _pfilt_rules;
};
#define	SIZEOF_vnet_pfilt	72		/* LP64 */

#if !defined(VIMAGE) && !defined(VIMAGE_GLOBALS)
extern struct vnet_pfilt vnet_pfilt_0;
#endif

#if defined(VIMAGE)
#define	INIT_VNET_PFILT(vnet)	INIT_FROM_VNET(vnet, VNET_MOD_PFILT, struct vnet_pfilt, vnet_pfilt)
#else
#define	INIT_VNET_PFILT(vnet)
#endif

#define	VNET_PFILT(sym)		VSYM(vnet_pfilt, sym)

#define	V_pfilt_default_deny	VNET_PFILT(pfilt_default_deny)
#define	V_pfilt_enable		VNET_PFILT(pfilt_enable)
#define	V_pfilt_nrules		VNET_PFILT(pfilt_nrules)
#define	V_pfilt_rules		VNET_PFILT(pfilt_rules)
#define	V_pfiltstat		VNET_PFILT(pfiltstat)

#ifdef VIMAGE_GLOBALS
extern int pfilt_enable;
extern u_int pfilt_nrules;
extern struct pfiltstat pfiltstat;
#endif

/*
 * Cheap check for the hot path: is there anything to do at all?
 */
static __inline int
pfilt_active(void)
{
	INIT_VNET_PFILT(curvnet);

	return (V_pfilt_enable && V_pfilt_nrules != 0);
}

int	pfilt_add_rule(const struct pfilt_rule *);

#endif /* _KERNEL */

#endif /* !_PFILT_VAR_H_ */
