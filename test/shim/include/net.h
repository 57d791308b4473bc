/*
 * Userland stand-ins for the network-stack types and functions the corpus
 * uses (mbufs, sockets, ifnet, routes, inpcbs, TCP/UDP/IPv6/IPsec types).
 * Only the fields the corpus touches exist.  Shared by both designs.
 *
 * Written for vimage-migrate; not derived from FreeBSD sources.
 */
#ifndef _SHIM_NET_H_
#define	_SHIM_NET_H_

struct mbuf;
struct socket;
struct ifnet;
struct inpcb;
struct rtentry;
struct sockaddr;
struct uio;
struct cdev;
struct proc;

/* <sys/mbuf.h> */
struct m_tag;
struct pkthdr {
	struct ifnet	*rcvif;
	int		 len;
	int		 csum_flags;
	int		 csum_data;
	int		 fibnum;
};
struct mbuf {
	struct mbuf	*m_next;
	struct mbuf	*m_nextpkt;
	caddr_t		 m_data;
	int		 m_len;
	int		 m_flags;
	struct pkthdr	 m_pkthdr;
	char		 m_dat[MHLEN];
};
#define	M_EXT		0x0001
#define	M_PKTHDR	0x0002
#define	M_EOR		0x0004
#define	M_BCAST		0x0200
#define	M_MCAST		0x0400
#define	M_FRAG		0x0800
#define	M_FIRSTFRAG	0x1000
#define	M_LASTFRAG	0x2000
#define	M_PROTO1	0x0010
#define	M_DONTWAIT	M_NOWAIT
#define	M_TRYWAIT	M_WAITOK
#define	MT_DATA		1
#define	MT_HEADER	MT_DATA
#define	MT_SONAME	8
#define	CSUM_IP		0x0001
#define	CSUM_DELAY_DATA	0x0006
#define	CSUM_IP_CHECKED	0x0100
#define	CSUM_IP_VALID	0x0200
#define	mtod(m, t)	((t)((m)->m_data))
#define	M_ASSERTPKTHDR(m) KASSERT((m) != NULL && ((m)->m_flags & M_PKTHDR),\
	("%s: no mbuf packet header!", __func__))
#define	M_GETFIB(m)	((m)->m_pkthdr.fibnum)
#define	M_SETFIB(m, f)	((m)->m_pkthdr.fibnum = (f))
#define	M_PREPEND(m, plen, how)	((m) = m_prepend((m), (plen), (how)))
struct mbuf *m_get(int, short);
struct mbuf *m_gethdr(int, short);
struct mbuf *m_free(struct mbuf *);
void	m_freem(struct mbuf *);
struct mbuf *m_pullup(struct mbuf *, int);
void	m_adj(struct mbuf *, int);
struct mbuf *m_copypacket(struct mbuf *, int);
struct mbuf *m_copym(struct mbuf *, int, int, int);
struct mbuf *m_prepend(struct mbuf *, int, int);
struct mbuf *m_uiotombuf(struct uio *, int, int, int, int);
void	m_copydata(const struct mbuf *, int, int, caddr_t);
extern int max_linkhdr;
extern int max_protohdr;

/* <vm/uma.h> */
struct uma_zone;
typedef struct uma_zone *uma_zone_t;
typedef int (*uma_ctor)(void *, int, void *, int);
typedef void (*uma_dtor)(void *, int, void *);
typedef int (*uma_init)(void *, int, int);
typedef void (*uma_fini)(void *, int);
#define	UMA_ALIGN_PTR	(sizeof(void *) - 1)
#define	UMA_ALIGN_INT	(sizeof(int) - 1)
#define	UMA_ZONE_NOFREE	0x0020
#define	UMA_ZONE_ZINIT	0x0400
uma_zone_t uma_zcreate(const char *, size_t, uma_ctor, uma_dtor, uma_init,
	    uma_fini, int, u_int32_t);
void	uma_zdestroy(uma_zone_t);
void	*uma_zalloc(uma_zone_t, int);
void	uma_zfree(uma_zone_t, void *);
int	uma_zone_set_max(uma_zone_t, int);

/* <sys/socket.h> */
#define	AF_UNSPEC	0
#define	AF_LOCAL	1
#define	AF_INET		2
#define	AF_LINK		18
#define	AF_INET6	28
#define	AF_MAX		38
#define	PF_UNSPEC	AF_UNSPEC
#define	PF_LINK		AF_LINK
#define	PF_INET		AF_INET
#define	PF_INET6	AF_INET6
#define	SOCK_STREAM	1
#define	SOCK_DGRAM	2
#define	SOCK_RAW	3
#define	SO_DEBUG	0x0001
#define	SO_ACCEPTCONN	0x0002
#define	SO_REUSEADDR	0x0004
#define	SO_KEEPALIVE	0x0008
#define	SO_DONTROUTE	0x0010
#define	SO_BROADCAST	0x0020
#define	SO_REUSEPORT	0x0200
#define	SOL_SOCKET	0xffff
struct sockaddr {
	u_char		sa_len;
	sa_family_t	sa_family;
	char		sa_data[14];
};
struct sockaddr_storage {
	u_char		ss_len;
	sa_family_t	ss_family;
	char		__ss_pad[126];
};

/* <sys/socketvar.h>, <sys/protosw.h> */
struct sockbuf {
	struct mtx	 sb_mtx;
	u_int		 sb_cc;
	u_int		 sb_hiwat;
	short		 sb_state;
	struct mbuf	*sb_mb;
};
struct socket {
	short		 so_type;
	short		 so_options;
	short		 so_state;
	void		*so_pcb;
	struct vnet	*so_vnet;
	struct protosw	*so_proto;
	struct sockbuf	 so_rcv;
	struct sockbuf	 so_snd;
	struct ucred	*so_cred;
	int		 so_fibnum;
	u_short		 so_error;
};
#define	SBS_CANTRCVMORE	0x0020
#define	SOCKBUF_LOCK(sb)	mtx_lock(&(sb)->sb_mtx)
#define	SOCKBUF_UNLOCK(sb)	mtx_unlock(&(sb)->sb_mtx)
#define	SOCKBUF_LOCK_ASSERT(sb)	mtx_assert(&(sb)->sb_mtx, MA_OWNED)
#define	sorwakeup(so)		shim_sowakeup((so), 0)
#define	sowwakeup(so)		shim_sowakeup((so), 1)
#define	sorwakeup_locked(so)	shim_sowakeup((so), 2)
void	shim_sowakeup(struct socket *, int);
int	sbappendaddr_locked(struct sockbuf *, const struct sockaddr *,
	    struct mbuf *, struct mbuf *);
