/*
 * errors.c - error codes to text, the version string, nr_free.
 */
#include "narrate.h"
#include "alloc.h"

#ifndef NR_VERSION
#define NR_VERSION "0.0.0"
#endif

const char *nr_strerror(int err)
{
	switch (err) {
	case NR_OK: return "success";
	case NR_ENOMEM: return "out of memory";
	case NR_EINVAL: return "invalid argument";
	case NR_EUTF8: return "invalid UTF-8";
	case NR_EPARSE: return "parse error";
	case NR_EIO: return "input/output error";
	case NR_ELIMIT: return "size limit exceeded";
	case NR_ENOTFOUND: return "not found";
	case NR_EUNSUPPORTED: return "not supported";
	case NR_EINTERNAL: return "internal error in a library below narrate";
	}
	return "unknown error";
}

const char *nr_version(void)
{
	return NR_VERSION;
}

void nr_free(void *p)
{
	nri_free(p);
}
