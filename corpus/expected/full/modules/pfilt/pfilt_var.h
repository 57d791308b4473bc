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

VNET_DECLARE(int, pfilt_enable);
VNET_DECLARE(u_int, pfilt_nrules);
VNET_DECLARE(struct pfiltstat, pfiltstat);

#define	V_pfilt_enable		VNET(pfilt_enable)
#define	V_pfilt_nrules		VNET(pfilt_nrules)
#define	V_pfiltstat		VNET(pfiltstat)

/*
 * Cheap check for the hot path: is there anything to do at all?
 */
static __inline int
pfilt_active(void)
{

	return (V_pfilt_enable && V_pfilt_nrules != 0);
}

int	pfilt_add_rule(const struct pfilt_rule *);

#endif /* _KERNEL */

#endif /* !_PFILT_VAR_H_ */