int	soreserve(struct socket *, u_long, u_long);
void	soisconnected(struct socket *);
void	soisdisconnected(struct socket *);
struct sockopt {
	int	 sopt_dir;
	int	 sopt_level;
	int	 sopt_name;
	void	*sopt_val;
	size_t	 sopt_valsize;
	struct thread *sopt_td;
};
enum sopt_dir { SOPT_GET, SOPT_SET };
int	sooptcopyin(struct sockopt *, void *, size_t, size_t);
int	sooptcopyout(struct sockopt *, const void *, size_t);

struct pr_usrreqs {
	void	(*pru_abort)(struct socket *);
	int	(*pru_attach)(struct socket *, int, struct thread *);
	int	(*pru_bind)(struct socket *, struct sockaddr *, struct thread *);
	int	(*pru_connect)(struct socket *, struct sockaddr *,
		    struct thread *);
	int	(*pru_control)(struct socket *, u_long, caddr_t,
		    struct ifnet *, struct thread *);
	void	(*pru_detach)(struct socket *);
	int	(*pru_disconnect)(struct socket *);
	int	(*pru_peeraddr)(struct socket *, struct sockaddr **);
	int	(*pru_send)(struct socket *, int, struct mbuf *,
		    struct sockaddr *, struct mbuf *, struct thread *);
	int	(*pru_shutdown)(struct socket *);
	int	(*pru_sockaddr)(struct socket *, struct sockaddr **);
	void	(*pru_sosetlabel)(struct socket *);
	void	(*pru_close)(struct socket *);
};
struct domain;
struct protosw {
	short	 pr_type;
	struct	 domain *pr_domain;
	short	 pr_protocol;
	short	 pr_flags;
	void	(*pr_input)(struct mbuf *, int);
	int	(*pr_output)(struct mbuf *, struct socket *);
	void	(*pr_ctlinput)(int, struct sockaddr *, void *);
	int	(*pr_ctloutput)(struct socket *, struct sockopt *);
	void	(*pr_init)(void);
	void	(*pr_fasttimo)(void);
	void	(*pr_slowtimo)(void);
	void	(*pr_drain)(void);
	struct	pr_usrreqs *pr_usrreqs;
};
#define	PR_ATOMIC	0x01
#define	PR_ADDR		0x02
#define	PR_CONNREQUIRED	0x04
#define	PR_WANTRCVD	0x08
#define	PR_RIGHTS	0x10
#define	PR_IMPLOPCL	0x20
#define	PR_LASTHDR	0x40
struct domain {
	int	 dom_family;
	const char *dom_name;
	void	(*dom_init)(void);
	struct	protosw *dom_protosw, *dom_protoswNPROTOSW;
	struct	domain *dom_next;
	int	(*dom_rtattach)(void **, int);
	int	 dom_rtoffset;
	int	 dom_maxrtkey;
};
int	pf_proto_register(int, struct protosw *);
int	pf_proto_unregister(int, int, int);
#define	PRC_IFDOWN		0
#define	PRC_ROUTEDEAD		1
#define	PRC_QUENCH		4
#define	PRC_MSGSIZE		5
#define	PRC_HOSTDEAD		6
#define	PRC_UNREACH_NET		8
#define	PRC_UNREACH_HOST	9
#define	PRC_REDIRECT_NET	14
#define	PRC_REDIRECT_HOST	15
#define	PRC_NCMDS		21
#define	PRC_IS_REDIRECT(cmd)						\
	((cmd) >= PRC_REDIRECT_NET && (cmd) <= PRC_REDIRECT_HOST)
extern u_char inetctlerrmap[];

