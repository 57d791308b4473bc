/*-
 * Copyright (c) 2009 Kaito Brennan
 * All rights reserved.
 *
 * Written for the vimage-migrate test corpus; not derived from FreeBSD
 * sources.  See corpus/README.md.
 */

/*
 * divsock: datagram sockets that receive copies of IPv4 packets handed
 * to them by a filter (see divsock_packet()) and may send packets back
 * into the stack, either outbound or as if they had just arrived.
 *
 * The pcb list is shared by all stacks; statistics and defaults come
 * from the INET container of the socket's stack.
 */

#include <sys/cdefs.h>
__FBSDID("$FreeBSD$");

#include "opt_inet.h"
#include "opt_ipsec.h"

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/module.h>
#include <sys/priv.h>
#include <sys/proc.h>
#include <sys/protosw.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/sysctl.h>
#include <sys/vimage.h>

#include <net/if.h>
#include <net/netisr.h>
#include <net/route.h>
#include <net/vnet.h>

#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/in_systm.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <netinet/vinet.h>

#define	DIVSOCK_SNDQ	(65536 + 100)
#define	DIVSOCK_RCVQ	(65536 + 100)
#define	IPPROTO_DIVSOCK	254

static struct inpcbhead divsockcb;
static struct inpcbinfo divsockcbinfo;

static u_long	div_sendspace = DIVSOCK_SNDQ;
static u_long	div_recvspace = DIVSOCK_RCVQ;

SYSCTL_NODE(_net_inet, OID_AUTO, divsock, CTLFLAG_RW, 0, "divsock");
SYSCTL_ULONG(_net_inet_divsock, OID_AUTO, sendspace, CTLFLAG_RW,
    &div_sendspace, 0, "Send buffer size");
SYSCTL_ULONG(_net_inet_divsock, OID_AUTO, recvspace, CTLFLAG_RW,
    &div_recvspace, 0, "Receive buffer size");

static void
div_init(void)
{
	INIT_VNET_INET(curvnet);

	u_int hashsize = 16;

	INP_INFO_LOCK_INIT(&divsockcbinfo, "divsock");
	LIST_INIT(&divsockcb);
	divsockcbinfo.ipi_listhead = &divsockcb;
	divsockcbinfo.ipi_hashbase = hashinit(hashsize, M_PCB,
	    &divsockcbinfo.ipi_hashmask);
	divsockcbinfo.ipi_porthashbase = hashinit(hashsize, M_PCB,
	    &divsockcbinfo.ipi_porthashmask);
	divsockcbinfo.ipi_zone = uma_zcreate("divsockcb",
	    sizeof(struct inpcb), NULL, NULL, NULL, NULL, UMA_ALIGN_PTR,
	    UMA_ZONE_NOFREE);
	uma_zone_set_max(divsockcbinfo.ipi_zone, maxsockets);
	if (V_ipforwarding == 0)
		printf("divsock: forwarding is off, reinjected packets "
		    "will only reach local sockets\n");
}

/*
 * Hand a copy of a packet to every divsock socket bound to port.  The
 * caller keeps the original.
 */
void
divsock_packet(struct mbuf *m, u_short port)
{
	INIT_VNET_INET(curvnet);
	struct sockaddr_in sin;
	struct inpcb *inp;
	struct socket *sa;
	struct mbuf *n;

	bzero(&sin, sizeof(sin));
	sin.sin_len = sizeof(sin);
	sin.sin_family = AF_INET;
	sin.sin_port = port;
	sin.sin_addr = mtod(m, struct ip *)->ip_src;

	INP_INFO_RLOCK(&divsockcbinfo);
	LIST_FOREACH(inp, &divsockcb, inp_list) {
		if (inp->inp_lport != port)
			continue;
		n = m_copypacket(m, M_DONTWAIT);
		if (n == NULL) {
			V_ipstat.ips_odropped++;
			break;
		}
		INP_RLOCK(inp);
		sa = inp->inp_socket;
		SOCKBUF_LOCK(&sa->so_rcv);
		if (sbappendaddr_locked(&sa->so_rcv, (struct sockaddr *)&sin,
		    n, NULL) == 0) {
			SOCKBUF_UNLOCK(&sa->so_rcv);
			m_freem(n);
		} else
			sorwakeup_locked(sa);
		INP_RUNLOCK(inp);
	}
	INP_INFO_RUNLOCK(&divsockcbinfo);
}

