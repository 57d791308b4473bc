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
#include <sys/callout.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/md5.h>
#include <sys/random.h>
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
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <netinet/tcp.h>
#include <netinet/tcp_fsm.h>
#include <netinet/tcp_seq.h>
#include <netinet/tcp_timer.h>
#include <netinet/tcp_var.h>
#include <netinet/tcpip.h>
#include <netinet/vinet.h>
#ifdef INET6
#include <netinet/ip6.h>
#include <netinet6/in6_pcb.h>
#include <netinet6/ip6_var.h>
#include <netinet6/vinet6.h>
#endif

#ifdef IPSEC
#include <netipsec/ipsec.h>
#include <netipsec/vipsec.h>
#endif

#ifdef VIMAGE_GLOBALS
struct	inpcbhead tcb;
struct	inpcbinfo tcbinfo;
struct	tcpstat tcpstat;
int	tcp_mssdflt;
int	tcp_v6mssdflt;
int	tcp_do_rfc1323;
static	u_char isn_secret[32];
static	int isn_last_reseed;
static	u_int32_t isn_offset;
#endif

static int	tcp_isn_reseed_interval = 0;
static struct mtx isn_mtx;

#define	ISN_LOCK()	mtx_lock(&isn_mtx)
#define	ISN_UNLOCK()	mtx_unlock(&isn_mtx)

/*
 * Short timer handlers bracket their work with these: pull in the INET
 * container of the current stack and take or drop the pcbinfo lock.
 */
#define	TCP_PROLOGUE() do {						\
	INP_INFO_WLOCK(&V_tcbinfo);					\
} while (0)
#define	TCP_EPILOGUE() do {						\
	INP_INFO_WUNLOCK(&V_tcbinfo);					\
} while (0)

#define	TCBHASHSIZE	512
#define	ISN_STATIC_INCREMENT	4096
#define	ISN_RANDOM_INCREMENT	(4096 - 1)

SYSCTL_V_INT(V_NET, vnet_inet, _net_inet_tcp, TCPCTL_MSSDFLT, mssdflt,
    CTLFLAG_RW, tcp_mssdflt, 0, "Default MSS for IPv4 connections");
#ifdef INET6
SYSCTL_V_INT(V_NET, vnet_inet, _net_inet_tcp, TCPCTL_V6MSSDFLT, v6mssdflt,
    CTLFLAG_RW, tcp_v6mssdflt, 0, "Default MSS for IPv6 connections");
#endif
SYSCTL_V_INT(V_NET, vnet_inet, _net_inet_tcp, TCPCTL_DO_RFC1323, rfc1323,
    CTLFLAG_RW, tcp_do_rfc1323, 0, "Window scaling and timestamps");
SYSCTL_V_STRUCT(V_NET, vnet_inet, _net_inet_tcp, TCPCTL_STATS, stats,
    CTLFLAG_RW, tcpstat, tcpstat, "TCP statistics (struct tcpstat)");
SYSCTL_INT(_net_inet_tcp, OID_AUTO, isn_reseed_interval, CTLFLAG_RW,
    &tcp_isn_reseed_interval, 0, "Seconds between reseeds of the ISN secret");

static uma_zone_t tcpcb_zone;

/*
 * Per-stack TCP setup.
 */
void
tcp_init(void)
{

	V_tcp_mssdflt = TCP_MSS;
	V_tcp_v6mssdflt = TCP6_MSS;
	V_tcp_do_rfc1323 = 1;
	V_isn_last_reseed = 0;
	LIST_INIT(&V_tcb);
	INP_INFO_LOCK_INIT(&V_tcbinfo, "tcp");
	V_tcbinfo.ipi_listhead = &V_tcb;
	V_tcbinfo.ipi_hashbase = hashinit(TCBHASHSIZE, M_PCB,
	    &V_tcbinfo.ipi_hashmask);
	V_tcbinfo.ipi_porthashbase = hashinit(TCBHASHSIZE, M_PCB,
	    &V_tcbinfo.ipi_porthashmask);
	V_tcbinfo.ipi_zone = uma_zcreate("tcp_inpcb", sizeof(struct inpcb),
	    NULL, NULL, NULL, NULL, UMA_ALIGN_PTR, UMA_ZONE_NOFREE);
	uma_zone_set_max(V_tcbinfo.ipi_zone, maxsockets);
}