/* <net/if.h>, <net/if_var.h> */
#define	IFNAMSIZ	16
#define	IF_NAMESIZE	IFNAMSIZ
#define	IFF_UP		0x1
#define	IFF_BROADCAST	0x2
#define	IFF_DEBUG	0x4
#define	IFF_LOOPBACK	0x8
#define	IFF_POINTOPOINT	0x10
#define	IFF_RUNNING	0x40
#define	IFF_NOARP	0x80
#define	IFF_PROMISC	0x100
#define	IFF_MULTICAST	0x8000
#define	IFF_DRV_RUNNING	0x40
#define	IFF_DRV_OACTIVE	0x400
#define	IFT_OTHER	0x1
#define	IFT_ETHER	0x6
#define	IFT_LOOP	0x18
#define	IFT_PROPVIRTUAL	0x35
#define	IFT_TUNNEL	0x83
#define	IFT_PPP		0x17
extern int ifqmaxlen;
int	ifhwioctl(u_long, struct ifnet *, caddr_t, struct thread *);
int	ifconf(u_long, caddr_t);
#define	IFAN_ARRIVAL	0
#define	IFAN_DEPARTURE	1
struct ifaddr {
	struct	sockaddr *ifa_addr;
	struct	sockaddr *ifa_netmask;
	struct	ifnet *ifa_ifp;
	TAILQ_ENTRY(ifaddr) ifa_link;
	u_int	ifa_refcnt;
};
#define	IFAFREE(ifa)	((ifa)->ifa_refcnt--)
#define	IFAREF(ifa)	((ifa)->ifa_refcnt++)
TAILQ_HEAD(ifaddrhead, ifaddr);
struct ifqueue {
	struct	mbuf *ifq_head;
	struct	mbuf *ifq_tail;
	int	ifq_len;
	int	ifq_maxlen;
	int	ifq_drops;
	struct	mtx ifq_mtx;
};
struct ifaltq {
	struct	mbuf *ifq_head;
	struct	mbuf *ifq_tail;
	int	ifq_len;
	int	ifq_maxlen;
	int	ifq_drops;
	struct	mtx ifq_mtx;
	int	ifq_drv_maxlen;
};
struct route;
struct ifnet {
	void	*if_softc;
	TAILQ_ENTRY(ifnet) if_link;
	char	 if_xname[IFNAMSIZ];
	const char *if_dname;
	int	 if_dunit;
	struct	ifaddrhead if_addrhead;
	u_short	 if_index;
	short	 if_timer;
	int	 if_flags;
	int	 if_drv_flags;
	u_char	 if_type;
	u_char	 if_addrlen;
	u_char	 if_hdrlen;
	u_long	 if_mtu;
	u_long	 if_metric;
	u_long	 if_baudrate;
	u_long	 if_ipackets;
	u_long	 if_ierrors;
	u_long	 if_opackets;
	u_long	 if_oerrors;
	u_long	 if_collisions;
	u_long	 if_ibytes;
	u_long	 if_obytes;
	u_long	 if_hwassist;
	struct	vnet *if_vnet;
	struct	ifaltq if_snd;
	void	*if_afdata[AF_MAX];
	int	(*if_output)(struct ifnet *, struct mbuf *, struct sockaddr *,
		    struct rtentry *);
	void	(*if_input)(struct ifnet *, struct mbuf *);
	void	(*if_start)(struct ifnet *);
	int	(*if_ioctl)(struct ifnet *, u_long, caddr_t);
	void	(*if_watchdog)(struct ifnet *);
	void	(*if_init)(void *);
	void	*if_bpf;
};
TAILQ_HEAD(ifnethead, ifnet);
struct ifg_group {
	char	 ifg_group[IFNAMSIZ];
	u_int	 ifg_refcnt;
	TAILQ_ENTRY(ifg_group) ifg_next;
};
TAILQ_HEAD(ifgrouphead, ifg_group);
struct ifindex_entry {
	struct	ifnet *ife_ifnet;
	struct	ifaddr *ife_ifnet_addr;
	struct	cdev *ife_dev;
};
struct ifreq {
	char	ifr_name[IFNAMSIZ];
	union {
		struct	sockaddr ifru_addr;
		short	ifru_flags[2];
		int	ifru_metric;
		int	ifru_mtu;
		caddr_t	ifru_data;
	} ifr_ifru;
};
#define	ifr_addr	ifr_ifru.ifru_addr
#define	ifr_flags	ifr_ifru.ifru_flags[0]
#define	ifr_mtu		ifr_ifru.ifru_mtu
#define	ifr_metric	ifr_ifru.ifru_metric
#define	ifr_data	ifr_ifru.ifru_data
struct ifconf {
	int	ifc_len;
	caddr_t	ifc_buf;
};
#define	SIOCSIFADDR	0x8020690c
#define	SIOCSIFFLAGS	0x80206910
#define	SIOCGIFFLAGS	0xc0206911
#define	SIOCSIFMTU	0x80206934
#define	SIOCGIFMTU	0xc0206933
#define	SIOCSIFMETRIC	0x80206918
#define	SIOCADDMULTI	0x80206931
#define	SIOCDELMULTI	0x80206932
#define	SIOCIFCREATE	0xc020697a
#define	SIOCIFDESTROY	0x80206979
#define	SIOCGIFCONF	0xc0106924
#define	SIOCSIFDSTADDR	0x8020690e
extern struct sx ifnet_sxlock;
#define	IFNET_WLOCK()		sx_xlock(&ifnet_sxlock)
#define	IFNET_WUNLOCK()		sx_xunlock(&ifnet_sxlock)
#define	IFNET_RLOCK()		sx_slock(&ifnet_sxlock)
#define	IFNET_RUNLOCK()		sx_sunlock(&ifnet_sxlock)
#define	IF_LOCK(ifq)		mtx_lock(&(ifq)->ifq_mtx)
#define	IF_UNLOCK(ifq)		mtx_unlock(&(ifq)->ifq_mtx)
#define	_IF_DEQUEUE(ifq, m) do {					\
	(m) = (ifq)->ifq_head;						\
	if (m) {							\
		if (((ifq)->ifq_head = (m)->m_nextpkt) == NULL)		\
			(ifq)->ifq_tail = NULL;				\
		(m)->m_nextpkt = NULL;					\
		(ifq)->ifq_len--;					\
	}								\
} while (0)
#define	IF_DEQUEUE(ifq, m) do {						\
	IF_LOCK(ifq);							\
	_IF_DEQUEUE(ifq, m);						\
	IF_UNLOCK(ifq);							\
} while (0)
#define	IF_DRAIN(ifq) do {						\
	struct mbuf *m__;						\
	for (;;) {							\
		_IF_DEQUEUE(ifq, m__);					\
		if (m__ == NULL)					\
			break;						\
		m_freem(m__);						\
	}								\
} while (0)
#define	IFQ_SET_MAXLEN(ifq, len)	((ifq)->ifq_maxlen = (len))
#define	IFQ_HANDOFF(ifp, m, err)	((err) = shim_ifq_handoff((ifp), (m)))
int	shim_ifq_handoff(struct ifnet *, struct mbuf *);
struct ifnet *if_alloc(u_char);
void	if_free(struct ifnet *);
void	if_attach(struct ifnet *);
void	if_detach(struct ifnet *);
void	if_down(struct ifnet *);
void	if_up(struct ifnet *);
void	if_initname(struct ifnet *, const char *, int);
struct ifnet *ifunit(const char *);
struct ifnet *ifnet_byindex(u_short);
int	ifioctl(struct socket *, u_long, caddr_t, struct thread *);
struct ifaddr *ifa_ifwithaddr(struct sockaddr *);
void	rt_ifannouncemsg(struct ifnet *, int);
void	rt_missmsg(int, void *, int, int);

/* <net/if_clone.h> */
struct if_clone;
int	if_clone_create(char *, size_t, caddr_t);
int	if_clone_destroy(const char *);

/* <net/bpf.h> */
void	bpfattach(struct ifnet *, u_int, u_int);
void	bpfdetach(struct ifnet *);
void	bpf_mtap(void *, struct mbuf *);
void	bpf_mtap2(void *, void *, u_int, struct mbuf *);
#define	DLT_NULL	0
#define	bpf_peers_present(b)	((b) != NULL)
#define	BPF_MTAP(ifp, m) do {						\
	if (bpf_peers_present((ifp)->if_bpf))				\
		bpf_mtap((ifp)->if_bpf, (m));				\
} while (0)
#define	BPF_MTAP2(ifp, d, dlen, m) do {					\
	if (bpf_peers_present((ifp)->if_bpf))				\
		bpf_mtap2((ifp)->if_bpf, (d), (dlen), (m));		\
} while (0)

/* <net/netisr.h> */
#define	NETISR_IP	2
#define	NETISR_IPV6	27
int	netisr_queue(int, struct mbuf *);
int	netisr_dispatch(int, struct mbuf *);

/* <net/pfil.h> */
struct pfil_head;
#define	PFIL_IN		0x1
#define	PFIL_OUT	0x2
#define	PFIL_WAITOK	0x4
#define	PFIL_TYPE_AF	1
struct inpcb;
typedef int pfil_func_t(void *, struct mbuf **, struct ifnet *, int,
    struct inpcb *);
struct pfil_head *pfil_head_get(int, u_long);
int	pfil_add_hook(pfil_func_t *, void *, int, struct pfil_head *);
int	pfil_remove_hook(pfil_func_t *, void *, int, struct pfil_head *);

