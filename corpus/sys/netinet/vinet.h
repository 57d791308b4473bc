/*-
 * Copyright (c) 2008 Mirko Halvorsen
 * All rights reserved.
 *
 * Written for the vimage-migrate test corpus; not derived from FreeBSD
 * sources.  See corpus/README.md.
 *
 * $FreeBSD$
 */

#ifndef _NETINET_VINET_H_
#define	_NETINET_VINET_H_

#ifdef _KERNEL

#include <sys/callout.h>
#include <sys/queue.h>

#include <netinet/in.h>
#include <netinet/icmp_var.h>
#include <netinet/in_pcb.h>
#include <netinet/in_var.h>
#include <netinet/ip_var.h>
#include <netinet/tcp_var.h>
#include <netinet/udp_var.h>

struct vnet_inet {
	/* ip_input.c */
	struct	in_ifaddrhashhead *_in_ifaddrhashtbl;
	struct	in_ifaddrhead _in_ifaddrhead;
	u_long	_in_ifaddrhmask;
	int	_ipforwarding;
	int	_ipsendredirects;
	int	_ip_doopts;
	int	_ip_defttl;
	int	_maxnipq;
	int	_nipq;
	struct	ipstat _ipstat;
	TAILQ_HEAD(ipqhead, ipq) _ipq[IPREASS_NHASH];
#ifdef IPSTEALTH
	int	_ipstealth;
#endif

	/* ip_output.c */
	u_short	_ip_id;
	int	_ip_mcast_loop;

	/* in_pcb.c */
	int	_ipport_lowfirstauto;
	int	_ipport_lowlastauto;
	int	_ipport_firstauto;
	int	_ipport_lastauto;
	int	_ipport_randomized;

	/* tcp_subr.c */
	struct	inpcbhead _tcb;
	struct	inpcbinfo _tcbinfo;
	struct	tcpstat _tcpstat;
	int	_tcp_mssdflt;
	int	_tcp_v6mssdflt;
	int	_tcp_do_rfc1323;
	u_char	_isn_secret[32];
	int	_isn_last_reseed;
	u_int32_t _isn_offset;

	/* udp_usrreq.c */
	struct	inpcbhead _udb;
	struct	inpcbinfo _udbinfo;
	struct	udpstat _udpstat;
	int	_udp_blackhole;

	/* ip_icmp.c */
	struct	icmpstat _icmpstat;
	int	_icmplim;
	int	_icmp_may_rst;
	int	_icmpbmcastecho;
	char	_reply_src[IFNAMSIZ];
	u_int	_icmp_quotelen;
#ifdef ICMP_BANDLIM
	int	_icmplim_output;
#endif
	int	_icmp_rfi_unused;

	/* in_rmx.c */
	int	_rtq_reallyold;
	int	_rtq_minreallyold;
	int	_rtq_toomany;
	struct	callout _rtq_timer;
	u_long	_rtq_drained;
};

#ifndef VIMAGE
#ifndef VIMAGE_GLOBALS
extern struct vnet_inet vnet_inet_0;
#endif
#endif

#define	INIT_VNET_INET(vnet) \
	INIT_FROM_VNET(vnet, VNET_MOD_INET, struct vnet_inet, vnet_inet)

#define	VNET_INET(sym)		VSYM(vnet_inet, sym)

/*
 * Symbol translation macros
 */
#define	V_in_ifaddrhashtbl	VNET_INET(in_ifaddrhashtbl)
#define	V_in_ifaddrhead		VNET_INET(in_ifaddrhead)
#define	V_in_ifaddrhmask	VNET_INET(in_ifaddrhmask)
#define	V_ip_defttl		VNET_INET(ip_defttl)
#define	V_ip_doopts		VNET_INET(ip_doopts)
#define	V_ip_id			VNET_INET(ip_id)
#define	V_ip_mcast_loop		VNET_INET(ip_mcast_loop)
#define	V_ipforwarding		VNET_INET(ipforwarding)
#define	V_ipport_firstauto	VNET_INET(ipport_firstauto)
#define	V_ipport_lastauto	VNET_INET(ipport_lastauto)
#define	V_ipport_lowfirstauto	VNET_INET(ipport_lowfirstauto)
#define	V_ipport_lowlastauto	VNET_INET(ipport_lowlastauto)
#define	V_ipport_randomized	VNET_INET(ipport_randomized)
#define	V_ipq			VNET_INET(ipq)
#define	V_ipsendredirects	VNET_INET(ipsendredirects)
#define	V_ipstat		VNET_INET(ipstat)
#ifdef IPSTEALTH
#define	V_ipstealth		VNET_INET(ipstealth)
#endif
#define	V_isn_last_reseed	VNET_INET(isn_last_reseed)
#define	V_isn_offset		VNET_INET(isn_offset)
#define	V_isn_secret		VNET_INET(isn_secret)
#define	V_maxnipq		VNET_INET(maxnipq)
#define	V_nipq			VNET_INET(nipq)
#define	V_tcb			VNET_INET(tcb)
#define	V_tcbinfo		VNET_INET(tcbinfo)
#define	V_tcp_do_rfc1323	VNET_INET(tcp_do_rfc1323)
#define	V_tcp_mssdflt		VNET_INET(tcp_mssdflt)
#define	V_tcp_v6mssdflt		VNET_INET(tcp_v6mssdflt)
#define	V_tcpstat		VNET_INET(tcpstat)
#define	V_udb			VNET_INET(udb)
#define	V_udbinfo		VNET_INET(udbinfo)
#define	V_udp_blackhole		VNET_INET(udp_blackhole)
#define	V_udpstat		VNET_INET(udpstat)

#define	V_icmpstat		VNET_INET(icmpstat)
#define	V_icmplim		VNET_INET(icmplim)
#define	V_icmp_may_rst		VNET_INET(icmp_may_rst)
#define	V_icmpbmcastecho	\
	VNET_INET(icmpbmcastecho)
#define	V_reply_src		VNET_INET(reply_src)
#define V_icmp_quotelen   VNET_INET(icmp_quotelen)
#ifdef ICMP_BANDLIM
#define	V_icmplim_output	VNET_INET(icmplim_output)
#endif
#define	V_icmp_rfi_unused	VNET_INET(icmp_rfi_unused)
#define	V_rtq_reallyold		VNET_INET(rtq_reallyold)
#define	V_rtq_minreallyold	\
				VNET_INET(rtq_minreallyold)
#define	V_rtq_toomany		VNET_INET(rtq_toomany)
#define	V_rtq_timer		VNET_INET(rtq_timer)
#define	V_rtq_drained		VNET_INET( rtq_drained )

#endif /* _KERNEL */

#endif /* !_NETINET_VINET_H_ */
