/*-
 * Copyright (c) 2009 Ilse Marten
 * All rights reserved.
 *
 * Written for the vimage-migrate test corpus; not derived from FreeBSD
 * sources.  See corpus/README.md.
 *
 * $FreeBSD$
 */

#ifndef _NETINET_IP_VAR_H_
#define	_NETINET_IP_VAR_H_

#include <sys/queue.h>

/*
 * A datagram whose fragments are being collected.  Entries hang off one
 * of the IPREASS_NHASH buckets of the per-stack reassembly table.
 */
struct ipq {
	TAILQ_ENTRY(ipq) ipq_list;
	u_char	ipq_ttl;		/* seconds left before we give up */
	u_char	ipq_p;			/* protocol of the datagram */
	u_short	ipq_id;			/* identification */
	struct	mbuf *ipq_frags;	/* fragments, sorted by offset */
	struct	in_addr ipq_src, ipq_dst;
	u_char	ipq_nfrags;		/* fragments held so far */
	struct	label *ipq_label;
};

#define	IPREASS_NHASH_LOG2	6
#define	IPREASS_NHASH		(1 << IPREASS_NHASH_LOG2)
#define	IPREASS_HMASK		(IPREASS_NHASH - 1)
#define	IPREASS_HASH(src, id)						\
	((((src) ^ ((src) >> 12) ^ (id)) & IPREASS_HMASK))

/*
 * Counters exported through net.inet.ip.stats.
 */
struct ipstat {
	u_long	ips_total;		/* datagrams received */
	u_long	ips_badsum;		/* header checksum wrong */
	u_long	ips_tooshort;		/* shorter than ip_len says */
	u_long	ips_toosmall;		/* not even a full header */
	u_long	ips_badhlen;		/* ip_hl below five words */
	u_long	ips_badlen;		/* ip_len below the header length */
	u_long	ips_badvers;		/* ip_v is not 4 */
	u_long	ips_badoptions;		/* option processing failed */
	u_long	ips_fragments;		/* fragments received */
	u_long	ips_fragdropped;	/* fragments thrown away */
	u_long	ips_fragtimeout;	/* fragments aged out */
	u_long	ips_reassembled;	/* datagrams put back together */
	u_long	ips_forward;		/* datagrams forwarded */
	u_long	ips_cantforward;	/* not ours and forwarding is off */
	u_long	ips_redirectsent;	/* ICMP redirects sent */
	u_long	ips_noproto;		/* no handler for ip_p */
	u_long	ips_delivered;		/* handed to an upper layer */
	u_long	ips_localout;		/* generated on this host */
	u_long	ips_rawout;		/* header supplied by the sender */
	u_long	ips_odropped;		/* output dropped for lack of mbufs */
	u_long	ips_noroute;		/* no route to the destination */
	u_long	ips_fragmented;		/* datagrams cut into fragments */
	u_long	ips_ofragments;		/* fragments sent */
	u_long	ips_cantfrag;		/* too big and DF set */
	u_long	ips_notmember;		/* multicast group not joined */
};

#ifdef _KERNEL

/* Flags passed to ip_output() as its fourth argument. */
#define	IP_FORWARDING		0x1	/* forwarding, header is ready */
#define	IP_RAWOUTPUT		0x2	/* raw socket supplied the header */
#define	IP_SENDONES		0x4	/* send to the all-ones broadcast */
#define	IP_ROUTETOIF		SO_DONTROUTE
#define	IP_ALLOWBROADCAST	SO_BROADCAST

struct inpcb;
struct ip_moptions;
struct route;
struct sockopt;

#ifdef VIMAGE_GLOBALS
extern int	ipforwarding;
extern int	ip_doopts;
extern int	ip_defttl;
extern u_short	ip_id;
extern int	ip_mcast_loop;
extern struct	ipstat ipstat;
extern int	maxnipq;
extern int	nipq;
extern struct	in_ifaddrhead in_ifaddrhead;
extern struct	in_ifaddrhashhead *in_ifaddrhashtbl;
extern u_long	in_ifaddrhmask;
#endif

extern int	ip_do_randomid;
extern u_char	ip_protox[];
extern struct	pr_usrreqs rip_usrreqs;

int	ip_ctloutput(struct socket *, struct sockopt *);
int	ip_dooptions(struct mbuf *, int);
void	ip_drain(void);
int	ip_fragment(struct ip *, struct mbuf **, int, u_long, u_long);
void	ip_forward(struct mbuf *, int);
void	ip_init(void);
void	ip_input(struct mbuf *);
struct mbuf *
	ip_insertoptions(struct mbuf *, struct mbuf *, int *);
int	ip_output(struct mbuf *, struct mbuf *, struct route *, int,
	    struct ip_moptions *, struct inpcb *);
u_int16_t
	ip_randomid(void);
struct mbuf *
	ip_reass(struct mbuf *);
void	ip_slowtimo(void);
void	ip_stripoptions(struct mbuf *, struct mbuf *);

#endif /* _KERNEL */

#endif /* !_NETINET_IP_VAR_H_ */
