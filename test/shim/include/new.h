/*
 * The NEW (r195699) vnet framework, as the harness runs it: VNET_DEFINE
 * places the reference copy in the set_vnet section, each vnet gets a copy
 * of __start_set_vnet..__stop_set_vnet and accesses are rebased by
 * vnet_data_base; SYSCTL_VNET_* rebase arg1, SYSCTL_VNET_PROC passes it
 * through.  vnet_modinfo_t/vnet_mod_register() remain (minus size and
 * symbol map).  Without VIMAGE every macro degrades to a plain global; the
 * harness still tags those globals into a section of their own
 * (set_vnet_novimage) so that the driver can enumerate them; they stay
 * ordinary globals named by their plain name.
 *
 * Written for vimage-migrate; not derived from FreeBSD sources.
 */
#ifndef _SHIM_NEW_H_
#define	_SHIM_NEW_H_

#define	SHIM_DESIGN_NEW	1

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

typedef int vnet_attach_fn(const void *);
typedef int vnet_detach_fn(const void *);

typedef struct vnet_modinfo {
	u_int			 vmi_id;
	u_int			 vmi_dependson;
	const char		*vmi_name;
	vnet_attach_fn		*vmi_iattach;
	vnet_detach_fn		*vmi_idetach;
} vnet_modinfo_t;

struct vnet {
	LIST_ENTRY(vnet)	 vnet_le;
	u_int			 vnet_magic_n;
	u_int			 vnet_ifcnt;
	u_int			 vnet_sockcnt;
	void			*vnet_data_mem;
	uintptr_t		 vnet_data_base;
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

#define	VNET_SETNAME		"set_vnet"
#define	VNET_SYMPREFIX		"vnet_entry_"

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

#define	VNET_NAME(n)		vnet_entry_ ## n
#define	VNET_DECLARE(t, n)	extern t VNET_NAME(n)
#define	VNET_DEFINE(t, n)						\
	t VNET_NAME(n) __attribute__((__section__(VNET_SETNAME), __used__))
#define	_VNET_PTR(b, n)							\
	(__typeof(VNET_NAME(n)) *)((b) + (uintptr_t)&VNET_NAME(n))
#define	_VNET(b, n)		(*_VNET_PTR(b, n))
#define	VNET_VNET_PTR(vnet, n)	_VNET_PTR((vnet)->vnet_data_base, n)
#define	VNET_VNET(vnet, n)	(*VNET_VNET_PTR((vnet), n))
#define	VNET_PTR(n)		VNET_VNET_PTR(curvnet, n)
#define	VNET(n)			VNET_VNET(curvnet, n)

int	vnet_sysctl_handle_int(SYSCTL_HANDLER_ARGS);
int	vnet_sysctl_handle_long(SYSCTL_HANDLER_ARGS);
int	vnet_sysctl_handle_opaque(SYSCTL_HANDLER_ARGS);
int	vnet_sysctl_handle_string(SYSCTL_HANDLER_ARGS);
int	vnet_sysctl_handle_uint(SYSCTL_HANDLER_ARGS);
#define	SYSCTL_VNET_INT(parent, nbr, name, access, ptr, val, descr)	\
	SYSCTL_OID(parent, nbr, name, CTLTYPE_INT | CTLFLAG_VNET |	\
	    (access), ptr, val, vnet_sysctl_handle_int, "I", descr)
#define	SYSCTL_VNET_UINT(parent, nbr, name, access, ptr, val, descr)	\
	SYSCTL_OID(parent, nbr, name, CTLTYPE_UINT | CTLFLAG_VNET |	\
	    (access), ptr, val, vnet_sysctl_handle_uint, "IU", descr)
#define	SYSCTL_VNET_STRING(parent, nbr, name, access, arg, len, descr)	\
	SYSCTL_OID(parent, nbr, name, CTLTYPE_STRING | CTLFLAG_VNET |	\
	    (access), arg, len, vnet_sysctl_handle_string, "A", descr)
#define	SYSCTL_VNET_STRUCT(parent, nbr, name, access, ptr, type, descr)	\
	SYSCTL_OID(parent, nbr, name, CTLTYPE_OPAQUE | CTLFLAG_VNET |	\
	    (access), ptr, sizeof(struct type),				\
	    vnet_sysctl_handle_opaque, "S," #type, descr)
#define	SYSCTL_VNET_PROC(parent, nbr, name, access, ptr, arg, handler,	\
    fmt, descr)								\
	SYSCTL_OID(parent, nbr, name, CTLFLAG_VNET | (access), ptr,	\
	    arg, handler, fmt, descr)
#define	VNET_SYSCTL_ARG(req, arg1) do {					\
	if (arg1 != NULL)						\
		arg1 = (void *)(TD_TO_VNET((req)->td)->vnet_data_base +	\
		    (uintptr_t)(arg1));					\
} while (0)

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

#define	VNET_NAME(n)		n
#define	VNET_DECLARE(t, n)	extern t n
#define	VNET_DEFINE(t, n)						\
	t n __attribute__((__section__("set_vnet_novimage"), __used__))
#define	VNET_VNET_PTR(vnet, n)	(&(n))
#define	VNET_VNET(vnet, n)	(n)
#define	VNET_PTR(n)		(&(n))
#define	VNET(n)			(n)

#define	SYSCTL_VNET_INT(parent, nbr, name, access, ptr, val, descr)	\
	SYSCTL_INT(parent, nbr, name, access, ptr, val, descr)
#define	SYSCTL_VNET_UINT(parent, nbr, name, access, ptr, val, descr)	\
	SYSCTL_UINT(parent, nbr, name, access, ptr, val, descr)
#define	SYSCTL_VNET_STRING(parent, nbr, name, access, arg, len, descr)	\
	SYSCTL_STRING(parent, nbr, name, access, arg, len, descr)
#define	SYSCTL_VNET_STRUCT(parent, nbr, name, access, ptr, type, descr)	\
	SYSCTL_STRUCT(parent, nbr, name, access, ptr, type, descr)
#define	SYSCTL_VNET_PROC(parent, nbr, name, access, ptr, arg, handler,	\
    fmt, descr)								\
	SYSCTL_PROC(parent, nbr, name, access, ptr, arg, handler, fmt,	\
	    descr)
#define	VNET_SYSCTL_ARG(req, arg1)	do { } while (0)

#endif /* !VIMAGE */

#include "net.h"

#endif /* !_SHIM_NEW_H_ */
