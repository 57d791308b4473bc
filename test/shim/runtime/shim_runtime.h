/*
 * Interface between runtime.c and driver.c (both compiled with the prelude).
 */
#ifndef _SHIM_RUNTIME_H_
#define	_SHIM_RUNTIME_H_

void	shim_unimplemented(const char *);
int	shim_run_callouts(void);
struct vnet *shim_vnet_alloc(void);
void	shim_set_vnet(struct vnet *);
void	*shim_container(struct vnet *, const char *);
extern struct sysctl_oid sysctl_;

struct shim_vartab_entry {
	const char	*name;
	const char	*container;
	unsigned long	 offset;
	unsigned long	 size;
};

#endif
