/*
 * The OLD (2008 - mid 2009) VIMAGE framework, as the harness runs it:
 * container structs allocated zeroed per vnet, constructors run per vnet
 * through vnet_mod_register(), INIT_FROM_VNET/VSYM, VIMAGE_GLOBALS plain
 * globals when not VIMAGE, SYSCTL_V_* resolving the member per vnet.
 * Stands in for the corpus's own sys/vimage.h (same interface).
 *
 * Written for vimage-migrate; not derived from FreeBSD sources.
 */
#ifndef _SHIM_OLD_H_
#define	_SHIM_OLD_H_

#define	SHIM_DESIGN_OLD	1
#ifndef VIMAGE
#define	VIMAGE_GLOBALS	1
#endif

#include "kern.h"

#define	VNET_MOD_NONE		-1
#define	VNET_MOD_NET		 0
#define	VNET_MOD_NETGRAPH	 1
#define	VNET_MOD_INET		 2
#define	VNET_MOD_INET6		 3
#define	VNET_MOD_IPSEC		 4
#define	VNET_MOD_IPFW		 5
#define	VNET_MOD_RTABLE		 6
#define	VNET_MOD_DYNAMIC_START	32
#define	VNET_MOD_MAX		64

struct vnet_symmap {
	const char	*name;
	size_t		 offset;
	size_t		 size;
};
#define	VNET_SYMMAP(mod, name)						\
	{ #name, offsetof(struct vnet_ ## mod, _ ## name),		\
	    sizeof(((struct vnet_ ## mod *)0)->_ ## name) }
#define	VNET_SYMMAP_END		{ NULL, 0, 0 }

typedef int vnet_attach_fn(const void *);
typedef int vnet_detach_fn(const void *);

typedef struct vnet_modinfo {
	u_int			 vmi_id;
	u_int			 vmi_dependson;
	const char		*vmi_name;
	vnet_attach_fn		*vmi_iattach;
	vnet_detach_fn		*vmi_idetach;
	size_t			 vmi_size;
	struct vnet_symmap	*vmi_symmap;
} vnet_modinfo_t;

struct vnet {
	LIST_ENTRY(vnet)	 vnet_le;
	u_int			 vnet_magic_n;
	u_int			 vnet_ifcnt;
	u_int			 vnet_sockcnt;
	void			*mod_data[VNET_MOD_MAX];
};
#define	VNET_MAGIC_N	0x3e0d8f29

LIST_HEAD(vnet_list_head, vnet);
extern struct vnet_list_head vnet_head;
extern struct sx vnet_list_lock;
extern struct vnet *vnet0;

#define	VNET_LIST_RLOCK()	sx_slock(&vnet_list_lock)
#define	VNET_LIST_RUNLOCK()	sx_sunlock(&vnet_list_lock)

int	vnet_mod_register(const vnet_modinfo_t *);
int	vnet_mod_register_multi(const vnet_modinfo_t *, void *, char *);
int	vnet_mod_deregister(const vnet_modinfo_t *);

#define	VIMAGE_CTASSERT(name, x)					\
	typedef char vimage_ctassert_ ## name [((x) == name) ? 1 : -1]

#ifdef VIMAGE
#define	curvnet		(curthread->td_vnet)
#define	VNET_ASSERT(cond)						\
	KASSERT((cond), ("%s: vnet assertion failed", __func__))
#define	VNET_ITERATOR_DECL(arg)	struct vnet *arg
#define	VNET_FOREACH(arg)	LIST_FOREACH(arg, &vnet_head, vnet_le)
#define	CURVNET_SET_QUIET(arg)						\
	VNET_ASSERT((arg)->vnet_magic_n == VNET_MAGIC_N);		\
	struct vnet *saved_vnet = curvnet;				\
	curvnet = (arg)
#define	CURVNET_SET(arg)	CURVNET_SET_QUIET(arg)
#define	CURVNET_SET_VERBOSE(arg) CURVNET_SET_QUIET(arg)
#define	CURVNET_RESTORE()						\
	VNET_ASSERT(saved_vnet == NULL ||				\
	    saved_vnet->vnet_magic_n == VNET_MAGIC_N);			\
	curvnet = saved_vnet
#define	TD_TO_VNET(td)	((td)->td_ucred->cr_prison->pr_vnet)
#define	VSYM(base, sym)	((base)->_ ## sym)
#define	INIT_FROM_VNET(vnet, modindex, modtype, sym)			\
	modtype *sym __unused = (vnet)->mod_data[modindex]
#else /* !VIMAGE */
#define	curvnet		NULL
#define	VNET_ASSERT(cond)
#define	VNET_ITERATOR_DECL(arg)
#define	VNET_FOREACH(arg)
#define	CURVNET_SET_QUIET(arg)
#define	CURVNET_SET(arg)
#define	CURVNET_SET_VERBOSE(arg)
#define	CURVNET_RESTORE()
#define	TD_TO_VNET(td)	NULL
#ifdef VIMAGE_GLOBALS
#define	VSYM(base, sym)	(sym)
#else
#define	VSYM(base, sym)	(base ## _0._ ## sym)
#endif
#define	INIT_FROM_VNET(vnet, modindex, modtype, sym)
#endif /* !VIMAGE */

/*
 * Virtualized sysctls.  Under VIMAGE arg1 holds the member's offset in its
 * container and oid_v_mod names the container; the framework resolves the
 * member in the current vnet before calling the handler (PROC included).
 * Without VIMAGE they are plain sysctls on the VIMAGE_GLOBALS variable.
 */
#define	V_GLOBAL	1
#define	V_NET		2
#define	V_PROCG		3
#ifdef VIMAGE
int	shim_sysctl_v_handler(SYSCTL_HANDLER_ARGS);
#define	SYSCTL_V_OID(subs, mod, parent, nbr, name, kind, sym, a2,	\
    handler, fmt, descr)						\
	struct sysctl_oid sysctl_ ## parent ## _ ## name = {		\
		&sysctl_ ## parent, nbr, kind,				\
		(void *)offsetof(struct mod, _ ## sym), a2, #name,	\
		handler, fmt, descr, #mod, subs				\
	};								\
	DATA_SET(sysctl_set, sysctl_ ## parent ## _ ## name)
#define	SYSCTL_V_STRUCT(subs, mod, parent, nbr, name, access, sym,	\
    type, descr)							\
	SYSCTL_V_OID(subs, mod, parent, nbr, name,			\
	    CTLTYPE_OPAQUE | (access), sym, sizeof(struct type),	\
	    sysctl_handle_opaque, "S," #type, descr)
#define	SYSCTL_V_STRING(subs, mod, parent, nbr, name, access, sym,	\
    len, descr)								\
	SYSCTL_V_OID(subs, mod, parent, nbr, name,			\
	    CTLTYPE_STRING | (access), sym, len,			\
	    sysctl_handle_string, "A", descr)
#else
#define	SYSCTL_V_OID(subs, mod, parent, nbr, name, kind, sym, a2,	\
    handler, fmt, descr)						\
	SYSCTL_OID(parent, nbr, name, kind, &sym, a2, handler, fmt, descr)
#define	SYSCTL_V_STRUCT(subs, mod, parent, nbr, name, access, sym,	\
    type, descr)							\
	SYSCTL_STRUCT(parent, nbr, name, access, &sym, type, descr)
#define	SYSCTL_V_STRING(subs, mod, parent, nbr, name, access, sym,	\
    len, descr)								\
	SYSCTL_STRING(parent, nbr, name, access, sym, len, descr)
