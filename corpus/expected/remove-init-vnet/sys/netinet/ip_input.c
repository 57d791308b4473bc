/*-
 * Copyright (c) 2009 Ilse Marten
 * All rights reserved.
 *
 * Written for the vimage-migrate test corpus; not derived from FreeBSD
 * sources.  See corpus/README.md.
 */

#include <sys/cdefs.h>
__FBSDID("$FreeBSD$");

#include "opt_ipsec.h"
#include "opt_ipstealth.h"

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/callout.h>
#include <sys/kernel.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/protosw.h>
#include <sys/socket.h>
#include <sys/sx.h>
#include <sys/sysctl.h>
#include <sys/vimage.h>

#include <net/if.h>
#include <net/if_var.h>
#include <net/route.h>
#include <net/vnet.h>

#include <netinet/in.h>
#include <netinet/in_systm.h>
#include <netinet/in_var.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <netinet/vinet.h>

#ifdef IPSEC
#include <netinet/ip_ipsec.h>
#include <netipsec/ipsec.h>
#include <netipsec/vipsec.h>
#endif

#include <vm/uma.h>

#ifdef VIMAGE_GLOBALS
int	ipforwarding;
static	int ipsendredirects;
int	ip_doopts;
int	ip_defttl;
int	maxnipq;
int	nipq;
struct	ipstat ipstat;
static	struct ipqhead ipq[IPREASS_NHASH];
struct	in_ifaddrhashhead *in_ifaddrhashtbl;
struct	in_ifaddrhead in_ifaddrhead;
u_long	in_ifaddrhmask;
#ifdef IPSTEALTH
int	ipstealth;
#endif
#endif

static	uma_zone_t ipq_zone;
static	struct mtx ipqlock;

#define	IPQ_LOCK()		mtx_lock(&ipqlock)
#define	IPQ_UNLOCK()		mtx_unlock(&ipqlock)
#define	IPQ_LOCK_ASSERT()	mtx_assert(&ipqlock, MA_OWNED)

static int	sysctl_maxnipq(SYSCTL_HANDLER_ARGS);
static void	ip_freef(struct ipqhead *, struct ipq *);

SYSCTL_V_INT(V_NET, vnet_inet, _net_inet_ip, IPCTL_FORWARDING, forwarding,
    CTLFLAG_RW, ipforwarding, 0, "Forward datagrams between interfaces");
SYSCTL_V_INT(V_NET, vnet_inet, _net_inet_ip, IPCTL_SENDREDIRECTS, redirect,
    CTLFLAG_RW, ipsendredirects, 0, "Send ICMP redirects");
SYSCTL_V_INT(V_NET, vnet_inet, _net_inet_ip, IPCTL_DEFTTL, ttl, CTLFLAG_RW,
    ip_defttl, 0, "TTL of locally generated datagrams");
SYSCTL_V_INT(V_NET, vnet_inet, _net_inet_ip, OID_AUTO, process_options,
    CTLFLAG_RW, ip_doopts, 0,
    "IP options: 0 ignore, 1 process, 2 reject with ICMP");
SYSCTL_V_STRUCT(V_NET, vnet_inet, _net_inet_ip, IPCTL_STATS, stats,
    CTLFLAG_RW, ipstat, ipstat, "IP statistics (struct ipstat)");
SYSCTL_V_PROC(V_NET, vnet_inet, _net_inet_ip, OID_AUTO, maxfragpackets,
    CTLTYPE_INT | CTLFLAG_RW, maxnipq, 0, sysctl_maxnipq, "I",
    "Most datagrams held for reassembly at once (-1: no limit)");
#ifdef IPSTEALTH
SYSCTL_V_INT(V_NET, vnet_inet, _net_inet_ip, OID_AUTO, stealth, CTLFLAG_RW,
    ipstealth, 0, "Forward without touching the TTL");
#endif

static int
sysctl_maxnipq(SYSCTL_HANDLER_ARGS)
{
	int error, val;

	val = V_maxnipq;
	error = sysctl_handle_int(oidp, &val, 0, req);
	if (error != 0 || req->newptr == NULL)
		return (error);
	if (val < -1)
		return (EINVAL);
	V_maxnipq = val;
	return (0);
}

/*
 * Per-stack IP setup, called from the inet domain attach of every new
 * network stack.
 */
