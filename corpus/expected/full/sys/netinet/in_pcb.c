/*-
 * Copyright (c) 2009 Ilse Marten
 * All rights reserved.
 *
 * Written for the vimage-migrate test corpus; not derived from FreeBSD
 * sources.  See corpus/README.md.
 */

#include <sys/cdefs.h>
__FBSDID("$FreeBSD$");

#include "opt_inet6.h"

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/libkern.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/proc.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/sysctl.h>
#include <sys/vimage.h>

#include <net/if.h>
#include <net/if_var.h>
#include <net/route.h>
#include <net/vnet.h>

#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/in_var.h>
#include <netinet/ip_var.h>
#ifdef INET6
#include <netinet/ip6.h>
#include <netinet6/ip6_var.h>
#include <netinet6/vinet6.h>
#endif

#include <vm/uma.h>

VNET_DEFINE(int, ipport_lowfirstauto);
VNET_DEFINE(int, ipport_lowlastauto);
VNET_DEFINE(int, ipport_firstauto);
VNET_DEFINE(int, ipport_lastauto);
VNET_DEFINE(int, ipport_randomized);

#define	V_ipport_lowfirstauto	VNET(ipport_lowfirstauto)
#define	V_ipport_lowlastauto	VNET(ipport_lowlastauto)
#define	V_ipport_firstauto	VNET(ipport_firstauto)
#define	V_ipport_lastauto	VNET(ipport_lastauto)
#define	V_ipport_randomized	VNET(ipport_randomized)

/* Which range a port-range sysctl belongs to (its arg2). */
#define	IPPORT_RANGE_LOW	0
#define	IPPORT_RANGE_HIGH	1

static int	sysctl_ipport_bound(SYSCTL_HANDLER_ARGS);

SYSCTL_NODE(_net_inet_ip, IPPROTO_IP, portrange, CTLFLAG_RW, 0,
    "Ephemeral port ranges");
SYSCTL_VNET_PROC(_net_inet_ip_portrange, OID_AUTO, lowfirst,
    CTLTYPE_INT | CTLFLAG_RW, &VNET_NAME(ipport_lowfirstauto), IPPORT_RANGE_LOW,
    sysctl_ipport_bound, "I", "First port of the privileged range");
SYSCTL_VNET_PROC(_net_inet_ip_portrange, OID_AUTO, lowlast,
    CTLTYPE_INT | CTLFLAG_RW, &VNET_NAME(ipport_lowlastauto), IPPORT_RANGE_LOW,
    sysctl_ipport_bound, "I", "Last port of the privileged range");
SYSCTL_VNET_PROC(_net_inet_ip_portrange, OID_AUTO, first,
    CTLTYPE_INT | CTLFLAG_RW, &VNET_NAME(ipport_firstauto), IPPORT_RANGE_HIGH,
    sysctl_ipport_bound, "I", "First port of the default range");
SYSCTL_VNET_PROC(_net_inet_ip_portrange, OID_AUTO, last,
    CTLTYPE_INT | CTLFLAG_RW, &VNET_NAME(ipport_lastauto), IPPORT_RANGE_HIGH,
    sysctl_ipport_bound, "I", "Last port of the default range");
SYSCTL_VNET_INT(_net_inet_ip_portrange, OID_AUTO, randomized, CTLFLAG_RW,
    &VNET_NAME(ipport_randomized), 0, "Pick ephemeral ports at random");

/*
 * Check a new bound of one of the port ranges.  arg1 points at the
 * variable, arg2 says which range it belongs to.
 */
static int
sysctl_ipport_bound(SYSCTL_HANDLER_ARGS)
{
	int error, lo, hi, val;

	VNET_SYSCTL_ARG(req, arg1);
	val = *(int *)arg1;
	error = sysctl_handle_int(oidp, &val, 0, req);
	if (error != 0 || req->newptr == NULL)
		return (error);
	if (arg2 == IPPORT_RANGE_LOW) {
		lo = 1;
		hi = IPPORT_RESERVED - 1;
	} else {
		lo = IPPORT_RESERVED;
		hi = IPPORT_MAX;
	}
	if (val < lo || val > hi)
		return (EINVAL);
	*(int *)arg1 = val;
	return (0);
}

/*
 * Give a socket a fresh protocol control block on the given list.
 */
int
in_pcballoc(struct socket *so, struct inpcbinfo *pcbinfo)
{
	struct inpcb *inp;

	INP_INFO_WLOCK_ASSERT(pcbinfo);
	inp = uma_zalloc(pcbinfo->ipi_zone, M_NOWAIT | M_ZERO);
	if (inp == NULL)
		return (ENOBUFS);
	inp->inp_pcbinfo = pcbinfo;
	inp->inp_socket = so;
	inp->inp_cred = crhold(so->so_cred);
	inp->inp_inc.inc_fibnum = so->so_fibnum;
	inp->inp_vnet = so->so_vnet;
	inp->inp_ip_ttl = V_ip_defttl;
#ifdef INET6
	if (INP_SOCKAF(so) == AF_INET6) {
		inp->inp_vflag |= INP_IPV6PROTO;
		if (V_ip6_v6only)
			inp->inp_flags |= IN6P_IPV6_V6ONLY;
	}
#endif
	LIST_INSERT_HEAD(pcbinfo->ipi_listhead, inp, inp_list);
	pcbinfo->ipi_count++;
	inp->inp_gencnt = ++pcbinfo->ipi_gencnt;
	so->so_pcb = inp;
	INP_WLOCK(inp);
	return (0);
}

