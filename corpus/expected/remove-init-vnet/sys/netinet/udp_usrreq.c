/*-
 * Copyright (c) 2009 Tomasz Ebbesen
 * All rights reserved.
 *
 * Written for the vimage-migrate test corpus; not derived from FreeBSD
 * sources.  See corpus/README.md.
 */

#include <sys/cdefs.h>
__FBSDID("$FreeBSD$");

#include "opt_inet6.h"
#include "opt_ipsec.h"

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/eventhandler.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/proc.h>
#include <sys/protosw.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/sysctl.h>
#include <sys/vimage.h>

#include <net/if.h>
#include <net/route.h>
#include <net/vnet.h>

#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/in_systm.h>
#include <netinet/in_var.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/ip_var.h>
#include <netinet/udp.h>
#include <netinet/udp_var.h>
#include <netinet/vinet.h>
#ifdef INET6
#include <netinet6/vinet6.h>
#endif

#ifdef IPSEC
#include <netipsec/ipsec.h>
#include <netipsec/vipsec.h>
#endif

#ifdef VIMAGE_GLOBALS
struct	inpcbhead udb;
struct	inpcbinfo udbinfo;
struct	udpstat udpstat;
int	udp_blackhole;
#endif

#ifndef UDBHASHSIZE
#define	UDBHASHSIZE	128
#endif

SYSCTL_V_INT(V_NET, vnet_inet, _net_inet_udp, OID_AUTO, blackhole,
    CTLFLAG_RW, udp_blackhole, 0,
    "Drop datagrams for closed ports without an ICMP error");
SYSCTL_V_STRUCT(V_NET, vnet_inet, _net_inet_udp, UDPCTL_STATS, stats,
    CTLFLAG_RW, udpstat, udpstat, "UDP statistics (struct udpstat)");

static void	udp_append(struct inpcb *, struct ip *, struct mbuf *, int,
		    struct sockaddr_in *);
static void	udp_zone_change(void *);

/*
 * Per-stack UDP setup.
 */
void
udp_init(void)
{

	LIST_INIT(&V_udb);
	INP_INFO_LOCK_INIT(&V_udbinfo, "udp");
	V_udbinfo.ipi_listhead = &V_udb;
	V_udbinfo.ipi_hashbase = hashinit(UDBHASHSIZE, M_PCB,
	    &V_udbinfo.ipi_hashmask);
	V_udbinfo.ipi_porthashbase = hashinit(UDBHASHSIZE, M_PCB,
	    &V_udbinfo.ipi_porthashmask);
	V_udbinfo.ipi_zone = uma_zcreate("udp_inpcb", sizeof(struct inpcb),
	    NULL, NULL, NULL, NULL, UMA_ALIGN_PTR, UMA_ZONE_NOFREE);
	uma_zone_set_max(V_udbinfo.ipi_zone, maxsockets);
	V_udp_blackhole = 0;
	EVENTHANDLER_REGISTER(maxsockets_change, udp_zone_change, NULL,
	    EVENTHANDLER_PRI_ANY);
}

static void
udp_zone_change(void *tag)
{
	uma_zone_set_max(V_udbinfo.ipi_zone, maxsockets);
}

/*
 * Datagram input.  Unicast only here; a datagram nobody listens for is
 * answered with a port unreachable unless blackholing is on.
 */
void
udp_input(struct mbuf *m, int off)
{
	struct ip *ip;
	struct udphdr *uh;
	struct inpcb *inp;
	struct sockaddr_in udp_in;
	int len, iphlen;

	iphlen = off;
	V_udpstat.udps_ipackets++;
	if (iphlen > sizeof(struct ip)) {
		ip_stripoptions(m, NULL);
		iphlen = sizeof(struct ip);
	}
	ip = mtod(m, struct ip *);
	if (m->m_len < iphlen + sizeof(struct udphdr)) {
		m = m_pullup(m, iphlen + sizeof(struct udphdr));
		if (m == NULL) {
			V_udpstat.udps_hdrops++;
			return;
		}
		ip = mtod(m, struct ip *);
	}
	uh = (struct udphdr *)((caddr_t)ip + iphlen);

	len = ntohs((u_short)uh->uh_ulen);
	if (ip->ip_len != len) {
		if (len > ip->ip_len || len < sizeof(struct udphdr)) {
			V_udpstat.udps_badlen++;
			goto badunlocked;
		}
		m_adj(m, len - ip->ip_len);
	}
	if (uh->uh_sum != 0 && in_cksum_skip(m, len + iphlen, iphlen) != 0) {
		V_udpstat.udps_badsum++;
		goto badunlocked;
	}

	bzero(&udp_in, sizeof(udp_in));
	udp_in.sin_len = sizeof(udp_in);
	udp_in.sin_family = AF_INET;
	udp_in.sin_port = uh->uh_sport;
	udp_in.sin_addr = ip->ip_src;

	INP_INFO_RLOCK(&V_udbinfo);
	inp = in_pcblookup_hash(&V_udbinfo, ip->ip_src, uh->uh_sport,
	    ip->ip_dst, uh->uh_dport, 1, m->m_pkthdr.rcvif);
	if (inp == NULL) {
		V_udpstat.udps_noport++;
		if (m->m_flags & (M_BCAST | M_MCAST)) {
			V_udpstat.udps_noportbcast++;
			goto badheadlocked;
		}
		if (V_udp_blackhole)
			goto badheadlocked;
		INP_INFO_RUNLOCK(&V_udbinfo);
		ip->ip_len += iphlen;
		icmp_error(m, ICMP_UNREACH, ICMP_UNREACH_PORT, 0, 0);
		return;
	}
	INP_RLOCK(inp);
	INP_INFO_RUNLOCK(&V_udbinfo);
#ifdef IPSEC
	if (ipsec4_in_reject(m, inp)) {
		V_ipsec4stat.in_polvio++;
		INP_RUNLOCK(inp);
		goto badunlocked;
	}
#endif
	udp_append(inp, ip, m, iphlen + sizeof(struct udphdr), &udp_in);
	INP_RUNLOCK(inp);
	return;

badheadlocked:
	INP_INFO_RUNLOCK(&V_udbinfo);
badunlocked:
	m_freem(m);
}