void
ip_init(void)
{
	int i;

	V_ipsendredirects = 1;
	V_ip_doopts = 1;
	V_ip_defttl = IPDEFTTL;
	V_ip_mcast_loop = IP_DEFAULT_MULTICAST_LOOP;
	V_ip_id = time_second & 0xffff;
	V_maxnipq = nmbclusters / 32;
	V_nipq = 0;
	TAILQ_INIT(&V_in_ifaddrhead);
	V_in_ifaddrhashtbl = hashinit(INADDR_NHASH, M_IFADDR,
	    &V_in_ifaddrhmask);
	for (i = 0; i < IPREASS_NHASH; i++)
		TAILQ_INIT(&V_ipq[i]);
}

static void
ip_init_once(void *dummy __unused)
{

	mtx_init(&ipqlock, "ipqlock", NULL, MTX_DEF);
	ipq_zone = uma_zcreate("ipq", sizeof(struct ipq), NULL, NULL, NULL,
	    NULL, UMA_ALIGN_PTR, 0);
}
SYSINIT(ip_init_once, SI_SUB_PROTO_DOMAIN, SI_ORDER_FIRST, ip_init_once,
    NULL);

/*
 * Should a redirect go back to the sender of a datagram we are about to
 * forward out of the interface it arrived on?
 */
int
ip_want_redirect(struct mbuf *m, struct in_ifaddr *ia)
{

	if (V_ipsendredirects == 0 || ia == NULL)
		return (0);
	if (ia->ia_ifp != m->m_pkthdr.rcvif)
		return (0);
	if ((m->m_flags & (M_BCAST | M_MCAST)) != 0)
		return (0);
	return (1);
}

/*
 * Entry point for every IPv4 datagram handed up by a driver.  Checks
 * the header, strips link-layer padding, and either delivers the
 * datagram, forwards it or drops it.
 */