/*
 * Choose an ephemeral local port for inp.  The range depends on the
 * socket's IP_PORTRANGE setting; within it we go downwards from the
 * last port handed out, or start at a random place.
 */
int
in_pcb_pickport(struct inpcb *inp, u_short *lportp, struct thread *td)
{
	struct inpcbinfo *pcbinfo;
	u_short first, last, *lastport;
	u_short port;
	int count;

	pcbinfo = inp->inp_pcbinfo;
	if (inp->inp_flags & INP_LOWPORT) {
		if (priv_check(td, PRIV_NETINET_RESERVEDPORT) != 0)
			return (EACCES);
		first = V_ipport_lowfirstauto;
		last = V_ipport_lowlastauto;
		lastport = &pcbinfo->ipi_lastlow;
	} else {
		first = V_ipport_firstauto;
		last = V_ipport_lastauto;
		lastport = &pcbinfo->ipi_lastport;
	}
	if (first > last) {
		port = first;
		first = last;
		last = port;
	}
	count = last - first + 1;
	if (V_ipport_randomized)
		*lastport = first + (arc4random() % count);
	do {
		if (count-- < 0)
			return (EADDRNOTAVAIL);
		if (*lastport <= first || *lastport > last)
			*lastport = last;
		else
			--*lastport;
		port = htons(*lastport);
	} while (in_pcblookup_local(pcbinfo, inp->inp_laddr, port,
	    INPLOOKUP_WILDCARD, td->td_ucred) != NULL);
	*lportp = port;
	return (0);
}

/*
 * Pick the local address for a connection to faddr: the address of the
 * outgoing interface, or of the loopback interface if there is no route.
 */
int
in_pcbladdr(struct inpcb *inp, struct in_addr *faddr, struct in_addr *laddr)
{
	struct in_ifaddr *ia;
	struct route sro;

	if (TAILQ_EMPTY(&V_in_ifaddrhead))
		return (EADDRNOTAVAIL);
	ia = NULL;
	bzero(&sro, sizeof(sro));
	((struct sockaddr_in *)&sro.ro_dst)->sin_family = AF_INET;
	((struct sockaddr_in *)&sro.ro_dst)->sin_len =
	    sizeof(struct sockaddr_in);
	((struct sockaddr_in *)&sro.ro_dst)->sin_addr = *faddr;
	in_rtalloc_ign(&sro, RTF_CLONING, inp->inp_inc.inc_fibnum);
	if (sro.ro_rt != NULL) {
		if (sro.ro_rt->rt_ifa != NULL)
			ia = ifatoia(sro.ro_rt->rt_ifa);
		RTFREE(sro.ro_rt);
	}
	if (ia == NULL && V_loif != NULL)
		ia = ifatoia(TAILQ_FIRST(&V_loif->if_addrhead));
	if (ia == NULL)
		return (ENETUNREACH);
	*laddr = IA_SIN(ia)->sin_addr;
	return (0);
}

/*
 * Release a pcb that no longer has a socket.
 */
void
in_pcbfree(struct inpcb *inp)
{
	struct inpcbinfo *ipi = inp->inp_pcbinfo;

	KASSERT(inp->inp_socket == NULL, ("%s: socket still attached",
	    __func__));
	INP_INFO_WLOCK_ASSERT(ipi);
	INP_WLOCK_ASSERT(inp);

	in_pcbremlists(inp);
#ifdef INET6
	if (inp->inp_vflag & INP_IPV6PROTO) {
		ip6_freepcbopts(inp->in6p_outputopts);
		ip6_freemoptions(inp->in6p_moptions);
	}
#endif
	if (inp->inp_options != NULL)
		(void)m_free(inp->inp_options);
	if (inp->inp_moptions != NULL)
		inp_freemoptions(inp->inp_moptions);
	inp->inp_vflag = 0;
	crfree(inp->inp_cred);
	INP_WUNLOCK(inp);
	uma_zfree(ipi->ipi_zone, inp);
}

/*
 * Mark a pcb dead: it stays on the lists until its socket goes away,
 * but lookups no longer find it.
 */
void
in_pcbdrop(struct inpcb *inp)
{

	INP_WLOCK_ASSERT(inp);
	inp->inp_vflag |= INP_DROPPED;
	if (inp->inp_flags & INP_INHASHLIST) {
		LIST_REMOVE(inp, inp_hash);
		LIST_REMOVE(inp, inp_portlist);
		inp->inp_flags &= ~INP_INHASHLIST;
	}
}
