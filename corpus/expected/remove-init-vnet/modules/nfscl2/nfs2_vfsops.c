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
#include <sys/kernel.h>
#include <sys/module.h>
#include <sys/proc.h>
#include <sys/socket.h>
#include <sys/sysctl.h>
#include <sys/vimage.h>

#include <net/if.h>
#include <net/vnet.h>

#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/tcp_var.h>
#include <netinet/vinet.h>

#include "nfs2.h"

#ifdef VIMAGE_GLOBALS
extern int	ipport_lowfirstauto;	/* netinet/in_pcb.c */
#endif

int	nfs2_mounts;
u_long	nfs2_lastmss;
static u_int nfs2_udbpcbs;

SYSCTL_NODE(_net_inet, OID_AUTO, nfscl2, CTLFLAG_RW, 0, "nfscl2");
SYSCTL_INT(_net_inet_nfscl2, OID_AUTO, mounts, CTLFLAG_RD, &nfs2_mounts, 0,
    "Mounts done");
SYSCTL_ULONG(_net_inet_nfscl2, OID_AUTO, lastmss, CTLFLAG_RD,
    &nfs2_lastmss, 0, "Segment size chosen by the last mount");
SYSCTL_UINT(_net_inet_nfscl2, OID_AUTO, udbpcbs, CTLFLAG_RD, &nfs2_udbpcbs,
    0, "UDP pcbs seen at load");

/*
 * Fill in the transport parameters of a mount from the stack of the
 * thread asking for it.
 */
int
nfs2_mount(struct thread *td, struct nfs2_mountinfo *nm)
{

	nm->nm_mss = V_tcp_mssdflt;
	nm->nm_ttl = V_ip_defttl;
	if (V_ipport_lowfirstauto > NFS2_MINRESVPORT)
		nm->nm_lport = V_ipport_lowfirstauto;
	else
		nm->nm_lport = NFS2_MINRESVPORT;
	nfs2_mounts++;
	nfs2_lastmss = nm->nm_mss;
	return (0);
}

static int
nfs2_modevent(module_t mod, int type, void *data)
{
	struct nfs2_mountinfo nm;
	int error;

	switch (type) {
	case MOD_LOAD:
		bzero(&nm, sizeof(nm));
		error = nfs2_mount(curthread, &nm);
		if (error == 0)
			nfs2_udbpcbs = nfs2_pcbcount();
		return (error);
	case MOD_UNLOAD:
		return (0);
	default:
		return (EOPNOTSUPP);
	}
}

static moduledata_t nfs2_mod = {
	"nfscl2",
	nfs2_modevent,
	NULL
};
DECLARE_MODULE(nfscl2, nfs2_mod, SI_SUB_PROTO_IFATTACHDOMAIN, SI_ORDER_ANY);
MODULE_VERSION(nfscl2, 1);
