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

VNET_DECLARE(struct ipsecstat, ipsec4stat);
VNET_DECLARE(struct secpolicy, ip4_def_policy);
VNET_DECLARE(int, ipsec_debug);
VNET_DECLARE(int, ip4_esp_trans_deflev);
VNET_DECLARE(int, ip4_esp_net_deflev);
VNET_DECLARE(int, ip4_ah_trans_deflev);
VNET_DECLARE(int, ip4_ah_net_deflev);
VNET_DECLARE(int, ip4_ipsec_dfbit);
VNET_DECLARE(int, ip4_ipsec_ecn);
VNET_DECLARE(int, crypto_support);

#define	V_ipsec4stat		VNET(ipsec4stat)
#define	V_ip4_def_policy	VNET(ip4_def_policy)
#define	V_ipsec_debug		VNET(ipsec_debug)
#define	V_ip4_esp_trans_deflev	VNET(ip4_esp_trans_deflev)
#define	V_ip4_esp_net_deflev	VNET(ip4_esp_net_deflev)
#define	V_ip4_ah_trans_deflev	VNET(ip4_ah_trans_deflev)
#define	V_ip4_ah_net_deflev	VNET(ip4_ah_net_deflev)
#define	V_ip4_ipsec_dfbit	VNET(ip4_ipsec_dfbit)
#define	V_ip4_ipsec_ecn		VNET(ip4_ipsec_ecn)
#define	V_crypto_support	VNET(crypto_support)

#endif /* _KERNEL */

#endif /* !_NETIPSEC_VIPSEC_H_ */
