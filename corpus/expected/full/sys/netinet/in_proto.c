/*-
 * Copyright (c) 2009 Ilse Marten
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
#include <sys/kernel.h>
#include <sys/socket.h>
#include <sys/vimage.h>

#include <net/if.h>
#include <net/vnet.h>

#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/icmp_var.h>
#include <netinet/ip_var.h>
#include <netinet/tcp_var.h>
#include <netinet/udp_var.h>

/*
 * Registration of the INET container: every new network stack gets a
 * zeroed struct vnet_inet, then the per-protocol constructors below.
 */
static int	vnet_inet_iattach(const void *);
void		in_rmx_init(void);

static const vnet_modinfo_t vnet_inet_modinfo = {
	.vmi_id		= VNET_MOD_INET,
	.vmi_name	= "inet",
	.vmi_dependson	= VNET_MOD_NET,
	.vmi_iattach	= vnet_inet_iattach
};

static int
vnet_inet_iattach(const void *unused __unused)
{

	ip_init();
	icmp_init();
	in_rmx_init();
	tcp_init();
	udp_init();
	return (0);
}

static void
inet_init(void *dummy __unused)
{

	vnet_mod_register(&vnet_inet_modinfo);
}
SYSINIT(inet, SI_SUB_PROTO_DOMAIN, SI_ORDER_SECOND, inet_init, NULL);
