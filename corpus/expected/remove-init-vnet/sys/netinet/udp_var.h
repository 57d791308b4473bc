/*-
 * Copyright (c) 2009 Ilse Marten
 * All rights reserved.
 *
 * Written for the vimage-migrate test corpus; not derived from FreeBSD
 * sources.  See corpus/README.md.
 *
 * $FreeBSD$
 */

#ifndef _NETINET_UDP_VAR_H_
#define	_NETINET_UDP_VAR_H_

/*
 * struct udpiphdr and struct udpstat come from the base headers of this
 * model; this header only carries the kernel interface of udp_usrreq.c.
 */

#ifdef _KERNEL

SYSCTL_DECL(_net_inet_udp);

#ifdef VIMAGE_GLOBALS
extern struct	inpcbhead udb;
extern struct	inpcbinfo udbinfo;
extern struct	udpstat udpstat;
extern int	udp_blackhole;
#endif

extern u_long	udp_sendspace;
extern u_long	udp_recvspace;

void	udp_init(void);
void	udp_input(struct mbuf *, int);

#endif /* _KERNEL */

#endif /* !_NETINET_UDP_VAR_H_ */