/* <net/radix.h>, <net/route.h> */
struct radix_node {
	short	 rn_bit;
	u_char	 rn_flags;
	char	*rn_key;
};
#define	RNF_ROOT	2
struct radix_node_head {
	struct	radix_node *rnh_treetop;
	struct	radix_node *(*rnh_matchaddr)(void *, struct radix_node_head *);
	struct	mtx rnh_mtx;
};
#define	RADIX_NODE_HEAD_LOCK(rnh)	mtx_lock(&(rnh)->rnh_mtx)
#define	RADIX_NODE_HEAD_UNLOCK(rnh)	mtx_unlock(&(rnh)->rnh_mtx)
int	rn_init(void);
#define	R_Free(p)	free((p), M_RTABLE)
struct rt_metrics_lite {
	u_long	rmx_mtu;
	u_long	rmx_expire;
	u_long	rmx_pksent;
};
struct rtentry {
	struct	radix_node rt_nodes[2];
	struct	sockaddr *rt_gateway;
	int	 rt_flags;
	int	 rt_refcnt;
	struct	ifnet *rt_ifp;
	struct	ifaddr *rt_ifa;
	struct	rt_metrics_lite rt_rmx;
	struct	rtentry *rt_gwroute;
	u_int	 rt_fibnum;
	struct	mtx rt_mtx;
};
#define	rt_key(r)	(*((struct sockaddr **)(&(r)->rt_nodes->rn_key)))
#define	RNTORT(p)	((struct rtentry *)(p))
#define	RTF_UP		0x1
#define	RTF_GATEWAY	0x2
#define	RTF_HOST	0x4
#define	RTF_REJECT	0x8
#define	RTF_DYNAMIC	0x10
#define	RTF_MODIFIED	0x20
#define	RTF_DONE	0x40
#define	RTF_CLONING	0x100
#define	RTF_LLINFO	0x400
#define	RTF_STATIC	0x800
#define	RTF_BLACKHOLE	0x1000
#define	RTM_MISS	0x7
#define	RTAX_DST	0
#define	RTAX_GATEWAY	1
#define	RTAX_NETMASK	2
#define	RTAX_MAX	8
struct rt_addrinfo {
	int	rti_addrs;
	struct	sockaddr *rti_info[RTAX_MAX];
	int	rti_flags;
};
struct rtstat {
	short	rts_badredirect;
	short	rts_dynamic;
	short	rts_newgateway;
	short	rts_unreach;
	short	rts_wildcard;
};
struct route {
	struct	rtentry *ro_rt;
	struct	sockaddr ro_dst;
};
#define	RT_LOCK_INIT(rt)	mtx_init(&(rt)->rt_mtx, "rtentry", NULL, MTX_DEF)
#define	RT_LOCK(rt)		mtx_lock(&(rt)->rt_mtx)
#define	RT_UNLOCK(rt)		mtx_unlock(&(rt)->rt_mtx)
#define	RT_LOCK_DESTROY(rt)	mtx_destroy(&(rt)->rt_mtx)
#define	RT_LOCK_ASSERT(rt)	mtx_assert(&(rt)->rt_mtx, MA_OWNED)
#define	RT_ADDREF(rt)		((rt)->rt_refcnt++)
#define	RT_REMREF(rt)		((rt)->rt_refcnt--)
#define	RTFREE_LOCKED(rt) do {						\
	if ((rt)->rt_refcnt <= 1)					\
		rtfree(rt);						\
	else {								\
		RT_REMREF(rt);						\
		RT_UNLOCK(rt);						\
	}								\
} while (0)
#define	RTFREE(rt) do {							\
	RT_LOCK(rt);							\
	RTFREE_LOCKED(rt);						\
} while (0)
#define	RT_NUMFIBS	1
#define	RT_MAXFIBS	16
extern struct domain *domains;
extern u_int rt_numfibs;
void	rtfree(struct rtentry *);
void	in_rtalloc_ign(struct route *, u_long, u_int);
struct radix_node_head *rt_tables_get_rnh(int, int);

/* <netinet/in.h>, <netinet/in_systm.h>, <netinet/ip.h> */
#define	IPPROTO_IP	0
#define	IPPROTO_ICMP	1
#define	IPPROTO_TCP	6
#define	IPPROTO_UDP	17
#define	IPPROTO_IPV6	41
#define	IPPROTO_ROUTING	43
#define	IPPROTO_ESP	50
#define	IPPROTO_AH	51
#define	IPPROTO_ICMPV6	58
#define	IPPROTO_DIVERT	258
#define	IPPROTO_RAW	255
#define	IPPROTO_MAX	256
#define	IPPORT_RESERVED		1024
#define	IPPORT_RESERVEDSTART	600
#define	IPPORT_EPHEMERALFIRST	10000
#define	IPPORT_EPHEMERALLAST	65535
#define	IPPORT_HIFIRSTAUTO	49152
#define	IPPORT_HILASTAUTO	65535
#define	IPPORT_MAX		65535
struct in_addr {
	in_addr_t s_addr;
};
#define	INADDR_ANY		((in_addr_t)0x00000000)
#define	INADDR_BROADCAST	((in_addr_t)0xffffffff)
#define	INADDR_LOOPBACK		((in_addr_t)0x7f000001)
#define	INADDR_NONE		((in_addr_t)0xffffffff)
#define	IN_MULTICAST(i)		(((u_int32_t)(i) & 0xf0000000) == 0xe0000000)
#define	IN_LOOPBACK(i)		(((u_int32_t)(i) & 0xff000000) == 0x7f000000)
struct sockaddr_in {
	u_char	sin_len;
	sa_family_t sin_family;
	in_port_t sin_port;
	struct	in_addr sin_addr;
	char	sin_zero[8];
};
#define	htons(x)	__builtin_bswap16((u_int16_t)(x))
#define	ntohs(x)	__builtin_bswap16((u_int16_t)(x))
#define	htonl(x)	__builtin_bswap32((u_int32_t)(x))
#define	ntohl(x)	__builtin_bswap32((u_int32_t)(x))
#define	IP_OPTIONS		1
#define	IP_HDRINCL		2
#define	IP_TOS			3
#define	IP_TTL			4
#define	IP_MULTICAST_IF		9
#define	IP_MULTICAST_TTL	10
#define	IP_MULTICAST_LOOP	11
#define	IP_PORTRANGE		19
#define	IP_DEFAULT_MULTICAST_TTL  1
#define	IP_DEFAULT_MULTICAST_LOOP 1
#define	IPCTL_FORWARDING	1
#define	IPCTL_SENDREDIRECTS	2
#define	IPCTL_DEFTTL		3
#define	IPCTL_STATS		12
#define	IPCTL_ACCEPTSOURCEROUTE	13
#define	IPCTL_FASTFORWARDING	14
#define	IPCTL_INTRQMAXLEN	10
#define	IPCTL_INTRQDROPS	11
struct ip {
	u_int	ip_hl:4, ip_v:4;
	u_char	ip_tos;
	u_short	ip_len;
	u_short	ip_id;
	u_short	ip_off;
	u_char	ip_ttl;
	u_char	ip_p;
	u_short	ip_sum;
	struct	in_addr ip_src, ip_dst;
};
#define	IPVERSION	4
#define	IP_RF		0x8000
#define	IP_DF		0x4000
#define	IP_MF		0x2000
#define	IP_OFFMASK	0x1fff
#define	IP_MAXPACKET	65535
#define	IPTOS_LOWDELAY	0x10
#define	IPTOS_ECN_MASK	0x03
#define	IPTOS_ECN_CE	0x03
#define	IPDEFTTL	64
#define	IPFRAGTTL	60
#define	MAXTTL		255
#define	IPTTLDEC	1
#define	IP_MSS		576
u_short	in_cksum(struct mbuf *, int);
u_short	in_cksum_skip(struct mbuf *, int, int);
u_short	in_cksum_hdr(const struct ip *);
void	icmp_error(struct mbuf *, int, int, n_long, int);
#define	ICMP_UNREACH		3
#define	ICMP_UNREACH_PORT	3
#define	ICMP_UNREACH_NEEDFRAG	4
#define	ICMP_REDIRECT		5
#define	ICMP_REDIRECT_HOST	1
#define	ICMP_TIMXCEED		11
#define	ICMP_TIMXCEED_INTRANS	0
#define	ICMP_PARAMPROB		12
#define	ICMP_MINLEN		8

