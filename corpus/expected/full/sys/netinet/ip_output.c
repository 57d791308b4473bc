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
#include "opt_mpath.h"

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/protosw.h>
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
#include <netinet/in_systm.h>
#include <netinet/in_var.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>

#ifdef IPSEC
#include <netinet/ip_ipsec.h>
#include <netipsec/ipsec.h>
#include <netipsec/vipsec.h>
#endif

VNET_DEFINE(u_short, ip_id);

VNET_DEFINE(int, ip_mcast_loop) = IP_DEFAULT_MULTICAST_LOOP;

int	ip_do_randomid = 0;
SYSCTL_INT(_net_inet_ip, OID_AUTO, random_id, CTLFLAG_RW, &ip_do_randomid,
    0, "Use random IP ids");

/*
 * Pick the id of the next datagram: sequential per stack unless random
 * ids were asked for.
 */
static u_short
ip_newid(void)
{
	if (ip_do_randomid)
		return (ip_randomid());
	return (htons(V_ip_id++));
}

/*
 * Send an IP datagram.  The mbuf chain holds a datagram with a skeletal
 * header (ip_len and ip_off in host order).  opt, if present, carries
 * options to insert; ro caches the route; flags are IP_FORWARDING and
 * friends from ip_var.h.
 */
int
ip_output(struct mbuf *m, struct mbuf *opt, struct route *ro, int flags,
    struct ip_moptions *imo, struct inpcb *inp)
{
	struct ip *ip;
	struct ifnet *ifp;
	struct in_ifaddr *ia;
	struct sockaddr_in *dst;
	struct route iproute;
	int hlen, len, error;
#ifdef IPSEC
	struct secpolicy *sp = NULL;
#endif

	M_ASSERTPKTHDR(m);
	error = 0;
	if (ro == NULL) {
		ro = &iproute;
		bzero(ro, sizeof(*ro));
	}

	hlen = sizeof(struct ip);
	if (opt != NULL) {
		m = ip_insertoptions(m, opt, &len);
		if (len != 0)
			hlen = len;
	}
	ip = mtod(m, struct ip *);

	/* Fill in the header unless the caller built it already. */
	if ((flags & (IP_FORWARDING | IP_RAWOUTPUT)) == 0) {
		ip->ip_v = IPVERSION;
		ip->ip_hl = hlen >> 2;
		ip->ip_id = ip_newid();
		V_ipstat.ips_localout++;
	} else
		hlen = ip->ip_hl << 2;

	dst = (struct sockaddr_in *)&ro->ro_dst;
	if (ro->ro_rt == NULL) {
		bzero(dst, sizeof(*dst));
		dst->sin_family = AF_INET;
		dst->sin_len = sizeof(*dst);
		dst->sin_addr = ip->ip_dst;
		in_rtalloc_ign(ro, 0,
		    inp != NULL ? inp->inp_inc.inc_fibnum : M_GETFIB(m));
	}
#ifdef RADIX_MPATH
	if (ro->ro_rt == NULL || ro->ro_rt->rt_ifp == NULL ||
	    (ro->ro_rt->rt_flags & RTF_UP) == 0) {
#else
	if (ro->ro_rt == NULL || (ro->ro_rt->rt_flags & RTF_UP) == 0) {
#endif
		V_ipstat.ips_noroute++;
		error = EHOSTUNREACH;
		goto bad;
	}
	ia = ifatoia(ro->ro_rt->rt_ifa);
	ifp = ro->ro_rt->rt_ifp;
	ro->ro_rt->rt_rmx.rmx_pksent++;
	if (ro->ro_rt->rt_flags & RTF_GATEWAY)
		dst = (struct sockaddr_in *)ro->ro_rt->rt_gateway;

	if (IN_MULTICAST(ntohl(ip->ip_dst.s_addr))) {
		m->m_flags |= M_MCAST;
		if (imo != NULL ? imo->imo_multicast_loop : V_ip_mcast_loop)
			ip_mloopback(ifp, m, dst, hlen);
	}
	if (ip->ip_src.s_addr == INADDR_ANY)
		ip->ip_src = IA_SIN(ia)->sin_addr;

#ifdef IPSEC
	sp = ip_ipsec_output(&m, inp, &flags, &error);
	if (error == EJUSTRETURN) {
		/* Consumed by the IPsec output path. */
		error = 0;
		goto done;
	}
	if (error != 0)
		goto bad;
	ip = mtod(m, struct ip *);
#endif

	len = ip->ip_len;
	ip->ip_len = htons(ip->ip_len);
	ip->ip_off = htons(ip->ip_off);
	ip->ip_sum = 0;
	if (len <= ifp->if_mtu) {
		ip->ip_sum = in_cksum(m, hlen);
		error = (*ifp->if_output)(ifp, m, (struct sockaddr *)dst,
		    ro->ro_rt);
		goto done;
	}
	if (ip->ip_off & htons(IP_DF)) {
		V_ipstat.ips_cantfrag++;
		error = EMSGSIZE;
		goto bad;
	}
	error = ip_fragment(ip, &m, ifp->if_mtu, ifp->if_hwassist, 0);
	if (error == 0)
		error = ip_output_chain(ifp, m, dst, ro->ro_rt);

done:
	if (ro == &iproute && ro->ro_rt != NULL)
		RTFREE(ro->ro_rt);
#ifdef IPSEC
	if (sp != NULL)
		KEY_FREESP(&sp);
#endif
	return (error);
bad:
	m_freem(m);
	goto done;
}

/*
 * IP-level socket options.
 */
int
ip_ctloutput(struct socket *so, struct sockopt *sopt)
{
	struct inpcb *inp = sotoinpcb(so);
	int error, optval;

	if (sopt->sopt_level != IPPROTO_IP)
		return (EINVAL);
	error = optval = 0;
	switch (sopt->sopt_dir) {
	case SOPT_SET:
		switch (sopt->sopt_name) {
		case IP_TTL:
		case IP_TOS:
			error = sooptcopyin(sopt, &optval, sizeof(optval),
			    sizeof(optval));
			if (error != 0)
				break;
			if (optval < 0 || optval > 255) {
				error = EINVAL;
				break;
			}
			INP_WLOCK(inp);
			if (sopt->sopt_name == IP_TTL)
				inp->inp_ip_ttl = optval;
			else
				inp->inp_ip_tos = optval;
			INP_WUNLOCK(inp);
			break;
		default:
			error = ENOPROTOOPT;
			break;
		}
		break;

	case SOPT_GET:
		switch (sopt->sopt_name) {
		case IP_TTL:
			optval = inp->inp_ip_ttl;
			if (optval == 0)
				optval = V_ip_defttl;
			error = sooptcopyout(sopt, &optval, sizeof(optval));
			break;
		case IP_TOS:
			optval = inp->inp_ip_tos;
			error = sooptcopyout(sopt, &optval, sizeof(optval));
			break;
		default:
			error = ENOPROTOOPT;
			break;
		}
		break;
	}
	return (error);
}
