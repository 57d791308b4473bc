/*-
 * Copyright (c) 2009 Sunniva Okafor
 * All rights reserved.
 *
 * Written for the vimage-migrate test corpus; not derived from FreeBSD
 * sources.  See corpus/README.md.
 */

#include <sys/cdefs.h>
__FBSDID("$FreeBSD$");

#include "opt_inet.h"
#include "opt_ipsec.h"

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/mbuf.h>
#include <sys/proc.h>
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

#include <netipsec/ipsec.h>
#include <netipsec/key.h>
#include <netipsec/keydb.h>
#include <netipsec/vipsec.h>

#include <opencrypto/cryptodev.h>

VNET_DEFINE(struct ipsecstat, ipsec4stat);
VNET_DEFINE(struct secpolicy, ip4_def_policy);
VNET_DEFINE(int, ipsec_debug);
VNET_DEFINE(int, ip4_esp_trans_deflev) = IPSEC_LEVEL_USE;
VNET_DEFINE(int, ip4_esp_net_deflev) = IPSEC_LEVEL_USE;
VNET_DEFINE(int, ip4_ah_trans_deflev) = IPSEC_LEVEL_USE;
VNET_DEFINE(int, ip4_ah_net_deflev) = IPSEC_LEVEL_USE;
VNET_DEFINE(int, ip4_ipsec_dfbit);
VNET_DEFINE(int, ip4_ipsec_ecn);
VNET_DEFINE(int, crypto_support) = CRYPTOCAP_F_HARDWARE | CRYPTOCAP_F_SOFTWARE;
VNET_DEFINE(int, ipsec_replay);
VNET_DEFINE(int, ipsec_integrity);

#define	V_ipsec_replay		VNET(ipsec_replay)
#define	V_ipsec_integrity	VNET(ipsec_integrity)

static int	ipsec_iattach(const void *);
static int	sysctl_def_policy(SYSCTL_HANDLER_ARGS);

static const vnet_modinfo_t vnet_ipsec_modinfo = {
	.vmi_id		= VNET_MOD_IPSEC,
	.vmi_name	= "ipsec",
	.vmi_dependson	= VNET_MOD_INET,
	.vmi_iattach	= ipsec_iattach
};

SYSCTL_DECL(_net_inet_ipsec);
SYSCTL_VNET_STRUCT(_net_inet_ipsec, IPSECCTL_STATS, ipsecstats, CTLFLAG_RD,
    &VNET_NAME(ipsec4stat), ipsecstat, "IPsec IPv4 statistics");
SYSCTL_VNET_PROC(_net_inet_ipsec, IPSECCTL_DEF_POLICY, def_policy,
    CTLTYPE_INT | CTLFLAG_RW, &VNET_NAME(ip4_def_policy), 0, sysctl_def_policy,
    "I", "Policy used when nothing matches");
SYSCTL_VNET_INT(_net_inet_ipsec, IPSECCTL_DEF_ESP_TRANSLEV, esp_trans_deflev,
    CTLFLAG_RW, &VNET_NAME(ip4_esp_trans_deflev), 0,
    "Default ESP level, transport mode");
SYSCTL_VNET_INT(_net_inet_ipsec, IPSECCTL_DEF_ESP_NETLEV, esp_net_deflev,
    CTLFLAG_RW, &VNET_NAME(ip4_esp_net_deflev), 0,
    "Default ESP level, tunnel mode");
SYSCTL_VNET_INT(_net_inet_ipsec, IPSECCTL_DEF_AH_TRANSLEV, ah_trans_deflev,
    CTLFLAG_RW, &VNET_NAME(ip4_ah_trans_deflev), 0,
    "Default AH level, transport mode");
SYSCTL_VNET_INT(_net_inet_ipsec, IPSECCTL_DEF_AH_NETLEV, ah_net_deflev,
    CTLFLAG_RW, &VNET_NAME(ip4_ah_net_deflev), 0,
    "Default AH level, tunnel mode");
SYSCTL_VNET_INT(_net_inet_ipsec, IPSECCTL_DFBIT, dfbit, CTLFLAG_RW,
    &VNET_NAME(ip4_ipsec_dfbit), 0, "DF bit of the outer header");
SYSCTL_VNET_INT(_net_inet_ipsec, IPSECCTL_ECN, ecn, CTLFLAG_RW,
    &VNET_NAME(ip4_ipsec_ecn), 0, "ECN handling on tunnel encapsulation");
SYSCTL_VNET_INT(_net_inet_ipsec, IPSECCTL_DEBUG, debug, CTLFLAG_RW,
    &VNET_NAME(ipsec_debug), 0, "Debug messages");
SYSCTL_VNET_INT(_net_inet_ipsec, OID_AUTO, crypto_support, CTLFLAG_RW,
    &VNET_NAME(crypto_support), 0, "Crypto drivers to use");