/* <netinet/in_var.h> */
struct in_ifaddr {
	struct	ifaddr ia_ifa;
#define	ia_ifp		ia_ifa.ifa_ifp
	u_long	ia_subnet;
	u_long	ia_subnetmask;
	LIST_ENTRY(in_ifaddr) ia_hash;
	TAILQ_ENTRY(in_ifaddr) ia_link;
	struct	sockaddr_in ia_addr;
	struct	sockaddr_in ia_dstaddr;
	struct	sockaddr_in ia_sockmask;
};
#define	IA_SIN(ia)	(&(((struct in_ifaddr *)(ia))->ia_addr))
#define	ifatoia(ifa)	((struct in_ifaddr *)(ifa))
TAILQ_HEAD(in_ifaddrhead, in_ifaddr);
LIST_HEAD(in_ifaddrhashhead, in_ifaddr);
#define	INADDR_NHASH_LOG2	9
#define	INADDR_NHASH		(1 << INADDR_NHASH_LOG2)
#define	INADDR_HASH(x)							\
	(&V_in_ifaddrhashtbl[INADDR_HASHVAL(x) & V_in_ifaddrhmask])
#define	INADDR_HASHVAL(x)	fnv_32_buf((&(x)), sizeof(x), FNV1_32_INIT)
#define	FNV1_32_INIT		((u_int32_t)33554467UL)
u_int32_t fnv_32_buf(const void *, size_t, u_int32_t);

/* <netinet/in_pcb.h> */
struct in_endpoints {
	u_int16_t ie_fport;
	u_int16_t ie_lport;
	struct	in_addr ie_faddr;
	struct	in_addr ie_laddr;
};
struct in_conninfo {
	u_int8_t inc_flags;
	u_int8_t inc_len;
	u_int16_t inc_fibnum;
	struct	in_endpoints inc_ie;
};
struct ip_moptions {
	struct	ifnet *imo_multicast_ifp;
	u_char	imo_multicast_ttl;
	u_char	imo_multicast_loop;
	u_short	imo_num_memberships;
};
struct ip6_moptions;
struct ip6_pktopts;
LIST_HEAD(inpcbhead, inpcb);
LIST_HEAD(inpcbporthead, inpcbport);
struct inpcbinfo {
	struct	inpcbhead *ipi_listhead;
	u_int	ipi_count;
	u_short	ipi_lastport;
	u_short	ipi_lastlow;
	u_short	ipi_lasthi;
	uma_zone_t ipi_zone;
	struct	inpcbhead *ipi_hashbase;
	u_long	ipi_hashmask;
	struct	inpcbporthead *ipi_porthashbase;
	u_long	ipi_porthashmask;
	u_int64_t ipi_gencnt;
	struct	rwlock ipi_lock;
	struct	vnet *ipi_vnet;
};
struct inpcb {
	LIST_ENTRY(inpcb) inp_hash;
	LIST_ENTRY(inpcb) inp_list;
	LIST_ENTRY(inpcb) inp_portlist;
	void	*inp_ppcb;
	struct	inpcbinfo *inp_pcbinfo;
	struct	socket *inp_socket;
	struct	ucred *inp_cred;
	u_int32_t inp_flow;
	int	inp_flags;
	u_char	inp_vflag;
	u_char	inp_ip_ttl;
	u_char	inp_ip_p;
	u_char	inp_ip_minttl;
	struct	in_conninfo inp_inc;
	struct	mbuf *inp_options;
	struct	ip_moptions *inp_moptions;
	struct	ip6_pktopts *in6p_outputopts;
	struct	ip6_moptions *in6p_moptions;
	u_char	inp_ip_tos;
	struct	vnet *inp_vnet;
	u_int64_t inp_gencnt;
	struct	rwlock inp_lock;
};
#define	inp_fport	inp_inc.inc_ie.ie_fport
#define	inp_lport	inp_inc.inc_ie.ie_lport
#define	inp_faddr	inp_inc.inc_ie.ie_faddr
#define	inp_laddr	inp_inc.inc_ie.ie_laddr
#define	INP_IPV4	0x1
#define	INP_IPV6	0x2
#define	INP_IPV6PROTO	0x4
#define	INP_HIGHPORT	0x10
#define	INP_LOWPORT	0x20
#define	INP_ANONPORT	0x40
#define	INP_HDRINCL	0x8
#define	INP_TIMEWAIT	0x01000000
#define	INP_DROPPED	0x04000000
#define	INP_SOCKREF	0x08000000
#define	INP_SOCKAF(so)	((so)->so_proto->pr_domain->dom_family)
#define	sotoinpcb(so)	((struct inpcb *)(so)->so_pcb)
#define	INP_LOCK_INIT(inp, d, t) rw_init(&(inp)->inp_lock, (t))
#define	INP_WLOCK(inp)		rw_wlock(&(inp)->inp_lock)
#define	INP_WUNLOCK(inp)	rw_wunlock(&(inp)->inp_lock)
#define	INP_RLOCK(inp)		rw_rlock(&(inp)->inp_lock)
#define	INP_RUNLOCK(inp)	rw_runlock(&(inp)->inp_lock)
#define	INP_WLOCK_ASSERT(inp)	rw_assert(&(inp)->inp_lock, RA_WLOCKED)
#define	INP_RLOCK_ASSERT(inp)	rw_assert(&(inp)->inp_lock, RA_RLOCKED)
#define	INP_LOCK_ASSERT(inp)	rw_assert(&(inp)->inp_lock, RA_LOCKED)
#define	INP_INFO_LOCK_INIT(ipi, d) rw_init(&(ipi)->ipi_lock, (d))
#define	INP_INFO_LOCK_DESTROY(ipi) rw_destroy(&(ipi)->ipi_lock)
#define	INP_INFO_RLOCK(ipi)	rw_rlock(&(ipi)->ipi_lock)
#define	INP_INFO_RUNLOCK(ipi)	rw_runlock(&(ipi)->ipi_lock)
#define	INP_INFO_WLOCK(ipi)	rw_wlock(&(ipi)->ipi_lock)
#define	INP_INFO_WUNLOCK(ipi)	rw_wunlock(&(ipi)->ipi_lock)
#define	INP_INFO_WLOCK_ASSERT(ipi) rw_assert(&(ipi)->ipi_lock, RA_WLOCKED)
#define	INP_INFO_RLOCK_ASSERT(ipi) rw_assert(&(ipi)->ipi_lock, RA_RLOCKED)
#define	INP_PCBHASH(faddr, lport, fport, mask)				\
	(((faddr) ^ ((faddr) >> 16) ^ ntohs((lport) ^ (fport))) & (mask))
