/*-
 * Copyright (c) 2009 Tove Branderup
 * All rights reserved.
 *
 * Written for the vimage-migrate test corpus; not derived from FreeBSD
 * sources.  See corpus/README.md.
 *
 * $FreeBSD$
 */

#ifndef _NFSCL2_NFS2_H_
#define	_NFSCL2_NFS2_H_

/*
 * A small NFS-client-like module: it keeps no per-stack state of its
 * own, but sizes its transport from the INET globals of the stack that
 * a mount request comes from.
 */
#define	NFS2_PORT		2049
#define	NFS2_MAXDGRAM		8192
#define	NFS2_MINRESVPORT	600

struct nfs2_mountinfo {
	struct	in_addr nm_server;
	u_short	nm_lport;		/* reserved source port */
	u_int	nm_mss;			/* from the stack's TCP default */
	u_char	nm_ttl;			/* from the stack's IP default */
	int	nm_sotype;
};

#ifdef _KERNEL
extern int	nfs2_mounts;
extern u_long	nfs2_lastmss;

int	nfs2_connect(struct socket *, struct nfs2_mountinfo *);
int	nfs2_mount(struct thread *, struct nfs2_mountinfo *);
u_int	nfs2_pcbcount(void);
#endif

#endif /* !_NFSCL2_NFS2_H_ */
