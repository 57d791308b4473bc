/*-
 * Copyright (c) 2008 René Vautrin-Kowalczyk
 * All rights reserved.
 *
 * Written for the vimage-migrate test corpus; not derived from FreeBSD
 * sources.  See corpus/README.md.
 */

/*
 * tun2: a point-to-point tunnel interface backed by a character device.
 * Packets routed to tun2N are read from /dev/tun2N by a user process;
 * what the process writes there is fed back into the stack as input.
 * Each interface belongs to the network stack of the thread that
 * created it.
 */

#include <sys/cdefs.h>
__FBSDID("$FreeBSD$");

#include "opt_inet.h"
#include "opt_inet6.h"

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/conf.h>
#include <sys/fcntl.h>
#include <sys/kernel.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/module.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/sockio.h>
#include <sys/uio.h>
#include <sys/vimage.h>

#include <net/bpf.h>
#include <net/if.h>
#include <net/if_clone.h>
#include <net/if_types.h>
#include <net/if_var.h>
#include <net/netisr.h>
#include <net/route.h>
#include <net/vnet.h>

#ifdef INET
#include <netinet/in.h>
#include <netinet/ip_var.h>
#endif

struct tun2_softc {
	TAILQ_ENTRY(tun2_softc)	tun_list;
	struct cdev		*tun_dev;
	struct ifnet		*tun_ifp;
	struct ifqueue		 tun_q;		/* packets waiting for read */
	u_short			 tun_flags;
#define	TUN2_OPEN	0x0001
#define	TUN2_RWAIT	0x0002
	pid_t			 tun_pid;	/* owner */
};

#define	TUN2NAME	"tun2"
#define	TUN2MTU		1500
#define	TUN2_MAXMTU	(64 * 1024 - 1)

static struct mtx tun2_mtx;
static TAILQ_HEAD(, tun2_softc) tun2_head = TAILQ_HEAD_INITIALIZER(tun2_head);
static MALLOC_DEFINE(M_TUN2, TUN2NAME, "tun2 interfaces");
static struct clonedevs *tun2_clones;

static d_open_t		tun2open;
static d_close_t	tun2close;
static d_read_t		tun2read;
static d_write_t	tun2write;

static int	tun2_output(struct ifnet *, struct mbuf *, struct sockaddr *,
		    struct rtentry *);
static int	tun2_ifioctl(struct ifnet *, u_long, caddr_t);
static void	tun2_destroy(struct tun2_softc *);

static struct cdevsw tun2_cdevsw = {
	.d_version =	D_VERSION,
	.d_flags =	D_PSEUDO | D_NEEDMINOR,
	.d_open =	tun2open,
	.d_close =	tun2close,
	.d_read =	tun2read,
	.d_write =	tun2write,
	.d_name =	TUN2NAME,
};

/*
 * Create the interface behind a freshly cloned device.
 */
static void
tun2_create(struct cdev *dev)
{
	struct tun2_softc *sc;
	struct ifnet *ifp;

	sc = malloc(sizeof(*sc), M_TUN2, M_WAITOK | M_ZERO);
	sc->tun_dev = dev;
	IFQ_SET_MAXLEN(&sc->tun_q, ifqmaxlen);
	mtx_init(&sc->tun_q.ifq_mtx, "tun2_q", NULL, MTX_DEF);

	ifp = sc->tun_ifp = if_alloc(IFT_PPP);
	if_initname(ifp, TUN2NAME, dev2unit(dev));
	ifp->if_softc = sc;
	ifp->if_mtu = TUN2MTU;
	ifp->if_flags = IFF_POINTOPOINT | IFF_MULTICAST;
	ifp->if_ioctl = tun2_ifioctl;
	ifp->if_output = tun2_output;
	if_attach(ifp);
	bpfattach(ifp, DLT_NULL, sizeof(u_int32_t));
	dev->si_drv1 = sc;

	mtx_lock(&tun2_mtx);
	TAILQ_INSERT_TAIL(&tun2_head, sc, tun_list);
	mtx_unlock(&tun2_mtx);
}