void
ip_input(struct mbuf *m)
{
	struct ip *ip;
	struct ifnet *ifp;
	struct in_ifaddr *ia;
	int hlen, checkif;
	u_short sum;

	M_ASSERTPKTHDR(m);
	ifp = m->m_pkthdr.rcvif;
	V_ipstat.ips_total++;

	if (m->m_len < sizeof(struct ip) &&
	    (m = m_pullup(m, sizeof(struct ip))) == NULL) {
		V_ipstat.ips_toosmall++;
		return;
	}
	ip = mtod(m, struct ip *);

	if (ip->ip_v != IPVERSION) {
		V_ipstat.ips_badvers++;
		goto bad;
	}
	hlen = ip->ip_hl << 2;
	if (hlen < sizeof(struct ip)) {
		V_ipstat.ips_badhlen++;
		goto bad;
	}
	if (hlen > m->m_len) {
		if ((m = m_pullup(m, hlen)) == NULL) {
			V_ipstat.ips_badhlen++;
			return;
		}
		ip = mtod(m, struct ip *);
	}

	if (m->m_pkthdr.csum_flags & CSUM_IP_CHECKED)
		sum = !(m->m_pkthdr.csum_flags & CSUM_IP_VALID);
	else
		sum = in_cksum(m, hlen);
	if (sum != 0) {
		V_ipstat.ips_badsum++;
		goto bad;
	}

	ip->ip_len = ntohs(ip->ip_len);
	ip->ip_off = ntohs(ip->ip_off);
	if (ip->ip_len < hlen) {
		V_ipstat.ips_badlen++;
		goto bad;
	}
	if (m->m_pkthdr.len < ip->ip_len) {
		V_ipstat.ips_tooshort++;
		goto bad;
	}
	if (m->m_pkthdr.len > ip->ip_len)
		m_adj(m, ip->ip_len - m->m_pkthdr.len);

	/*
	 * Options are processed, ignored or refused depending on
	 * net.inet.ip.process_options.  Datagrams that went through an
	 * IPsec tunnel had theirs looked at on the outer header already.
	 */
#ifdef IPSEC
	if (hlen > sizeof(struct ip) && V_ip_doopts != 0 &&
	    ipsec_gethist(m, NULL) == NULL) {
#else
	if (hlen > sizeof(struct ip) && V_ip_doopts != 0) {
#endif
		if (ip_dooptions(m, 0))
			return;
	}

	/* Is the datagram for one of our addresses? */
	checkif = V_ipforwarding == 0 && ifp != NULL &&
	    (ifp->if_flags & IFF_LOOPBACK) == 0;
	LIST_FOREACH(ia, INADDR_HASH(ip->ip_dst.s_addr), ia_hash) {
		if (IA_SIN(ia)->sin_addr.s_addr != ip->ip_dst.s_addr)
			continue;
		if (checkif && ia->ia_ifp != ifp)
			continue;
		goto ours;
	}
	if (IN_MULTICAST(ntohl(ip->ip_dst.s_addr)) ||
	    ip->ip_dst.s_addr == INADDR_BROADCAST)
		goto ours;

	if (V_ipforwarding == 0) {
		V_ipstat.ips_cantforward++;
		m_freem(m);
		return;
	}
#ifdef IPSEC
	if (ip_ipsec_fwd(m))
		goto bad;
#endif
	ip_forward(m, 0);
	return;

ours:
	if (ip->ip_off & (IP_MF | IP_OFFMASK)) {
		m = ip_reass(m);
		if (m == NULL)
			return;
		ip = mtod(m, struct ip *);
		hlen = ip->ip_hl << 2;
	}
#ifdef IPSEC
	if (ip_ipsec_input(m))
		goto bad;
#endif
	V_ipstat.ips_delivered++;
	(*inetsw[ip_protox[ip->ip_p]].pr_input)(m, hlen);
	return;
bad:
	m_freem(m);
}

/*
 * Throw away a datagram under reassembly with all its fragments.
 */
static void
ip_freef(struct ipqhead *fhp, struct ipq *fp)
{
	struct mbuf *q;

	IPQ_LOCK_ASSERT();
	while (fp->ipq_frags != NULL) {
		q = fp->ipq_frags;
		fp->ipq_frags = q->m_nextpkt;
		m_freem(q);
	}
	TAILQ_REMOVE(fhp, fp, ipq_list);
	uma_zfree(ipq_zone, fp);
	V_nipq--;
}

/*
 * Age the reassembly queues of every stack; called from pfslowtimo().
 */
void
ip_slowtimo(void)
{
	VNET_ITERATOR_DECL(vnet_iter);
	struct ipq *fp, *next;
	int i;

	VNET_LIST_RLOCK();
	IPQ_LOCK();
	VNET_FOREACH(vnet_iter) {
		CURVNET_SET(vnet_iter);
		for (i = 0; i < IPREASS_NHASH; i++) {
			TAILQ_FOREACH_SAFE(fp, &V_ipq[i], ipq_list, next) {
				if (--fp->ipq_ttl > 0)
					continue;
				V_ipstat.ips_fragtimeout += fp->ipq_nfrags;
				ip_freef(&V_ipq[i], fp);
			}
		}
		/*
		 * The limit may have been lowered since the datagrams
		 * were queued: drop the oldest until we are under it.
		 */
		if (V_maxnipq >= 0 && V_nipq > V_maxnipq) {
			for (i = 0; i < IPREASS_NHASH; i++) {
				while (V_nipq > V_maxnipq &&
				    !TAILQ_EMPTY(&V_ipq[i])) {
					fp = TAILQ_FIRST(&V_ipq[i]);
					V_ipstat.ips_fragdropped +=
					    fp->ipq_nfrags;
					ip_freef(&V_ipq[i], fp);
				}
			}
		}
		CURVNET_RESTORE();
	}
	IPQ_UNLOCK();
	VNET_LIST_RUNLOCK();
}

/*
 * Memory is short: give up on every datagram under reassembly.
 */
void
ip_drain(void)
{
	VNET_ITERATOR_DECL(vnet_iter);
	int i;

	VNET_LIST_RLOCK();
	IPQ_LOCK();
	VNET_FOREACH(vnet_iter) {
		CURVNET_SET(vnet_iter);

		for (i = 0; i < IPREASS_NHASH; i++) {
			while (!TAILQ_EMPTY(&V_ipq[i])) {
				V_ipstat.ips_fragdropped +=
				    TAILQ_FIRST(&V_ipq[i])->ipq_nfrags;
				ip_freef(&V_ipq[i], TAILQ_FIRST(&V_ipq[i]));
			}
		}
		CURVNET_RESTORE();
	}
	IPQ_UNLOCK();
	VNET_LIST_RUNLOCK();
	in_rtqdrain();
}