static void
tcp_init_once(void *dummy __unused)
{

	mtx_init(&isn_mtx, "isn_mtx", NULL, MTX_DEF);
	tcpcb_zone = uma_zcreate("tcpcb", sizeof(struct tcpcb), NULL, NULL,
	    NULL, NULL, UMA_ALIGN_PTR, UMA_ZONE_NOFREE);
}
SYSINIT(tcp_init_once, SI_SUB_PROTO_DOMAIN, SI_ORDER_ANY, tcp_init_once,
    NULL);

/*
 * Room taken by the IP and TCP headers of a segment on this connection,
 * options and IPsec encapsulation included.
 */
u_int
tcp_hdrroom(struct tcpcb *tp)
{
	struct inpcb *inp = tp->t_inpcb;
	u_int room;

	room = sizeof(struct tcpiphdr);
#ifdef INET6
	if (inp->inp_vflag & INP_IPV6)
		room = sizeof(struct ip6_hdr) + sizeof(struct tcphdr);
#endif
	if ((tp->t_flags & TF_NOOPT) == 0 && V_tcp_do_rfc1323)
		room += TCPOLEN_TSTAMP_APPA;
#ifdef IPSEC
	if (V_ipsec_debug > 1)
		printf("%s: adding IPsec overhead\n", __func__);
	room += ipsec_hdrsiz_tcp(tp);
#endif
	return (room);
}

/*
 * Attach a new tcpcb to an inpcb, with timers and defaults.
 */
struct tcpcb *
tcp_newtcpcb(struct inpcb *inp)
{
	struct tcpcb *tp;
#ifdef INET6
	int isipv6 = (inp->inp_vflag & INP_IPV6) != 0;
#endif

	tp = uma_zalloc(tcpcb_zone, M_NOWAIT | M_ZERO);
	if (tp == NULL)
		return (NULL);
	tp->t_timers = &((struct tcpcb_mem *)tp)->tt;
#ifdef INET6
	tp->t_maxseg = tp->t_maxopd = isipv6 ? V_tcp_v6mssdflt :
	    V_tcp_mssdflt;
#else
	tp->t_maxseg = tp->t_maxopd = V_tcp_mssdflt;
#endif
	callout_init(&tp->t_timers->tt_rexmt, CALLOUT_MPSAFE);
	callout_init(&tp->t_timers->tt_keep, CALLOUT_MPSAFE);
	callout_init(&tp->t_timers->tt_2msl, CALLOUT_MPSAFE);
	if (V_tcp_do_rfc1323)
		tp->t_flags = TF_REQ_SCALE | TF_REQ_TSTMP;
	tp->t_inpcb = inp;
	tp->t_srtt = TCPTV_SRTTBASE;
	tp->t_rttvar = ((TCPTV_RTOBASE - TCPTV_SRTTBASE) << TCP_RTTVAR_SHIFT) / 4;
	tp->snd_cwnd = TCP_MAXWIN << TCP_MAX_WINSHIFT;
	tp->snd_ssthresh = TCP_MAXWIN << TCP_MAX_WINSHIFT;
	tp->t_rcvtime = ticks;
#ifdef INET6
	inp->inp_ip_ttl = isipv6 ? in6_selecthlim(inp, NULL) : V_ip_defttl;
#else
	inp->inp_ip_ttl = V_ip_defttl;
#endif
	inp->inp_ppcb = tp;
	return (tp);
}

