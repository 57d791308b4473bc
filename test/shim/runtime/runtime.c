/*
 * Kernel runtime stand-ins for the differential harness: memory, zones,
 * locks, callouts, sysctl plumbing, vnet creation and module registration
 * for the old (container) and the new (set_vnet) design.  Compiled like a
 * corpus file (same prelude), with SHIM_DESIGN_OLD or SHIM_DESIGN_NEW set by
 * the prelude and VIMAGE by the command line.
 *
 * Written for vimage-migrate; not derived from FreeBSD sources.
 */
#include "shim_runtime.h"

/* libc, declared by hand: the prelude owns the kernel names */
void	*calloc(size_t, size_t);
void	libc_free(void *) __asm__("free");
void	abort(void) __attribute__((__noreturn__));
int	fflush(void *);

int	shim_hz = 1000, shim_ticks = 123456, shim_bootverbose = 0;
time_t	shim_time_second = 1246000000;
int	nmbclusters = 1024, maxsockets = 4096;
int	ifqmaxlen = 50;
int	max_linkhdr = 16, max_protohdr = 60;
u_long	udp_sendspace = 9216, udp_recvspace = 42080;
int	do_tcpdrain = 1;
u_int	rt_numfibs = 1;
struct domain *domains = NULL;
u_char	ip_protox[IPPROTO_MAX];
u_char	inetctlerrmap[PRC_NCMDS];
struct protosw inetsw[1];
struct sx ifnet_sxlock_shim_unused;

MALLOC_DEFINE(M_TEMP, "temp", "");
MALLOC_DEFINE(M_DEVBUF, "devbuf", "");
MALLOC_DEFINE(M_IFADDR, "ifaddr", "");
MALLOC_DEFINE(M_IFMADDR, "ether_multi", "");
MALLOC_DEFINE(M_PCB, "pcb", "");
MALLOC_DEFINE(M_RTABLE, "routetbl", "");
MALLOC_DEFINE(M_SONAME, "soname", "");
MALLOC_DEFINE(M_IP6NDP, "ip6ndp", "");
MALLOC_DEFINE(M_IPSEC_SP, "ipsecpolicy", "");

static struct prison shim_prison0;
static struct ucred shim_cred0 = { 0, &shim_prison0, 1 };
static struct thread shim_thread0 = { NULL, &shim_cred0, NULL, "thread0" };
struct thread *shim_curthread = &shim_thread0;

/* sysctl tree roots (the corpus defines the nodes below them) */
struct sysctl_oid sysctl_ = { NULL, 0, CTLTYPE_NODE, NULL, 0, "", NULL,
    "N", "", NULL, 0 };
#define	ROOT(name, parent, str)						\
	struct sysctl_oid sysctl_ ## name = { &sysctl_ ## parent, 0,	\
	    CTLTYPE_NODE, NULL, 0, str, NULL, "N", "", NULL, 0 }
ROOT(_net, , "net");
ROOT(_kern, , "kern");
ROOT(_net_inet, _net, "inet");
ROOT(_net_inet_ip, _net_inet, "ip");
ROOT(_net_inet_tcp, _net_inet, "tcp");
ROOT(_net_inet_udp, _net_inet, "udp");
ROOT(_net_inet_ipsec, _net_inet, "ipsec");
ROOT(_net_inet_icmp, _net_inet, "icmp");
ROOT(_net_inet6, _net, "inet6");
ROOT(_net_inet6_ip6, _net_inet6, "ip6");
ROOT(_net_inet6_icmp6, _net_inet6, "icmp6");
ROOT(_net_route, _net, "route");

void
panic(const char *fmt, ...)
{

	printf("panic: %s\n", fmt);
	fflush(NULL);
	abort();
}

void
log(int pri, const char *fmt, ...)
{

	(void)pri;
	(void)fmt;
}

void
shim_unimplemented(const char *name)
{

	printf("shim: unimplemented kernel function %s called\n", name);
	fflush(NULL);
	abort();
}

/* memory */
void *
shim_malloc(unsigned long size, struct malloc_type *type, int flags)
{

	(void)type;
	(void)flags;
	return (calloc(1, size == 0 ? 1 : size));
}

