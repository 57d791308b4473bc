/*-
 * Copyright (c) 2009 Tove Branderup
 * All rights reserved.
 *
 * Written for the vimage-migrate test corpus; not derived from FreeBSD
 * sources.  See corpus/README.md.
 */

#include <sys/cdefs.h>
__FBSDID("$FreeBSD$");

#include "opt_inet.h"

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/mbuf.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/vimage.h>

#include <net/if.h>
#include <net/vnet.h>

#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/ip_var.h>
#include <netinet/udp_var.h>
#include <netinet/vinet.h>

#include "nfs2.h"

/*
 * Connect the mount's socket.  The socket belongs to the stack the
 * mount was made in, which need not be the current one.
 */
int
nfs2_connect(struct socket *so, struct nfs2_mountinfo *nm)
{
	int error;

	CURVNET_SET(so->so_vnet);

	if (nm->nm_sotype == SOCK_DGRAM && V_udp_blackhole)
		error = EHOSTUNREACH;
	else if (V_ipforwarding != 0 && nm->nm_ttl == 0)
		error = EINVAL;
	else
		error = 0;
	CURVNET_RESTORE();
	return (error);
}

/*
 * How many UDP pcbs does the current stack have?
 */
u_int
nfs2_pcbcount(void)
{
	u_int n;

	INP_INFO_RLOCK(&V_udbinfo);
	n = V_udbinfo.ipi_count;
	INP_INFO_RUNLOCK(&V_udbinfo);
#ifndef VIMAGE
	/* XXX: older code read the plain global; same thing without VIMAGE */
	KASSERT(n == udbinfo.ipi_count, ("nfs2_pcbcount: %u", n));
#endif
	return (n);
}