int	in_pcballoc(struct socket *, struct inpcbinfo *);
int	in_pcbbind(struct inpcb *, struct sockaddr *, struct ucred *);
int	in_pcbconnect(struct inpcb *, struct sockaddr *, struct ucred *);
void	in_pcbdetach(struct inpcb *);
void	in_pcbdrop(struct inpcb *);
void	in_pcbfree(struct inpcb *);
void	in_pcbremlists(struct inpcb *);
struct inpcb *in_pcblookup_local(struct inpcbinfo *, struct in_addr,
	    u_short, int, struct ucred *);
struct inpcb *in_pcblookup_hash(struct inpcbinfo *, struct in_addr, u_int,
	    struct in_addr, u_int, int, struct ifnet *);
void	inp_freemoptions(struct ip_moptions *);
int	in_control(struct socket *, u_long, caddr_t, struct ifnet *,
	    struct thread *);
int	in_getpeeraddr(struct socket *, struct sockaddr **);
int	in_getsockaddr(struct socket *, struct sockaddr **);
void	in_pcbsosetlabel(struct socket *);
#define	IN6P_IPV6_V6ONLY	0x00008000
#define	INP_INHASHLIST		0x00000400
extern struct protosw inetsw[];
extern u_char ip_protox[];
void	in_rtqdrain(void);
void	ip_mloopback(struct ifnet *, struct mbuf *, struct sockaddr_in *, int);
int	ip_output_chain(struct ifnet *, struct mbuf *, struct sockaddr_in *,
	    struct rtentry *);
extern u_long udp_sendspace;
extern u_long udp_recvspace;
#define	INPLOOKUP_WILDCARD	1

/* <netinet/tcp*.h> */
#define	TCP_MSS		512
#define	TCP6_MSS	1024
#define	TCP_MAXWIN	65535
#define	TCPCTL_DO_RFC1323	1
#define	TCPCTL_MSSDFLT		3
#define	TCPCTL_STATS		4
#define	TCPCTL_RTTDFLT		5
#define	TCPCTL_KEEPIDLE		6
#define	TCPCTL_V6MSSDFLT	13
#define	TCPTV_SRTTBASE		0
#define	TCPTV_RTOBASE		(3 * hz)
#define	TCPTV_MSL		(30 * hz)
#define	TCP_RTT_SHIFT		5
#define	TCP_RTTVAR_SHIFT	4
#define	TCPS_CLOSED		0
#define	TCPS_LISTEN		1
#define	TCPS_ESTABLISHED	4
#define	TCPS_TIME_WAIT		10
#define	TCPS_HAVERCVDFIN(s)	((s) >= TCPS_TIME_WAIT)
#define	TF_ACKNOW		0x000001
#define	TF_NOOPT		0x000008
#define	TF_REQ_SCALE		0x000020
#define	TF_REQ_TSTMP		0x000080
#define	TF_SACK_PERMIT		0x200000
struct tcp_timer {
	struct	callout tt_rexmt;
	struct	callout tt_persist;
	struct	callout tt_keep;
	struct	callout tt_2msl;
	struct	callout tt_delack;
};
struct tcpcb {
	struct	tcp_timer *t_timers;
	struct	inpcb *t_inpcb;
	int	t_state;
	u_int	t_flags;
	struct	vnet *t_vnet;
	tcp_seq	snd_una;
	u_long	snd_cwnd;
	u_long	snd_ssthresh;
	u_int	t_maxopd;
	u_int	t_maxseg;
	int	t_srtt;
	int	t_rttvar;
	u_long	t_rttupdated;
	int	t_rcvtime;
	int	t_segqlen;
	int	t_rxtcur;
};
struct tcpcb_mem {
	struct	tcpcb tcb;
	struct	tcp_timer tt;
};
#define	TCPOLEN_TSTAMP_APPA	12
#define	TCP_MAX_WINSHIFT	14
void	tcp_free_sackholes(struct tcpcb *);
void	tcp_reass_flush(struct tcpcb *);
extern int do_tcpdrain;
struct tcpcb *tcp_close(struct tcpcb *);
#define	intotcpcb(ip)	((struct tcpcb *)(ip)->inp_ppcb)
struct tcpstat {
	u_long	tcps_connattempt;
	u_long	tcps_accepts;
	u_long	tcps_connects;
	u_long	tcps_drops;
	u_long	tcps_conndrops;
	u_long	tcps_closed;
	u_long	tcps_segstimed;
	u_long	tcps_rttupdated;
	u_long	tcps_cachedrtt;
	u_long	tcps_cachedrttvar;
	u_long	tcps_cachedssthresh;
	u_long	tcps_sndtotal;
	u_long	tcps_rcvtotal;
	u_long	tcps_timeoutdrop;
	u_long	tcps_rexmttimeo;
	u_long	tcps_finwait2_drops;
};
struct tcphdr {
	u_short	th_sport;
	u_short	th_dport;
	tcp_seq	th_seq;
	tcp_seq	th_ack;
	u_char	th_x2:4, th_off:4;
	u_char	th_flags;
	u_short	th_win;
	u_short	th_sum;
	u_short	th_urp;
};
struct tcpiphdr {
	struct	ip ti_i;
	struct	tcphdr ti_t;
};
void	tcp_init(void);
void	udp_init(void);
#define	SEQ_LT(a, b)	((int)((a) - (b)) < 0)
#define	SEQ_GT(a, b)	((int)((a) - (b)) > 0)