void
shim_free(void *p, struct malloc_type *type)
{

	(void)type;
	libc_free(p);
}

void *
hashinit(int elements, struct malloc_type *type, u_long *hashmask)
{
	long hashsize;
	LIST_HEAD(generic, generic) *tbl;
	int i;

	for (hashsize = 1; hashsize <= elements; hashsize <<= 1)
		continue;
	hashsize >>= 1;
	tbl = malloc(hashsize * sizeof(*tbl), type, M_WAITOK);
	for (i = 0; i < hashsize; i++)
		LIST_INIT(&tbl[i]);
	*hashmask = hashsize - 1;
	return (tbl);
}

void
hashdestroy(void *tbl, struct malloc_type *type, u_long mask)
{

	(void)mask;
	free(tbl, type);
}

struct uma_zone {
	const char	*uz_name;
	size_t		 uz_size;
	int		 uz_max;
	int		 uz_count;
};

uma_zone_t
uma_zcreate(const char *name, size_t size, uma_ctor ctor, uma_dtor dtor,
    uma_init uminit, uma_fini fini, int align, u_int32_t flags)
{
	uma_zone_t z;

	(void)ctor; (void)dtor; (void)uminit; (void)fini; (void)align;
	(void)flags;
	z = malloc(sizeof(*z), M_TEMP, M_WAITOK | M_ZERO);
	z->uz_name = name;
	z->uz_size = size;
	return (z);
}

void
uma_zdestroy(uma_zone_t z)
{

	free(z, M_TEMP);
}

void *
uma_zalloc(uma_zone_t z, int flags)
{

	(void)flags;
	if (z->uz_max != 0 && z->uz_count >= z->uz_max)
		return (NULL);
	z->uz_count++;
	return (malloc(z->uz_size, M_TEMP, M_ZERO));
}

void
uma_zfree(uma_zone_t z, void *p)
{

	z->uz_count--;
	free(p, M_TEMP);
}

int
uma_zone_set_max(uma_zone_t z, int nitems)
{

	z->uz_max = nitems;
	return (nitems);
}

/* string and memory functions */
void
bcopy(const void *src, void *dst, size_t len)
{
	const char *s = src;
	char *d = dst;

	if (d < s)
		while (len-- > 0)
			*d++ = *s++;
	else
		while (len-- > 0)
			d[len] = s[len];
}

void
bzero(void *p, size_t len)
{
	char *d = p;

	while (len-- > 0)
		*d++ = 0;
}

int
bcmp(const void *a, const void *b, size_t len)
{
	const u_char *x = a, *y = b;

	for (; len > 0; len--, x++, y++)
		if (*x != *y)
			return (1);
	return (0);
}

size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size != 0) {
		size_t c = n >= size ? size - 1 : n;
		bcopy(src, dst, c);
		dst[c] = '\0';
	}
	return (n);
}

/* deterministic "randomness" */
static u_int32_t shim_rand_state = 0x2545f491;

u_int32_t
arc4random(void)
{

	shim_rand_state = shim_rand_state * 1103515245 + 12345;
	return (shim_rand_state >> 1);
}

void
arc4rand(void *p, u_int len, int reseed)
{
	u_char *d = p;

	(void)reseed;
	while (len-- > 0)
		*d++ = arc4random() & 0xff;
}

u_long
random(void)
{

	return (arc4random());
}

int
read_random(void *p, int len)
{

	arc4rand(p, len, 0);
	return (len);
}

/* locks, credentials */
void mtx_init(struct mtx *m, const char *n, const char *t, int o)
{ (void)t; (void)o; m->lock_object.lo_name = n; m->lock_object.lo_count = 0; }
void mtx_destroy(struct mtx *m) { (void)m; }
void rw_init(struct rwlock *r, const char *n)
{ r->lock_object.lo_name = n; r->lock_object.lo_count = 0; }
void rw_destroy(struct rwlock *r) { (void)r; }
void sx_init(struct sx *s, const char *n)
{ s->lock_object.lo_name = n; s->lock_object.lo_count = 0; }
void sx_destroy(struct sx *s) { (void)s; }