/*
 * Send a packet written to a divsock socket.  A zero sin_addr means
 * "outbound", anything else names the interface address on which the
 * packet is to appear as input.
 */
static int
div_output(struct socket *so, struct mbuf *m, struct sockaddr_in *sin)
{
	INIT_VNET_INET(so->so_vnet);

	struct ip *const ip = mtod(m, struct ip *);
	struct inpcb *inp;
	int error;

	if (m->m_pkthdr.len < sizeof(struct ip) ||
	    m->m_pkthdr.len != ntohs(ip->ip_len)) {
		m_freem(m);
		return (EINVAL);
	}
	m->m_pkthdr.rcvif = NULL;
	if (sin == NULL || sin->sin_addr.s_addr == INADDR_ANY) {
		inp = sotoinpcb(so);
		INP_RLOCK(inp);
		ip->ip_len = ntohs(ip->ip_len);
		ip->ip_off = ntohs(ip->ip_off);
		V_ipstat.ips_rawout++;
		INP_RUNLOCK(inp);
		error = ip_output(m, NULL, NULL,
		    ((so->so_options & SO_DONTROUTE) ? IP_ROUTETOIF : 0) |
		    IP_ALLOWBROADCAST | IP_RAWOUTPUT, NULL, NULL);
	} else {
		/* No INIT_VNET_NET(curvnet); here: ifa_ifwithaddr() has it. */
		struct ifaddr *ifa;

		ifa = ifa_ifwithaddr((struct sockaddr *)sin);
		if (ifa == NULL) {
			m_freem(m);
			return (EADDRNOTAVAIL);
		}
		m->m_pkthdr.rcvif = ifa->ifa_ifp;
		netisr_queue(NETISR_IP, m);
		error = 0;
	}
	return (error);
}

static int
div_attach(struct socket *so, int proto, struct thread *td)
{
	INIT_VNET_INET(so->so_vnet);	/* defaults come from its stack */
	struct inpcb *inp;
	int error;

	inp = sotoinpcb(so);
	KASSERT(inp == NULL, ("%s: inp != NULL", __func__));
	if (td != NULL) {
		error = priv_check(td, PRIV_NETINET_DIVERT);
		if (error != 0)
			return (error);
	}
	error = soreserve(so, div_sendspace, div_recvspace);
	if (error != 0)
		return (error);
	INP_INFO_WLOCK(&divsockcbinfo);
	error = in_pcballoc(so, &divsockcbinfo);
	if (error != 0) {
		INP_INFO_WUNLOCK(&divsockcbinfo);
		return (error);
	}
	inp = sotoinpcb(so);
	INP_INFO_WUNLOCK(&divsockcbinfo);
	inp->inp_ip_p = proto;
	inp->inp_vflag |= INP_IPV4;
	inp->inp_flags |= INP_HDRINCL;
	inp->inp_ip_ttl = V_ip_defttl;
	INP_WUNLOCK(inp);
	return (0);
}

static void
div_detach(struct socket *so)
{
	struct inpcb *inp;

	inp = sotoinpcb(so);
	KASSERT(inp != NULL, ("%s: inp == NULL", __func__));
	INP_INFO_WLOCK(&divsockcbinfo);
	INIT_VNET_INET(inp->inp_vnet); INP_WLOCK(inp);
	in_pcbdetach(inp);
	in_pcbfree(inp);
	INP_INFO_WUNLOCK(&divsockcbinfo);
}