/*
 * Per-stack defaults.
 */
static int
ipsec_iattach(const void *unused __unused)
{

	bzero(&V_ip4_def_policy, sizeof(V_ip4_def_policy));
	V_ip4_def_policy.policy = IPSEC_POLICY_NONE;
	V_ip4_def_policy.refcnt++;
	return (0);
}

static void
ipsec_init(void *dummy __unused)
{

	vnet_mod_register(&vnet_ipsec_modinfo);
}
SYSINIT(ipsec_init, SI_SUB_PROTO_DOMAIN, SI_ORDER_ANY, ipsec_init, NULL);

static int
sysctl_def_policy(SYSCTL_HANDLER_ARGS)
{
	int error, val;

	val = V_ip4_def_policy.policy;
	error = sysctl_handle_int(oidp, &val, 0, req);
	if (error != 0 || req->newptr == NULL)
		return (error);
	if (val != IPSEC_POLICY_DISCARD && val != IPSEC_POLICY_NONE)
		return (EINVAL);
	V_ip4_def_policy.policy = val;
	return (0);
}

/*
 * The system-wide default level for a protocol and mode.  A value the
 * sysctl let through that we do not know is treated as "require", so
 * that a typo never weakens policy.
 */
static u_int
ipsec_default_level(u_int proto, u_int mode)
{
	u_int level;

	switch (proto) {
	case IPPROTO_ESP:
		level = (mode == IPSEC_MODE_TUNNEL) ?
		    V_ip4_esp_net_deflev : V_ip4_esp_trans_deflev;
		break;
	case IPPROTO_AH:
		level = (mode == IPSEC_MODE_TUNNEL) ?
		    V_ip4_ah_net_deflev : V_ip4_ah_trans_deflev;
		break;
	default:
		return (IPSEC_LEVEL_USE);
	}
	switch (level) {
	case IPSEC_LEVEL_USE:
	case IPSEC_LEVEL_REQUIRE:
	case IPSEC_LEVEL_UNIQUE:
		break;
	default:
		if (V_ipsec_debug)
			printf("%s: bad default level %u\n", __func__, level);
		level = IPSEC_LEVEL_REQUIRE;
		break;
	}
	return (level);
}

/*
 * Effective level of one request of a policy.
 */
u_int
ipsec_get_reqlevel(struct ipsecrequest *isr)
{

	if (isr->level != IPSEC_LEVEL_DEFAULT)
		return (isr->level);
	return (ipsec_default_level(isr->saidx.proto, isr->saidx.mode));
}

/*
 * Look up the policy for an outbound or inbound IPv4 packet, by socket
 * when there is one, by address otherwise.
 */
struct secpolicy *
ipsec4_checkpolicy(struct mbuf *m, u_int dir, u_int flag, int *error,
    struct inpcb *inp)
{
	struct secpolicy *sp;

	/* The policy tables are per stack; so are the counters. */

	*error = 0;
	if (inp == NULL)
		sp = ipsec_getpolicybyaddr(m, dir, flag, error);
	else
		sp = ipsec_getpolicybysock(m, dir, inp, error);
	if (sp == NULL) {
		KASSERT(*error != 0, ("%s: no policy, no error", __func__));
		V_ipsec4stat.ips_out_inval++;
		return (NULL);
	}
	switch (sp->policy) {
	case IPSEC_POLICY_ENTRUST:
	default:
		printf("%s: invalid policy %u\n", __func__, sp->policy);
		/* FALLTHROUGH */
	case IPSEC_POLICY_DISCARD:
		V_ipsec4stat.ips_out_polvio++;
		*error = -EINVAL;
		break;
	case IPSEC_POLICY_BYPASS:
	case IPSEC_POLICY_NONE:
		KEY_FREESP(&sp);
		sp = NULL;
		break;
	case IPSEC_POLICY_IPSEC:
		if (sp->req == NULL)
			*error = -EINVAL;
		break;
	}
	if (*error != 0) {
		KEY_FREESP(&sp);
		sp = NULL;
	}
	return (sp);
}

/*
 * Copy the ECN bits between inner and outer headers when a tunnel is
 * entered or left, according to net.inet.ipsec.ecn.
 */
void
ipsec4_ecn(struct ip *outer, const struct ip *inner, int egress)
{
	if (V_ip4_ipsec_ecn == 0)
		return;
	if (egress)
		outer->ip_tos = (outer->ip_tos & ~IPTOS_ECN_MASK) |
		    (inner->ip_tos & IPTOS_ECN_MASK);
	else if ((outer->ip_tos & IPTOS_ECN_MASK) == IPTOS_ECN_CE)
		((struct ip *)inner)->ip_tos |= IPTOS_ECN_CE;
}