void
shim_mtx_sysinit(void *arg)
{
	struct mtx_args *ma = arg;

	mtx_init(ma->ma_mtx, ma->ma_desc, NULL, ma->ma_opts);
}

struct ucred *crhold(struct ucred *cr) { cr->cr_ref++; return (cr); }
void crfree(struct ucred *cr) { cr->cr_ref--; }
int priv_check(struct thread *td, int priv) { (void)td; (void)priv; return (0); }
void wakeup(void *chan) { (void)chan; }

eventhandler_tag
shim_eventhandler_register(const char *name, void *func, void *arg, int pri)
{

	static int tag;

	(void)name; (void)func; (void)arg; (void)pri;
	return (&tag);
}

/* callouts: pending ones are run by the driver, once each, in order */
#define	SHIM_MAXCALLOUT	256
static struct callout *shim_callouts[SHIM_MAXCALLOUT];
static int shim_ncallouts;

void
callout_init(struct callout *c, int mpsafe)
{

	(void)mpsafe;
	c->c_func = NULL;
	c->c_arg = NULL;
	c->c_time = 0;
	c->c_flags = 0;
}

void
callout_init_mtx(struct callout *c, struct mtx *m, int flags)
{

	(void)m;
	callout_init(c, flags);
}

int
callout_reset(struct callout *c, int to_ticks, void (*func)(void *), void *arg)
{
	int i, was;

	was = (c->c_flags & CALLOUT_PENDING) != 0;
	c->c_func = func;
	c->c_arg = arg;
	c->c_time = to_ticks;
	c->c_flags |= CALLOUT_PENDING | CALLOUT_ACTIVE;
	for (i = 0; i < shim_ncallouts; i++)
		if (shim_callouts[i] == c)
			return (was);
	if (shim_ncallouts < SHIM_MAXCALLOUT)
		shim_callouts[shim_ncallouts++] = c;
	return (was);
}

int
callout_stop(struct callout *c)
{
	int was;

	was = (c->c_flags & CALLOUT_PENDING) != 0;
	c->c_flags &= ~(CALLOUT_PENDING | CALLOUT_ACTIVE);
	return (was);
}

int
shim_run_callouts(void)
{
	struct callout *c;
	int i, n, ran;

	ran = 0;
	n = shim_ncallouts;
	for (i = 0; i < n; i++) {
		c = shim_callouts[i];
		if ((c->c_flags & CALLOUT_PENDING) == 0)
			continue;
		c->c_flags &= ~CALLOUT_PENDING;
		c->c_func(c->c_arg);
		ran++;
	}
	return (ran);
}

/* sysctl plumbing */
int
shim_sysctl_out(struct sysctl_req *req, const void *p, size_t l)
{

	if (req->oldptr != NULL) {
		if (req->oldidx + l > req->oldlen)
			return (ENOMEM);
		bcopy(p, (char *)req->oldptr + req->oldidx, l);
	}
	req->oldidx += l;
	return (0);
}

int
shim_sysctl_in(struct sysctl_req *req, void *p, size_t l)
{

	if (req->newptr == NULL)
		return (0);
	if (req->newlen - req->newidx < l)
		return (EINVAL);
	bcopy((const char *)req->newptr + req->newidx, p, l);
	req->newidx += l;
	return (0);
}

int
sysctl_handle_int(SYSCTL_HANDLER_ARGS)
{
	int tmp, error;

	(void)oidp;
	if (arg1 != NULL)
		tmp = *(int *)arg1;
	else
		tmp = arg2;
	error = SYSCTL_OUT(req, &tmp, sizeof(int));
	if (error != 0 || req->newptr == NULL)
		return (error);
	if (arg1 == NULL)
		return (EPERM);
	return (SYSCTL_IN(req, arg1, sizeof(int)));
}

int
sysctl_handle_long(SYSCTL_HANDLER_ARGS)
{
	long tmp;
	int error;

	(void)oidp;
	if (arg1 == NULL)
		return (EINVAL);
	tmp = *(long *)arg1;
	(void)arg2;
	error = SYSCTL_OUT(req, &tmp, sizeof(long));
	if (error != 0 || req->newptr == NULL)
		return (error);
	return (SYSCTL_IN(req, arg1, sizeof(long)));
}