static int
tun2open(struct cdev *dev, int flag, int mode, struct thread *td)
{
	struct tun2_softc *sc;

	if (dev->si_drv1 == NULL)
		tun2_create(dev);
	sc = dev->si_drv1;
	if (sc->tun_flags & TUN2_OPEN)
		return (EBUSY);
	/* The interface must belong to the opener's stack. */
	if (ifunit(sc->tun_ifp->if_xname) != sc->tun_ifp)
		return (ENXIO);
	sc->tun_pid = td->td_proc->p_pid;
	sc->tun_flags |= TUN2_OPEN;
	sc->tun_ifp->if_drv_flags |= IFF_DRV_RUNNING;
	return (0);
}

static int
tun2close(struct cdev *dev, int flag, int mode, struct thread *td)
{
	struct tun2_softc *sc = dev->si_drv1;
	struct ifnet *ifp = sc->tun_ifp;

	IF_DRAIN(&sc->tun_q);
	CURVNET_SET(ifp->if_vnet);
	if_down(ifp);
	CURVNET_RESTORE();
	ifp->if_drv_flags &= ~IFF_DRV_RUNNING;
	sc->tun_flags &= ~TUN2_OPEN;
	sc->tun_pid = 0;
	return (0);
}

/*
 * Output routine of the interface: queue the packet for the reader.
 */
static int
tun2_output(struct ifnet *ifp, struct mbuf *m, struct sockaddr *dst,
    struct rtentry *rt)
{
	struct tun2_softc *sc = ifp->if_softc;
	u_int32_t af;
	int error;

	if ((sc->tun_flags & TUN2_OPEN) == 0 ||
	    (ifp->if_flags & IFF_UP) == 0) {
		m_freem(m);
		return (EHOSTDOWN);
	}
	/* Never loop our own traffic back through lo0 by accident. */
	if (ifp == V_loif) {
		m_freem(m);
		return (EINVAL);
	}
	af = dst->sa_family;
	BPF_MTAP2(ifp, &af, sizeof(af), m);
	IFQ_HANDOFF(ifp, m, error);
	if (error != 0) {
		ifp->if_collisions++;
		return (ENOBUFS);
	}
	ifp->if_opackets++;
	if (sc->tun_flags & TUN2_RWAIT) {
		sc->tun_flags &= ~TUN2_RWAIT;
		wakeup(sc);
	}
	return (0);
}

static int
tun2_ifioctl(struct ifnet *ifp, u_long cmd, caddr_t data)
{
	struct ifreq *ifr = (struct ifreq *)data;
	int error = 0;

	switch (cmd) {
	case SIOCSIFADDR:
		ifp->if_flags |= IFF_UP;
		break;
	case SIOCSIFDSTADDR:
	case SIOCSIFFLAGS:
	case SIOCADDMULTI:
	case SIOCDELMULTI:
		break;
	case SIOCSIFMTU:
		if (ifr->ifr_mtu < 576 || ifr->ifr_mtu > TUN2_MAXMTU)
			error = EINVAL;
		else
			ifp->if_mtu = ifr->ifr_mtu;
		break;
	default:
		error = EINVAL;
		break;
	}
	return (error);
}

static int
tun2read(struct cdev *dev, struct uio *uio, int flag)
{
	struct tun2_softc *sc = dev->si_drv1;
	struct mbuf *m;
	int error;

	for (;;) {
		IF_DEQUEUE(&sc->tun_q, m);
		if (m != NULL)
			break;
		if (flag & O_NONBLOCK)
			return (EWOULDBLOCK);
		sc->tun_flags |= TUN2_RWAIT;
		error = tsleep(sc, PCATCH | (PZERO + 1), "tun2rd", 0);
		if (error != 0)
			return (error);
	}
	error = 0;
	while (m != NULL && uio->uio_resid > 0 && error == 0) {
		error = uiomove(mtod(m, void *),
		    min(uio->uio_resid, m->m_len), uio);
		m = m_free(m);
	}
	if (m != NULL)
		m_freem(m);
	return (error);
}

