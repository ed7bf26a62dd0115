/* erlang.h: how many agents a queue needs (tend-report(1): staffing).
 *
 * Erlang C models a live queue (chat, DMs, phone): contacts arrive at
 * random (Poisson) at rate lambda a second, each takes an agent aht
 * seconds on average (exponential), and they wait in one queue for the
 * first free agent.  With traffic A = lambda aht erlangs and N > A
 * agents, the probability that a contact waits is
 *
 *	C(N, A) = (A^N / N!) (N / (N - A)) / (sum_{k<N} A^k / k!
 *	          + (A^N / N!) (N / (N - A)))
 *
 * computed through the Erlang B recursion B(0) = 1,
 * B(k) = A B(k-1) / (k + A B(k-1)), C = N B / (N - A (1 - B)), which is
 * stable for thousands of agents.  The service level, the share answered
 * within t seconds, is 1 - C e^(-(N - A) t / aht); the average speed of
 * answer is C aht / (N - A).  With N <= A the queue grows without bound:
 * C is 1, the service level 0 and the speed of answer infinite.
 */
#ifndef TEND_REPORT_ERLANG_H
#define TEND_REPORT_ERLANG_H

/* The probability of waiting, C(n, a); 1 when n <= a. */
double tend_erlang_c(int n, double a);

/* The share of contacts answered within t seconds with n agents, traffic
 * a erlangs and handle time aht seconds. */
double tend_erlang_service_level(int n, double a, double aht, double t);

/* The average speed of answer in seconds; INFINITY when n <= a. */
double tend_erlang_asa(int n, double a, double aht);

/* The fewest agents (before shrinkage) that answer the share goal
 * (0 < goal < 1) within t seconds, with occupancy a / n at most
 * max_occupancy (0 < max_occupancy <= 1); 0 when a is 0.  -1 when more
 * than TEND_ERLANG_MAX_AGENTS would be needed. */
#define TEND_ERLANG_MAX_AGENTS 100000
int tend_erlang_agents(double a, double aht, double t, double goal,
    double max_occupancy);

/* Agents to schedule so that n are working: ceil(n / (1 - shrinkage)),
 * 0 <= shrinkage < 1; -1 when n is -1, shrinkage is out of range or the
 * result does not fit an int.  tend_erlang_agents() also answers -1 for a
 * negative or NaN load, or a handle time, target or occupancy that is not
 * positive. */
int tend_erlang_scheduled(int n, double shrinkage);

#endif
