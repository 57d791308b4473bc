/*-
 * Copyright (c) 2009 Ilse Marten
 * All rights reserved.
 *
 * Written for the vimage-migrate test corpus; not derived from FreeBSD
 * sources.  See corpus/README.md.
 */

/*
 * Ageing of cloned host routes in the inet routing tables.  Routes that
 * have not been used for rtq_reallyold seconds are dropped by a timer;
 * when there are more than rtq_toomany of them the timer gets more
 * aggressive, down to rtq_minreallyold.
 */

#include <sys/cdefs.h>
__FBSDID("$FreeBSD$");

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/socket.h>
#include <sys/sysctl.h>
#include <sys/vimage.h>

#include <net/if.h>
#include <net/route.h>
#include <net/vnet.h>

#include <netinet/in.h>
#include <netinet/in_var.h>

#define	RTQ_REALLYOLD		(60 * 60)	/* one hour */
#define	RTQ_MINREALLYOLD	10
#define	RTQ_TOOMANY		128
#define	RTQ_TIMEOUT		(60 * 10)

static VNET_DEFINE(int, rtq_reallyold) = RTQ_REALLYOLD;
static VNET_DEFINE(int, rtq_minreallyold) = RTQ_MINREALLYOLD;
static VNET_DEFINE(struct callout, rtq_timer);
static VNET_DEFINE(u_long, rtq_drained);

#define	V_rtq_reallyold		VNET(rtq_reallyold)
#define	V_rtq_minreallyold	VNET(rtq_minreallyold)
#define	V_rtq_timer		VNET(rtq_timer)
#define	V_rtq_drained		VNET(rtq_drained)

VNET_DEFINE(int, rtq_toomany) = RTQ_TOOMANY;	/* not under VIMAGE_GLOBALS: always a global */
#define	V_rtq_toomany		VNET(rtq_toomany)

static void	in_rtqtimo(void *);
static void	in_rtqtimo_one(void);
void		in_rmx_init(void);

SYSCTL_VNET_INT(_net_inet_ip, OID_AUTO, rtexpire, CTLFLAG_RW,
    &VNET_NAME(rtq_reallyold), 0, "Default expiration time on cloned routes");
SYSCTL_VNET_INT(_net_inet_ip, OID_AUTO, rtminexpire, CTLFLAG_RW,
    &VNET_NAME(rtq_minreallyold), 0,
    "Minimum time to attempt to hold onto cloned routes");
SYSCTL_VNET_INT(_net_inet_ip, OID_AUTO, rtmaxcache, CTLFLAG_RW,
    &VNET_NAME(rtq_toomany), 0, "Upper limit on cloned routes");

/*
 * One pass over this stack's table: there is no table walk in this
 * model, so a pass only ages the limits when the cache is too big.
 */
static void
in_rtqtimo_one(void)
{

	if (V_rtq_drained > (u_long)V_rtq_toomany &&
	    V_rtq_reallyold > V_rtq_minreallyold) {
		V_rtq_reallyold = V_rtq_reallyold * 2 / 3;
		if (V_rtq_reallyold < V_rtq_minreallyold)
			V_rtq_reallyold = V_rtq_minreallyold;
	}
	V_rtq_drained++;
}

/*
 * Each stack has its own timer; rock is the stack.
 */
static void
in_rtqtimo(void *rock)
{
	CURVNET_SET((struct vnet *)rock);

	in_rtqtimo_one();
	callout_reset(&V_rtq_timer, RTQ_TIMEOUT * hz, in_rtqtimo, rock);
	CURVNET_RESTORE();
}

/*
 * Memory is short: forget the ageing state of every stack.
 */
void
in_rtqdrain(void)
{
	VNET_ITERATOR_DECL(vnet_iter);

	VNET_LIST_RLOCK();
	VNET_FOREACH(vnet_iter) {
		CURVNET_SET(vnet_iter);

		V_rtq_drained = 0;
		CURVNET_RESTORE();
	}
	VNET_LIST_RUNLOCK();
}

/*
 * Per-stack setup, from the inet attach.  The limits use the defaults
 * defined just above, below the variables themselves.
 */
void
in_rmx_init(void)
{

	callout_init(&V_rtq_timer, CALLOUT_MPSAFE);
	callout_reset(&V_rtq_timer, RTQ_TIMEOUT * hz, in_rtqtimo, curvnet);
}
