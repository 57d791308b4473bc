/*-
 * Copyright (c) 2008 Mirko Halvorsen
 * All rights reserved.
 *
 * Written for the vimage-migrate test corpus; not derived from FreeBSD
 * sources.  See corpus/README.md.
 *
 * $FreeBSD$
 */

#ifndef	_SYS_VIMAGE_H_
#define	_SYS_VIMAGE_H_

#include <sys/queue.h>

/*
 * Network stack virtualization, container flavour.
 *
 * Each virtualized subsystem ("module") owns one slot of mod_data[] in
 * every struct vnet.  The slot points at the subsystem's container
 * structure, allocated and zeroed when the stack instance is created and
 * then filled in by the module's attach routine.  Code that touches
 * per-stack state first pulls the container pointer into a local:
 *
 *	INIT_VNET_INET(curvnet);
 *
 *	V_ipforwarding = 1;
 *
 * and every V_ accessor then goes through that local.  Kernels built
 * without options VIMAGE turn the accessors back into plain globals
 * (VIMAGE_GLOBALS) or into members of one static instance.
 */

/* Module identifiers: indices into vnet->mod_data[]. */
#define	VNET_MOD_NONE		-1
#define	VNET_MOD_NET		 0
#define	VNET_MOD_NETGRAPH	 1
#define	VNET_MOD_INET		 2
#define	VNET_MOD_INET6		 3
#define	VNET_MOD_IPSEC		 4
#define	VNET_MOD_IPFW		 5
#define	VNET_MOD_RTABLE		 6
#define	VNET_MOD_DYNAMIC_START	32	/* first id for loadable modules */
#define	VNET_MOD_MAX		64

/*
 * Name-to-offset table of one container, for kldsym() and netstat.
 */
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
	LIST_ENTRY(vnet)	 vnet_le;	/* on vnet_head */
	u_int			 vnet_magic_n;
	u_int			 vnet_ifcnt;	/* interfaces attached */
	u_int			 vnet_sockcnt;	/* sockets open */
	void			*mod_data[VNET_MOD_MAX];
};

#define	VNET_MAGIC_N	0x3e0d8f29

#ifdef _KERNEL

LIST_HEAD(vnet_list_head, vnet);
extern struct vnet_list_head vnet_head;
extern struct sx vnet_list_lock;

#define	VNET_LIST_RLOCK()	sx_slock(&vnet_list_lock)
#define	VNET_LIST_RUNLOCK()	sx_sunlock(&vnet_list_lock)

int	vnet_mod_register(const vnet_modinfo_t *);
int	vnet_mod_register_multi(const vnet_modinfo_t *, void *, char *);
int	vnet_mod_deregister(const vnet_modinfo_t *);

/*
 * Compile-time check that the size of a container matches what loadable
 * modules were built against.
 */
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
	modtype *sym = (vnet)->mod_data[modindex]

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

#define	VSYM(base, sym)	(base ## _0._ ## sym)
#define	INIT_FROM_VNET(vnet, modindex, modtype, sym)

#endif /* !VIMAGE */

#endif /* _KERNEL */

#endif /* !_SYS_VIMAGE_H_ */
