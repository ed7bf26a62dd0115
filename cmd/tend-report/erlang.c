/* erlang.c: Erlang C staffing (erlang.h).
 *
 * Everything goes through the Erlang B recursion, which never forms A^N
 * or N!, so A = 2000 erlangs costs 2000 steps and cannot overflow; the
 * search for the fewest agents carries the recursion on from one N to the
 * next instead of starting over.
 */
#include <limits.h>
#include <math.h>

#include "erlang.h"

/* C(n, a) from B(n), the Erlang B value at n (n > a > 0). */
static double
c_from_b(int n, double a, double b)
{
	return n * b / (n - a * (1 - b));
}

double
tend_erlang_c(int n, double a)
{
	double b = 1;
	int k;

	if (n <= a)
		return 1;
	if (a == 0)
		return 0;
	for (k = 1; k <= n; k++)
		b = a * b / (k + a * b);
	return c_from_b(n, a, b);
}

/* The service level once C is known. */
static double
level(double c, int n, double a, double aht, double t)
{
	if (c == 0)
		return 1;
	return 1 - c * exp(-(n - a) * t / aht);
}

double
tend_erlang_service_level(int n, double a, double aht, double t)
{
	if (n <= a)
		return 0;
	return level(tend_erlang_c(n, a), n, a, aht, t);
}

double
tend_erlang_asa(int n, double a, double aht)
{
	if (n <= a)
		return INFINITY;
	return tend_erlang_c(n, a) * aht / (n - a);
}

/* The fewest agents above a with occupancy a / n at most max_occupancy;
 * -1 past TEND_ERLANG_MAX_AGENTS. */
static int
first_candidate(double a, double max_occupancy)
{
	double least = a / max_occupancy;
	int n;

	if (!(least <= TEND_ERLANG_MAX_AGENTS))
		return -1;
	n = (int)floor(a) + 1;
	if (n < (int)least - 1)
		n = (int)least - 1;	/* the division may round either way */
	while (a / n > max_occupancy)
		n++;
	return n <= TEND_ERLANG_MAX_AGENTS ? n : -1;
}

int
tend_erlang_agents(double a, double aht, double t, double goal,
    double max_occupancy)
{
	double b = 1;
	int n, k;

	if (a == 0)
		return 0;
	if (!(a > 0) || !(max_occupancy > 0) || !(aht > 0))
		return -1;
	if ((n = first_candidate(a, max_occupancy)) < 0)
		return -1;
	for (k = 1; k <= n; k++)
		b = a * b / (k + a * b);
	for (;;) {
		if (level(c_from_b(n, a, b), n, a, aht, t) >= goal)
			return n;
		if (++n > TEND_ERLANG_MAX_AGENTS)
			return -1;
		b = a * b / (n + a * b);
	}
}

int
tend_erlang_scheduled(int n, double shrinkage)
{
	double x;

	if (n <= 0)
		return n;	/* 0, or -1 passed on from tend_erlang_agents */
	if (!(shrinkage >= 0 && shrinkage < 1))
		return -1;
	x = n / (1 - shrinkage);
	/* 21 / (1 - 0.3) is 30.000000000000004 in doubles: 30 agents */
	x = ceil(x - x * 1e-9);
	return x <= INT_MAX ? (int)x : -1;
}