/* <netinet/udp*.h> */
struct udphdr {
	u_short	uh_sport;
	u_short	uh_dport;
	u_short	uh_ulen;
	u_short	uh_sum;
};
struct udpiphdr {
	struct	ip ui_i;
	struct	udphdr ui_u;
};
struct udpstat {
	u_long	udps_ipackets;
	u_long	udps_hdrops;
	u_long	udps_badsum;
	u_long	udps_nosum;
	u_long	udps_badlen;
	u_long	udps_noport;
	u_long	udps_noportbcast;
	u_long	udps_fullsock;
	u_long	udps_opackets;
};
#define	UDPCTL_CHECKSUM		1
#define	UDPCTL_STATS		2
#define	UDPCTL_MAXDGRAM		3
#define	UDPCTL_RECVSPACE	4

/* <netinet/ip6.h>, <netinet6/...> */
struct in6_addr {
	union {
		u_int8_t   __u6_addr8[16];
		u_int16_t  __u6_addr16[8];
		u_int32_t  __u6_addr32[4];
	} __u6_addr;
};
#define	s6_addr		__u6_addr.__u6_addr8
#define	s6_addr32	__u6_addr.__u6_addr32
struct sockaddr_in6 {
	u_char	sin6_len;
	sa_family_t sin6_family;
	in_port_t sin6_port;
	u_int32_t sin6_flowinfo;
	struct	in6_addr sin6_addr;
	u_int32_t sin6_scope_id;
};
#define	IN6_IS_ADDR_LOOPBACK(a)						\
	((a)->s6_addr32[0] == 0 && (a)->s6_addr32[1] == 0 &&		\
	 (a)->s6_addr32[2] == 0 && (a)->s6_addr32[3] == htonl(1))
#define	IN6_IS_ADDR_UNSPECIFIED(a)					\
	((a)->s6_addr32[0] == 0 && (a)->s6_addr32[1] == 0 &&		\
	 (a)->s6_addr32[2] == 0 && (a)->s6_addr32[3] == 0)
struct ip6_hdr {
	u_int32_t ip6_flow;
	u_int16_t ip6_plen;
	u_int8_t  ip6_nxt;
	u_int8_t  ip6_hlim;
	struct	in6_addr ip6_src;
	struct	in6_addr ip6_dst;
};
#define	IPV6_DEFHLIM	64
#define	IPV6CTL_FORWARDING	1
#define	IPV6CTL_DEFHLIM		3
#define	IPV6CTL_STATS		6
#define	IPV6CTL_V6ONLY		24
void	nd6_init(void);
#define	IPV6_MAXHLIM	255
struct in6_ifaddr {
	struct	ifaddr ia_ifa;
	struct	sockaddr_in6 ia_addr;
	struct	in6_ifaddr *ia_next;
};
struct ip6stat {
	u_int64_t ip6s_total;
};
void	ip6_freemoptions(struct ip6_moptions *);
void	ip6_freepcbopts(struct ip6_pktopts *);
int	in6_selecthlim(struct inpcb *, struct ifnet *);
void	in6_ifdetach(struct ifnet *);
int	scope6_setdefault(struct ifnet *);

/* nd6 */
struct nd_defrouter {
	TAILQ_ENTRY(nd_defrouter) dr_entry;
	struct	in6_addr rtaddr;
	u_char	flags;
	u_short	rtlifetime;
	u_long	expire;
	struct	ifnet *ifp;
};
TAILQ_HEAD(nd_drhead, nd_defrouter);
struct nd_prefix {
	LIST_ENTRY(nd_prefix) ndpr_entry;
	struct	ifnet *ndpr_ifp;
	u_int32_t ndpr_vltime;
	u_int32_t ndpr_pltime;
	time_t	ndpr_expire;
	int	ndpr_refcnt;
};
LIST_HEAD(nd_prhead, nd_prefix);
struct nd_ifinfo {
	u_int32_t linkmtu;
	u_int32_t maxmtu;
	u_int32_t basereachable;
	u_int32_t reachable;
	u_int32_t retrans;
	u_int32_t flags;
	int	recalctm;
	u_int8_t chlim;
};
struct in6_ndifreq {
	char	ifname[IFNAMSIZ];
	u_long	ifindex;
};
struct in6_defrouter {
	struct	sockaddr_in6 rtaddr;
	u_char	flags;
	u_short	rtlifetime;
	u_long	expire;
	u_short	if_index;
};
#define	ND_IFINFO(ifp)	((struct nd_ifinfo *)(ifp)->if_afdata[AF_INET6])
#define	ND6_SLOWTIMER_INTERVAL		(60 * 60)
#define	ND6_RECALC_REACHTM_INTERVAL	(60 * 120)
#define	ND_COMPUTE_RTIME(x)	(((0x3fff * (x)) >> 10) + 512 * (x) / 1024)
#define	ND6_INFINITE_LIFETIME	0xffffffff
#define	ND6_LLINFO_PURGE	-3
#define	ICMPV6CTL_ND6_PRUNE	6
#define	ICMPV6CTL_ND6_DELAY	8
#define	ICMPV6CTL_ND6_UMAXTRIES	9
#define	ICMPV6CTL_ND6_MMAXTRIES	10
#define	ICMPV6CTL_ND6_USELOOPBACK 11
#define	ICMPV6CTL_ND6_DRLIST	15
#define	ICMPV6CTL_ND6_PRLIST	16
#define	ND6_IFF_PERFORMNUD	0x1
#define	nd6log(x)	do { if (V_nd6_debug) log x; } while (0)
void	nd6_ifdetach(struct ifnet *);
void	nd6_timer(void *);
int	nd6_setdefaultiface(int);
int	nd6_need_cache(struct ifnet *);
void	defrtrlist_del(struct nd_defrouter *);
void	prelist_remove(struct nd_prefix *);

