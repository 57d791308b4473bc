/*-
 * Copyright (c) 2009 Ilse Marten
 * All rights reserved.
 *
 * Written for the vimage-migrate test corpus; not derived from FreeBSD
 * sources.  See corpus/README.md.
 *
 * $FreeBSD$
 */

#ifndef _NETINET_TCP_VAR_H_
#define	_NETINET_TCP_VAR_H_

/*
 * struct tcpcb and struct tcpstat come from the base headers of this
 * model; this header only carries the kernel interface of tcp_subr.c.
 */

#ifdef _KERNEL

SYSCTL_DECL(_net_inet_tcp);

#ifdef VIMAGE_GLOBALS
extern	struct inpcbhead tcb;
extern	struct inpcbinfo tcbinfo;
extern	struct tcpstat tcpstat;
extern	int tcp_mssdflt;
extern	int tcp_v6mssdflt;
extern	int tcp_do_rfc1323;
#endif

void	tcp_init(void);
void	tcp_drain(void);
u_int	tcp_hdrroom(struct tcpcb *);
tcp_seq	tcp_new_isn(struct tcpcb *);

#endif /* _KERNEL */

#endif /* !_NETINET_TCP_VAR_H_ */
