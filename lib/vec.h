/* Growable arrays: the one place that doubles a capacity, checks the
 * multiplication and keeps the array intact when memory runs out.
 *
 *	struct point *pts = NULL;
 *	unsigned n = 0, cap = 0;
 *	if ((rc = VEC_ROOM(pts, n, cap, 16)))
 *		return rc;
 *	pts[n++] = p;
 */
#ifndef MP_VEC_H
#define MP_VEC_H

#include <stddef.h>

/* Make room for item n of *arrayp (items of elem bytes, capacity *cap): when
 * n == *cap the capacity doubles (the first time it becomes first_cap).
 * arrayp points to the array pointer (NULL for none yet). Returns 0, or
 * -ENOMEM / -EOVERFLOW with the array and *cap unchanged. */
int vec_room(void *arrayp, unsigned n, unsigned *cap, size_t elem, unsigned first_cap);

#define VEC_ROOM(array, n, cap, first_cap) vec_room(&(array), (n), &(cap), sizeof(*(array)), (first_cap))

#endif