static int
div_bind(struct socket *so, struct sockaddr *nam, struct thread *td)
{
	struct inpcb *inp;
	int error;

	inp = sotoinpcb(so);
	KASSERT(inp != NULL, ("%s: inp == NULL", __func__));
	if (nam->sa_family != AF_INET)
		return (EAFNOSUPPORT);
	((struct sockaddr_in *)nam)->sin_addr.s_addr = INADDR_ANY;
	INP_INFO_WLOCK(&divsockcbinfo);
	INP_WLOCK(inp);
	error = in_pcbbind(inp, nam, td->td_ucred);
	INP_WUNLOCK(inp);
	INP_INFO_WUNLOCK(&divsockcbinfo);
	return (error);
}

static int
div_send(struct socket *so, int flags, struct mbuf *m, struct sockaddr *nam,
    struct mbuf *control, struct thread *td)
{

	if (control != NULL)
		m_freem(control);
	if (m->m_len < sizeof(struct ip) &&
	    (m = m_pullup(m, sizeof(struct ip))) == NULL)
		return (EINVAL);
	return (div_output(so, m, (struct sockaddr_in *)nam));
}

#ifndef VIMAGE
/*
 * ICMP errors are of no interest to divsock sockets, but count them.
 * XXX VIMAGE: "so" is not declared here; non-VIMAGE builds only.
 */
static void
div_ctlinput(int cmd, struct sockaddr *sa, void *vip)
{
	INIT_VNET_INET(so->so_vnet);
	struct in_addr faddr;

	faddr = ((struct sockaddr_in *)sa)->sin_addr;
	if (sa->sa_family != AF_INET || faddr.s_addr == INADDR_ANY)
		return;
	if (PRC_IS_REDIRECT(cmd))
		return;
	V_ipstat.ips_cantforward++;
}
#endif

static struct pr_usrreqs div_usrreqs = {
	.pru_attach =		div_attach,
	.pru_bind =		div_bind,
	.pru_control =		in_control,
	.pru_detach =		div_detach,
	.pru_peeraddr =		in_getpeeraddr,
	.pru_send =		div_send,
	.pru_shutdown =		NULL,
	.pru_sockaddr =		in_getsockaddr,
	.pru_sosetlabel =	in_pcbsosetlabel
};

static struct protosw div_protosw = {
	.pr_type =		SOCK_RAW,
	.pr_protocol =		IPPROTO_DIVSOCK,
	.pr_flags =		PR_ATOMIC | PR_ADDR,
#ifndef VIMAGE
	.pr_ctlinput =		div_ctlinput,
#endif
	.pr_ctloutput =		ip_ctloutput,
	.pr_init =		div_init,
	.pr_usrreqs =		&div_usrreqs
};

static int
divsock_modevent(module_t mod, int type, void *unused)
{
	int error;

	switch (type) {
	case MOD_LOAD:
		error = pf_proto_register(PF_INET, &div_protosw);
		break;
	case MOD_UNLOAD:
		INP_INFO_WLOCK(&divsockcbinfo);
		if (divsockcbinfo.ipi_count != 0) {
			INP_INFO_WUNLOCK(&divsockcbinfo);
			return (EBUSY);
		}
		INP_INFO_WUNLOCK(&divsockcbinfo);
		error = pf_proto_unregister(PF_INET, IPPROTO_DIVSOCK,
		    SOCK_RAW);
		if (error == 0)
			INP_INFO_LOCK_DESTROY(&divsockcbinfo);
		break;
	default:
		error = EOPNOTSUPP;
		break;
	}
	return (error);
}

static moduledata_t divsock_mod = {
	"divsock",
	divsock_modevent,
	NULL
};
DECLARE_MODULE(divsock, divsock_mod, SI_SUB_PROTO_IFATTACHDOMAIN,
    SI_ORDER_ANY);
MODULE_VERSION(divsock, 1);
