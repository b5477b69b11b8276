/* See vec.h. */
#include "lib/vec.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int vec_room(void *arrayp, unsigned n, unsigned *cap, size_t elem, unsigned first_cap)
{
	void *array, *grown;
	unsigned ncap;

	if (n < *cap)
		return 0;
	if (!*cap)
		ncap = first_cap ? first_cap : 8;
	else if (*cap > UINT_MAX / 2)
		return -EOVERFLOW;
	else
		ncap = *cap * 2;
	if (elem && ncap > SIZE_MAX / elem)
		return -EOVERFLOW;
	/* The caller's pointer variable is read and written as bytes: it may be
	 * of any object pointer type. */
	memcpy(&array, arrayp, sizeof(array));
	grown = realloc(array, (size_t)ncap * elem);
	if (!grown)
		return -ENOMEM;
	memcpy(arrayp, &grown, sizeof(grown));
	*cap = ncap;
	return 0;
}