/*
 * Free the tcpcb of a connection that is going away.
 */
void
tcp_discardcb(struct tcpcb *tp)
{
	struct inpcb *inp = tp->t_inpcb;

	INP_WLOCK_ASSERT(inp);
	callout_stop(&tp->t_timers->tt_rexmt);
	callout_stop(&tp->t_timers->tt_keep);
	callout_stop(&tp->t_timers->tt_2msl);
	if (tp->t_rttupdated >= 4)
		V_tcpstat.tcps_cachedrtt++;
	tcp_free_sackholes(tp);
	inp->inp_ppcb = NULL;
	tp->t_inpcb = NULL;
	uma_zfree(tcpcb_zone, tp);
}

/*
 * Initial sequence numbers: a keyed hash of the connection 4-tuple plus
 * a per-stack offset that keeps growing.  The key is renewed every
 * tcp_isn_reseed_interval seconds, if that is set.
 */
tcp_seq
tcp_new_isn(struct tcpcb *tp)
{
	struct in_conninfo *inc;
	MD5_CTX ctx;
	u_int32_t digest[4];
	tcp_seq isn;

	INP_WLOCK_ASSERT(tp->t_inpcb);
	inc = &tp->t_inpcb->inp_inc;
	ISN_LOCK();
	if (V_isn_last_reseed == 0 || (tcp_isn_reseed_interval > 0 &&
	    ticks - V_isn_last_reseed > tcp_isn_reseed_interval * hz)) {
		read_random(V_isn_secret, sizeof(V_isn_secret));
		V_isn_last_reseed = ticks;
	}
	MD5Init(&ctx);
	MD5Update(&ctx, V_isn_secret, sizeof(V_isn_secret));
	MD5Update(&ctx, (u_char *)&inc->inc_ie, sizeof(inc->inc_ie));
	MD5Final((u_char *)digest, &ctx);
	V_isn_offset += ISN_STATIC_INCREMENT +
	    (arc4random() & ISN_RANDOM_INCREMENT);
	isn = digest[0] ^ digest[3];
	isn += V_isn_offset;
	ISN_UNLOCK();
	return (isn);
}

/*
 * The 2MSL timer of a connection in TIME_WAIT ran out.
 */
void
tcp_timer_2msl_reap(void *xtp)
{
	struct tcpcb *tp = xtp;
	struct inpcb *inp;

	TCP_PROLOGUE();
	inp = tp->t_inpcb;
	INP_WLOCK(inp);
	if (callout_pending(&tp->t_timers->tt_2msl) ||
	    !callout_active(&tp->t_timers->tt_2msl)) {
		INP_WUNLOCK(inp);
		TCP_EPILOGUE();
		return;
	}
	callout_deactivate(&tp->t_timers->tt_2msl);
	tp = tcp_close(tp);
	if (tp != NULL)
		INP_WUNLOCK(inp);
	TCP_EPILOGUE();
}

/*
 * mbufs are short: drop the out-of-order queues of every connection in
 * every stack.
 */
void
tcp_drain(void)
{
	VNET_ITERATOR_DECL(vnet_iter);
	struct inpcb *inp;
	struct tcpcb *tp;

	if (!do_tcpdrain)
		return;
	VNET_LIST_RLOCK();
	VNET_FOREACH(vnet_iter) {
		CURVNET_SET(vnet_iter);
		INP_INFO_RLOCK(&V_tcbinfo);
		LIST_FOREACH(inp, V_tcbinfo.ipi_listhead, inp_list) {
			INP_WLOCK(inp);
			tp = intotcpcb(inp);
			if (tp != NULL && tp->t_segqlen > 0)
				tcp_reass_flush(tp);
			INP_WUNLOCK(inp);
		}
		INP_INFO_RUNLOCK(&V_tcbinfo);
		CURVNET_RESTORE();
	}
	VNET_LIST_RUNLOCK();
}