/*
 * Queue a datagram on the receive buffer of a socket.
 */
static void
udp_append(struct inpcb *inp, struct ip *ip, struct mbuf *n, int off,
    struct sockaddr_in *udp_in)
{
	struct socket *so;

	INP_RLOCK_ASSERT(inp);
	so = inp->inp_socket;
	m_adj(n, off);
	SOCKBUF_LOCK(&so->so_rcv);
	if (sbappendaddr_locked(&so->so_rcv, (struct sockaddr *)udp_in, n,
	    NULL) == 0) {
		SOCKBUF_UNLOCK(&so->so_rcv);
		m_freem(n);
		return;
	}
	sorwakeup_locked(so);
}

#ifndef VIMAGE
/*
 * Pass an ICMP error up to the socket of a connected pcb.
 *
 * XXX VIMAGE: "so" is not declared here; this only builds where
 * INIT_VNET_INET() expands to nothing.
 */
struct inpcb *
udp_notify(struct inpcb *inp, int error)
{

	INP_WLOCK_ASSERT(inp);
	inp->inp_socket->so_error = error;
	sorwakeup(inp->inp_socket);
	sowwakeup(inp->inp_socket);
	return (inp);
}
#endif /* !VIMAGE */

static int
udp_attach(struct socket *so, int proto, struct thread *td)
{
	struct inpcb *inp;
	int error;

	inp = sotoinpcb(so);
	KASSERT(inp == NULL, ("%s: pcb already attached", __func__));
	error = soreserve(so, udp_sendspace, udp_recvspace);
	if (error != 0)
		return (error);
	INP_INFO_WLOCK(&V_udbinfo);
	error = in_pcballoc(so, &V_udbinfo);
	if (error != 0) {
		INP_INFO_WUNLOCK(&V_udbinfo);
		return (error);
	}
	inp = sotoinpcb(so);
	inp->inp_vflag |= INP_IPV4;
	inp->inp_ip_ttl = V_ip_defttl;
	INP_WUNLOCK(inp);
	INP_INFO_WUNLOCK(&V_udbinfo);
	return (0);
}

static int
udp_connect(struct socket *so, struct sockaddr *nam, struct thread *td)
{
#ifdef INET6
#else
	/* Without INET6 a mapped destination is simply refused below. */
#endif
	struct inpcb *inp;
	struct sockaddr_in *sin;
	int error;

	inp = sotoinpcb(so);
	KASSERT(inp != NULL, ("%s: no pcb", __func__));
	sin = (struct sockaddr_in *)nam;
	if (sin->sin_family != AF_INET)
		return (EAFNOSUPPORT);
	INP_INFO_WLOCK(&V_udbinfo);
	INP_WLOCK(inp);
	if (inp->inp_faddr.s_addr != INADDR_ANY) {
		error = EISCONN;
		goto out;
	}
	error = prison_remote_ip(td->td_ucred, 0, &sin->sin_addr.s_addr);
	if (error == 0)
		error = in_pcbconnect(inp, nam, td->td_ucred);
	if (error == 0)
		soisconnected(so);
out:
	INP_WUNLOCK(inp);
	INP_INFO_WUNLOCK(&V_udbinfo);
	return (error);
}

struct pr_usrreqs udp_usrreqs = {
	.pru_attach =		udp_attach,
	.pru_connect =		udp_connect,
};