#endif
#define	SYSCTL_V_INT(subs, mod, parent, nbr, name, access, sym, val, descr)\
	SYSCTL_V_OID(subs, mod, parent, nbr, name, CTLTYPE_INT | (access),\
	    sym, val, sysctl_handle_int, "I", descr)
#define	SYSCTL_V_UINT(subs, mod, parent, nbr, name, access, sym, val, descr)\
	SYSCTL_V_OID(subs, mod, parent, nbr, name, CTLTYPE_UINT | (access),\
	    sym, val, sysctl_handle_int, "IU", descr)
#define	SYSCTL_V_LONG(subs, mod, parent, nbr, name, access, sym, val, descr)\
	SYSCTL_V_OID(subs, mod, parent, nbr, name, CTLTYPE_LONG | (access),\
	    sym, val, sysctl_handle_long, "L", descr)
#define	SYSCTL_V_ULONG(subs, mod, parent, nbr, name, access, sym, val, descr)\
	SYSCTL_V_OID(subs, mod, parent, nbr, name, CTLTYPE_ULONG | (access),\
	    sym, val, sysctl_handle_long, "LU", descr)
#define	SYSCTL_V_PROC(subs, mod, parent, nbr, name, access, sym, arg,	\
    handler, fmt, descr)						\
	SYSCTL_V_OID(subs, mod, parent, nbr, name, access, sym, arg,	\
	    handler, fmt, descr)

#include "net.h"

#endif /* !_SHIM_OLD_H_ */
