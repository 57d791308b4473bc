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

VNET_DECLARE(struct inpcbhead, tcb);
VNET_DECLARE(struct inpcbinfo, tcbinfo);
VNET_DECLARE(struct tcpstat, tcpstat);
VNET_DECLARE(int, tcp_mssdflt);
VNET_DECLARE(int, tcp_v6mssdflt);
VNET_DECLARE(int, tcp_do_rfc1323);

#define	V_tcb			VNET(tcb)
#define	V_tcbinfo		VNET(tcbinfo)
#define	V_tcpstat		VNET(tcpstat)
#define	V_tcp_mssdflt		VNET(tcp_mssdflt)
#define	V_tcp_v6mssdflt		VNET(tcp_v6mssdflt)
#define	V_tcp_do_rfc1323	VNET(tcp_do_rfc1323)

void	tcp_init(void);
void	tcp_drain(void);
u_int	tcp_hdrroom(struct tcpcb *);
tcp_seq	tcp_new_isn(struct tcpcb *);

#endif /* _KERNEL */

#endif /* !_NETINET_TCP_VAR_H_ */
