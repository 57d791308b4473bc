/*-
 * Copyright (c) 2008 Mirko Halvorsen
 * All rights reserved.
 *
 * Written for the vimage-migrate test corpus; not derived from FreeBSD
 * sources.  See corpus/README.md.
 *
 * $FreeBSD$
 */

#ifndef _NETIPSEC_VIPSEC_H_
#define	_NETIPSEC_VIPSEC_H_

#ifdef _KERNEL

#include <netipsec/ipsec.h>
#include <netipsec/keydb.h>

struct vnet_ipsec {
	struct	ipsecstat _ipsec4stat;
	struct	secpolicy _ip4_def_policy;
	int	_ipsec_debug;
	int	_ip4_esp_trans_deflev;
	int	_ip4_esp_net_deflev;
	int	_ip4_ah_trans_deflev;
	int	_ip4_ah_net_deflev;
	int	_ip4_ipsec_dfbit;
	int	_ip4_ipsec_ecn;
	int	_crypto_support;
	int	_ipsec_replay;
	int	_ipsec_integrity;
};

#if !defined(VIMAGE) && !defined(VIMAGE_GLOBALS)
extern struct vnet_ipsec vnet_ipsec_0;
#endif

#ifdef VIMAGE_GLOBALS
extern struct ipsecstat ipsec4stat;
extern struct secpolicy ip4_def_policy;
extern int ipsec_debug;
extern int ip4_esp_trans_deflev;
extern int ip4_esp_net_deflev;
extern int ip4_ah_trans_deflev;
extern int ip4_ah_net_deflev;
extern int ip4_ipsec_dfbit;
extern int ip4_ipsec_ecn;
extern int crypto_support;
#endif

#define	VNET_IPSEC(sym)		VSYM(vnet_ipsec, sym)

#define	V_crypto_support	VNET_IPSEC(crypto_support)
#define	V_ip4_ah_net_deflev	VNET_IPSEC(ip4_ah_net_deflev)
#define	V_ip4_ah_trans_deflev	VNET_IPSEC(ip4_ah_trans_deflev)
#define	V_ip4_def_policy	VNET_IPSEC(ip4_def_policy)
#define	V_ip4_esp_net_deflev	VNET_IPSEC(ip4_esp_net_deflev)
#define	V_ip4_esp_trans_deflev	VNET_IPSEC(ip4_esp_trans_deflev)
#define	V_ip4_ipsec_dfbit	VNET_IPSEC(ip4_ipsec_dfbit)
#define	V_ip4_ipsec_ecn		VNET_IPSEC(ip4_ipsec_ecn)
#define	V_ipsec4stat		VNET_IPSEC(ipsec4stat)
#define	V_ipsec_debug		VNET_IPSEC(ipsec_debug)
#define	V_ipsec_integrity	VNET_IPSEC(ipsec_integrity)
#define	V_ipsec_replay		VNET_IPSEC(ipsec_replay)

#endif /* _KERNEL */

#endif /* !_NETIPSEC_VIPSEC_H_ */