/* IPsec */
struct secpolicyindex {
	u_int8_t dir;
	u_int8_t ul_proto;
};
struct secpolicy {
	struct	secpolicyindex spidx;
	u_int	refcnt;
	u_int	state;
	u_int	policy;
	u_int	id;
	struct	ipsecrequest *req;
};
struct ipsecstat {
	u_int64_t in_success;
	u_int64_t in_polvio;
	u_int64_t in_nomem;
	u_int64_t in_inval;
	u_int64_t out_success;
	u_int64_t out_polvio;
	u_int64_t out_nomem;
	u_int64_t out_inval;
	u_int64_t ips_out_polvio;
	u_int64_t ips_out_inval;
	u_int64_t ips_in_polvio;
};
struct secasindex {
	u_int8_t proto;
	u_int8_t mode;
	u_int8_t level;
};
struct ipsecrequest {
	struct	ipsecrequest *next;
	struct	secasindex saidx;
	u_int	level;
};
#define	IPSEC_DIR_ANY		0
#define	IPSEC_DIR_INBOUND	1
#define	IPSEC_DIR_OUTBOUND	2
#define	IPSEC_POLICY_DISCARD	0
#define	IPSEC_POLICY_NONE	1
#define	IPSEC_POLICY_IPSEC	2
#define	IPSEC_POLICY_ENTRUST	3
#define	IPSEC_POLICY_BYPASS	4
#define	IPSEC_LEVEL_DEFAULT	0
#define	IPSEC_LEVEL_USE		1
#define	IPSEC_LEVEL_REQUIRE	2
#define	IPSEC_LEVEL_UNIQUE	3
#define	IPSEC_MODE_ANY		0
#define	IPSEC_MODE_TRANSPORT	1
#define	IPSEC_MODE_TUNNEL	2
#define	IPSEC_SPSTATE_DEAD	0
#define	IPSEC_SPSTATE_ALIVE	1
#define	IPSECCTL_STATS		1
#define	IPSECCTL_DEF_POLICY	2
#define	IPSECCTL_DEF_ESP_TRANSLEV 3
#define	IPSECCTL_DEF_ESP_NETLEV	4
#define	IPSECCTL_DEF_AH_TRANSLEV 5
#define	IPSECCTL_DEF_AH_NETLEV	6
#define	IPSECCTL_INBOUND_CALL_IKE 7
#define	IPSECCTL_AH_CLEARTOS	8
#define	IPSECCTL_AH_OFFSETMASK	9
#define	IPSECCTL_DFBIT		10
#define	IPSECCTL_ECN		11
#define	IPSECCTL_DEBUG		12
#define	IPSECCTL_ESP_RANDPAD	13
#define	IPSEC_DFBIT_CLEAR	0
#define	IPSEC_DFBIT_SET		1
#define	IPSEC_DFBIT_COPY	2
#define	KEY_FREESP(spp)		key_freesp(spp)
void	key_freesp(struct secpolicy **);
struct secpolicy *key_allocsp(struct secpolicyindex *, u_int);
size_t	ipsec_hdrsiz_tcp(struct tcpcb *);
int	ipsec4_in_reject(struct mbuf *, struct inpcb *);
int	ip_ipsec_fwd(struct mbuf *);
int	ip_ipsec_input(struct mbuf *);
struct secpolicy *ip_ipsec_output(struct mbuf **, struct inpcb *, int *,
	    int *);
struct secpolicy *ipsec_getpolicybyaddr(struct mbuf *, u_int, int, int *);
struct secpolicy *ipsec_getpolicybysock(struct mbuf *, u_int, struct inpcb *,
	    int *);
#define	CRYPTOCAP_F_HARDWARE	CRYPTO_F_HARDWARE
#define	CRYPTOCAP_F_SOFTWARE	CRYPTO_F_SOFTWARE
void	*ipsec_gethist(struct mbuf *, int *);
#define	CRYPTO_F_HARDWARE	0x01000000
#define	CRYPTO_F_SOFTWARE	0x02000000

/* MD5, devices, uio */
typedef struct MD5Context {
	u_int32_t state[4];
	u_int32_t count[2];
	unsigned char buffer[64];
} MD5_CTX;
void	MD5Init(MD5_CTX *);
void	MD5Update(MD5_CTX *, const void *, unsigned int);
void	MD5Final(unsigned char [16], MD5_CTX *);

enum uio_rw { UIO_READ, UIO_WRITE };
struct uio {
	ssize_t	uio_resid;
	enum	uio_rw uio_rw;
	struct	thread *uio_td;
};
int	uiomove(void *, int, struct uio *);
struct cdev {
	void	*si_drv1;
	int	 si_drv0;
	char	 si_name[32];
};
typedef int d_open_t(struct cdev *, int, int, struct thread *);
typedef int d_close_t(struct cdev *, int, int, struct thread *);
typedef int d_read_t(struct cdev *, struct uio *, int);
typedef int d_write_t(struct cdev *, struct uio *, int);
typedef int d_ioctl_t(struct cdev *, u_long, caddr_t, int, struct thread *);
typedef int d_poll_t(struct cdev *, int, struct thread *);
struct cdevsw {
	int	 d_version;
	u_int	 d_flags;
	const char *d_name;
	d_open_t *d_open;
	d_close_t *d_close;
	d_read_t *d_read;
	d_write_t *d_write;
	d_ioctl_t *d_ioctl;
	d_poll_t *d_poll;
};
#define	D_VERSION	0x17122009
#define	D_PSEUDO	0x00200000
#define	D_NEEDMINOR	0x00800000
#define	D_NEEDGIANT	0x00400000
#define	UID_ROOT	0
#define	UID_UUCP	66
#define	GID_WHEEL	0
#define	GID_DIALER	68
#define	FREAD		0x0001
#define	FWRITE		0x0002
#define	O_NONBLOCK	0x0004
#define	IO_NDELAY	O_NONBLOCK
struct clonedevs;
struct cdev *make_dev(struct cdevsw *, int, uid_t, int, int, const char *,
	    ...) __printflike(6, 7);
void	destroy_dev(struct cdev *);
void	dev_ref(struct cdev *);
int	dev2unit(struct cdev *);
int	dev_stdclone(char *, char **, const char *, int *);
void	clone_setup(struct clonedevs **);
void	clone_cleanup(struct clonedevs **);
int	clone_create(struct clonedevs **, struct cdevsw *, int *,
	    struct cdev **, int);
struct proc {
	pid_t	p_pid;
};

#endif /* !_SHIM_NET_H_ */