int
sysctl_handle_string(SYSCTL_HANDLER_ARGS)
{
	int error;

	(void)oidp;
	error = SYSCTL_OUT(req, arg1, strlen((char *)arg1) + 1);
	if (error != 0 || req->newptr == NULL)
		return (error);
	if (req->newlen - req->newidx >= (size_t)arg2)
		return (EINVAL);
	error = SYSCTL_IN(req, arg1, req->newlen - req->newidx);
	((char *)arg1)[req->newlen] = '\0';
	return (error);
}

int
sysctl_handle_opaque(SYSCTL_HANDLER_ARGS)
{
	int error;

	(void)oidp;
	error = SYSCTL_OUT(req, arg1, arg2);
	if (error != 0 || req->newptr == NULL)
		return (error);
	return (SYSCTL_IN(req, arg1, arg2));
}

#if defined(SHIM_DESIGN_NEW) && defined(VIMAGE)
#define	VNET_HANDLER(name, base)					\
int									\
name(SYSCTL_HANDLER_ARGS)						\
{									\
									\
	if (arg1 != NULL)						\
		arg1 = (void *)(curvnet->vnet_data_base +		\
		    (uintptr_t)arg1);					\
	return (base(oidp, arg1, arg2, req));				\
}
VNET_HANDLER(vnet_sysctl_handle_int, sysctl_handle_int)
VNET_HANDLER(vnet_sysctl_handle_uint, sysctl_handle_int)
VNET_HANDLER(vnet_sysctl_handle_long, sysctl_handle_long)
VNET_HANDLER(vnet_sysctl_handle_opaque, sysctl_handle_opaque)
VNET_HANDLER(vnet_sysctl_handle_string, sysctl_handle_string)
#endif

/*
 * vnets and module registration.
 */
struct vnet_list_head vnet_head = LIST_HEAD_INITIALIZER(vnet_head);
struct sx vnet_list_lock;
struct vnet *vnet0;
#define	SHIM_MAXMOD	32
static const vnet_modinfo_t *shim_mods[SHIM_MAXMOD];
static int shim_nmods;

#if defined(SHIM_DESIGN_NEW) && defined(VIMAGE)
extern char __start_set_vnet[], __stop_set_vnet[];
#endif

static void
shim_vnet_attach_mod(struct vnet *vnet, const vnet_modinfo_t *vmi)
{
#ifdef VIMAGE
	struct vnet *saved;

	saved = curvnet;
	curvnet = vnet;
#ifdef SHIM_DESIGN_OLD
	if (vmi->vmi_size != 0)
		vnet->mod_data[vmi->vmi_id] = malloc(vmi->vmi_size, M_TEMP,
		    M_WAITOK | M_ZERO);
#endif
	if (vmi->vmi_iattach != NULL)
		vmi->vmi_iattach(vmi);
	curvnet = saved;
#else
	(void)vnet;
	if (vmi->vmi_iattach != NULL)
		vmi->vmi_iattach(vmi);
#endif
}

int
vnet_mod_register(const vnet_modinfo_t *vmi)
{
	struct vnet *vnet;

	if (shim_nmods == SHIM_MAXMOD)
		return (ENOSPC);
	shim_mods[shim_nmods++] = vmi;
#ifdef VIMAGE
	LIST_FOREACH(vnet, &vnet_head, vnet_le)
		shim_vnet_attach_mod(vnet, vmi);
#else
	vnet = NULL;
	shim_vnet_attach_mod(vnet, vmi);
#endif
	return (0);
}

int
vnet_mod_register_multi(const vnet_modinfo_t *vmi, void *iarg, char *iname)
{

	(void)iarg; (void)iname;
	return (vnet_mod_register(vmi));
}

int
vnet_mod_deregister(const vnet_modinfo_t *vmi)
{
	int i;

	for (i = 0; i < shim_nmods; i++)
		if (shim_mods[i] == vmi) {
			shim_mods[i] = shim_mods[--shim_nmods];
			return (0);
		}
	return (ENOENT);
}