/*
 * A write is one IPv4 packet for the stack the interface lives in.
 */
static int
tun2write(struct cdev *dev, struct uio *uio, int flag)
{
	struct tun2_softc *sc = dev->si_drv1;
	struct ifnet *ifp = sc->tun_ifp;
	struct mbuf *m;

	if (uio->uio_resid == 0)
		return (0);
	if (uio->uio_resid < 0 || uio->uio_resid > TUN2_MAXMTU) {
		V_ipstat.ips_toosmall++;
		return (EIO);
	}
	m = m_uiotombuf(uio, M_DONTWAIT, 0, 0, M_PKTHDR);
	if (m == NULL) {
		ifp->if_ierrors++;
		return (ENOBUFS);
	}
	m->m_pkthdr.rcvif = ifp;
	BPF_MTAP(ifp, m);
	ifp->if_ipackets++;
	ifp->if_ibytes += m->m_pkthdr.len;
	CURVNET_SET(ifp->if_vnet);
	netisr_dispatch(NETISR_IP, m);
	CURVNET_RESTORE();
	return (0);
}

static void
tun2_destroy(struct tun2_softc *sc)
{
	struct ifnet *ifp = sc->tun_ifp;

	CURVNET_SET(ifp->if_vnet);
	bpfdetach(ifp);
	if_detach(ifp);
	if_free(ifp);
	CURVNET_RESTORE();
	destroy_dev(sc->tun_dev);
	mtx_destroy(&sc->tun_q.ifq_mtx);
	free(sc, M_TUN2);
}

static void
tun2_clone(void *arg, struct ucred *cred, char *name, int namelen,
    struct cdev **dev)
{
	int unit;

	if (*dev != NULL)
		return;
	if (strcmp(name, TUN2NAME) == 0)
		unit = -1;
	else if (dev_stdclone(name, NULL, TUN2NAME, &unit) != 1)
		return;
	if (clone_create(&tun2_clones, &tun2_cdevsw, &unit, dev, 0)) {
		*dev = make_dev(&tun2_cdevsw, unit, UID_UUCP, GID_DIALER,
		    0600, "%s%d", TUN2NAME, unit);
		if (*dev != NULL)
			dev_ref(*dev);
	}
}

static eventhandler_tag tun2_ehtag;

/*
 * Module glue.  Kept in the old-style definition form of the driver
 * this one grew out of.
 */
static int
tun2_modevent(mod, type, data)
	module_t mod;
	int type;
	void *data;
{
	struct tun2_softc *sc;

	switch (type) {
	case MOD_LOAD:
		mtx_init(&tun2_mtx, "tun2_mtx", NULL, MTX_DEF);
		clone_setup(&tun2_clones);
		tun2_ehtag = EVENTHANDLER_REGISTER(dev_clone, tun2_clone, 0,
		    1000);
		if (tun2_ehtag == NULL)
			return (ENOMEM);
		if (V_loif == NULL)
			printf("%s: no loopback interface yet\n", TUN2NAME);
		break;
	case MOD_UNLOAD:
		EVENTHANDLER_DEREGISTER(dev_clone, tun2_ehtag);
		mtx_lock(&tun2_mtx);
		while ((sc = TAILQ_FIRST(&tun2_head)) != NULL) {
			TAILQ_REMOVE(&tun2_head, sc, tun_list);
			mtx_unlock(&tun2_mtx);
			tun2_destroy(sc);
			mtx_lock(&tun2_mtx);
		}
		mtx_unlock(&tun2_mtx);
		clone_cleanup(&tun2_clones);
		mtx_destroy(&tun2_mtx);
		break;
	default:
		return (EOPNOTSUPP);
	}
	return (0);
}

static moduledata_t tun2_mod = {
	"if_tun2",
	tun2_modevent,
	0
};
DECLARE_MODULE(if_tun2, tun2_mod, SI_SUB_PSEUDO, SI_ORDER_ANY);
