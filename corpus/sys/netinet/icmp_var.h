/*-
 * Copyright (c) 2009 Ilse Marten
 * All rights reserved.
 *
 * Written for the vimage-migrate test corpus; not derived from FreeBSD
 * sources.  See corpus/README.md.
 *
 * $FreeBSD$
 */

#ifndef _NETINET_ICMP_VAR_H_
#define	_NETINET_ICMP_VAR_H_

/*
 * ICMP counters, exported through net.inet.icmp.stats.
 */
struct icmpstat {
	u_long	icps_error;		/* icmp_error() calls */
	u_long	icps_oldshort;		/* no error: datagram too short */
	u_long	icps_oldicmp;		/* no error: it was an ICMP error */
	u_long	icps_badcode;		/* code out of range */
	u_long	icps_tooshort;		/* message shorter than ICMP_MINLEN */
	u_long	icps_checksum;		/* bad checksum */
	u_long	icps_reflect;		/* replies sent */
	u_long	icps_bmcastecho;	/* broadcast echo requests dropped */
};

#define	ICMPCTL_MASKREPL	1
#define	ICMPCTL_STATS		2
#define	ICMPCTL_ICMPLIM		3

#ifdef _KERNEL

SYSCTL_DECL(_net_inet_icmp);

#ifdef VIMAGE_GLOBALS
extern struct	icmpstat icmpstat;
extern int	icmplim;
extern char	reply_src[IFNAMSIZ];
#endif

void	icmp_init(void);
int	icmp_ratelimit(void);

#endif /* _KERNEL */

#endif /* !_NETINET_ICMP_VAR_H_ */