#ifdef SHIM_DESIGN_OLD
/* The container of the module whose vmi_name is tag minus "vnet_". */
void *
shim_container(struct vnet *vnet, const char *tag)
{
#ifdef VIMAGE
	int i;

	if (strncmp(tag, "vnet_", 5) == 0)
		tag += 5;
	for (i = 0; i < shim_nmods; i++)
		if (strcmp(shim_mods[i]->vmi_name, tag) == 0 &&
		    shim_mods[i]->vmi_size != 0)
			return (vnet->mod_data[shim_mods[i]->vmi_id]);
#else
	(void)vnet; (void)tag;
#endif
	return (NULL);
}
#endif

struct vnet *
shim_vnet_alloc(void)
{
	struct vnet *vnet;
	int i;

	vnet = malloc(sizeof(*vnet), M_TEMP, M_WAITOK | M_ZERO);
	vnet->vnet_magic_n = VNET_MAGIC_N;
#if defined(SHIM_DESIGN_NEW) && defined(VIMAGE)
	{
		size_t bytes = __stop_set_vnet - __start_set_vnet;

		vnet->vnet_data_mem = malloc(bytes, M_TEMP, M_WAITOK);
		bcopy(__start_set_vnet, vnet->vnet_data_mem, bytes);
		vnet->vnet_data_base = (uintptr_t)vnet->vnet_data_mem -
		    (uintptr_t)__start_set_vnet;
	}
#endif
	if (vnet0 == NULL)
		vnet0 = vnet;
	/* insert at the tail so that VNET_FOREACH visits creation order */
	if (LIST_EMPTY(&vnet_head))
		LIST_INSERT_HEAD(&vnet_head, vnet, vnet_le);
	else {
		struct vnet *v;

		for (v = LIST_FIRST(&vnet_head); LIST_NEXT(v, vnet_le) != NULL;
		    v = LIST_NEXT(v, vnet_le))
			continue;
		LIST_INSERT_AFTER(v, vnet, vnet_le);
	}
	for (i = 0; i < shim_nmods; i++)
		shim_vnet_attach_mod(vnet, shim_mods[i]);
	return (vnet);
}

void
shim_set_vnet(struct vnet *vnet)
{

#ifdef VIMAGE
	curvnet = vnet;
	shim_prison0.pr_vnet = vnet;
#else
	(void)vnet;
#endif
}

/* modules */
void
shim_module_load(void *arg)
{
	moduledata_t *mod = arg;
	int error;

	error = mod->evhand(NULL, MOD_LOAD, mod->priv);
	if (error != 0)
		printf("module %s: load error %d\n", mod->name, error);
}

/* benign stand-ins for services reached at boot or from timers */
void clone_setup(struct clonedevs **cd) { (void)cd; }
void clone_cleanup(struct clonedevs **cd) { (void)cd; }
int pf_proto_register(int family, struct protosw *pr)
{ (void)family; (void)pr; return (0); }
int pf_proto_unregister(int family, int protocol, int type)
{ (void)family; (void)protocol; (void)type; return (0); }
static int shim_pfil_head;
struct pfil_head *pfil_head_get(int type, u_long val)
{ (void)type; (void)val; return ((struct pfil_head *)&shim_pfil_head); }
int pfil_add_hook(pfil_func_t *f, void *a, int fl, struct pfil_head *ph)
{ (void)f; (void)a; (void)fl; (void)ph; return (0); }
int pfil_remove_hook(pfil_func_t *f, void *a, int fl, struct pfil_head *ph)
{ (void)f; (void)a; (void)fl; (void)ph; return (0); }
int rn_init(void) { return (0); }
int scope6_setdefault(struct ifnet *ifp) { (void)ifp; return (0); }
void MD5Init(MD5_CTX *c) { bzero(c, sizeof(*c)); }
void MD5Update(MD5_CTX *c, const void *p, unsigned int len)
{
	const u_char *b = p;

	while (len-- > 0) {
		c->state[c->count[0] % 4] = c->state[c->count[0] % 4] * 31 + *b++;
		c->count[0]++;
	}
}
void MD5Final(unsigned char d[16], MD5_CTX *c) { bcopy(c->state, d, 16); }
