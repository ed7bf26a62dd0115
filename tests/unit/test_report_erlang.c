/* test_report_erlang.c: Erlang C staffing (cmd/tend-report/erlang.h).
 *
 * Where the expected values come from:
 *
 * - The call-centre worked example of Call Centre Helper, "Erlang C
 *   Formula - Made Simple With an Easy Worked Example"
 *   (callcentrehelper.com): 100 calls in 30 minutes with an average
 *   handle time of 180 s is A = 100 * 180 / 1800 = 10 erlangs; the goal
 *   is 80% answered within 20 s.  With 11 agents the probability of
 *   waiting is 68.21% (also the value of published Erlang C tables for
 *   A = 10, N = 11) and the service level 39%; 12 agents give 64%, 13
 *   give 79.6% and 14 give 88.8%, so 14 are needed, at an occupancy of
 *   71.4% and an ASA of 7.8 s; with 30% shrinkage, 14 / 0.7 = 20 agents
 *   are scheduled.
 * - The closed forms of the textbooks (Kleinrock, Queueing Systems I):
 *   M/M/1 waits with probability rho = A, so C(1, A) = A; for M/M/2,
 *   C(2, A) = 2 rho^2 / (1 + rho) with rho = A / 2.
 *
 * Every value with more digits than those was computed independently of
 * erlang.c, with the textbook formula (A^N / N!) (N / (N - A)) / (sum +
 * same) in exact rational arithmetic (Python's fractions.Fraction, a
 * scratch script); the last digit may differ in doubles, hence the
 * tolerances.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>

#include <cmocka.h>

#include "erlang.h"

#define EPS	1e-12

static void
near(double got, double want, double eps, const char *what)
{
	if (!(fabs(got - want) <= eps))
		fail_msg("%s: %.17g, want %.17g", what, got, want);
}

/* The worked example, agent by agent: C, service level within 20 s, ASA
 * (exact values; the published ones rounded in the comments). */
static void
test_worked_example(void **state)
{
	static const struct {
		int n;
		double c, sl, asa;
	} rows[] = {
		{ 11, 0.6821182046893324, 0.3896138117291533,
		    122.78127684407983 },	/* 68.21%, 39% */
		{ 12, 0.44938822429827086, 0.6401580403740066,
		    40.44494018684438 },	/* 64% */
		{ 13, 0.28527045303649295, 0.7955947884177831,
		    17.11622718218958 },	/* 79.6% */
		{ 14, 0.17413193359504983, 0.8883500191794669,
		    7.835937011777243 },	/* 88.8%, ASA 7.8 s */
		{ 15, 0.10204236700798801, 0.9414528428690223,
		    3.6735252122875686 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		near(tend_erlang_c(rows[i].n, 10), rows[i].c, EPS, "C");
		near(tend_erlang_service_level(rows[i].n, 10, 180, 20),
		    rows[i].sl, EPS, "service level");
		near(tend_erlang_asa(rows[i].n, 10, 180), rows[i].asa, 1e-9,
		    "asa");
	}
	/* the published, rounded figures */
	near(tend_erlang_c(11, 10), 0.6821, 5e-5, "C(11, 10)");
	near(tend_erlang_service_level(14, 10, 180, 20), 0.888, 5e-4, "SL 14");
	near(tend_erlang_asa(14, 10, 180), 7.8, 0.05, "ASA 14");
	/* 14 agents for 80% in 20 s; 20 scheduled with 30% shrinkage */
	assert_int_equal(tend_erlang_agents(10, 180, 20, 0.8, 1), 14);
	assert_int_equal(tend_erlang_scheduled(14, 0.3), 20);
}

static void
test_closed_forms(void **state)
{
	double a;

	(void)state;
	for (a = 0.05; a < 1; a += 0.1)
		near(tend_erlang_c(1, a), a, EPS, "M/M/1");
	near(tend_erlang_c(2, 1), 1.0 / 3, EPS, "M/M/2, A = 1");
	/* rho = 0.75: 2 * 0.5625 / 1.75 = 9 / 14 */
	near(tend_erlang_c(2, 1.5), 9.0 / 14, EPS, "M/M/2, A = 1.5");
	near(tend_erlang_c(3, 2), 4.0 / 9, EPS, "C(3, 2)");
	/* M/M/1 at rho 0.5, aht 300 s: SL(60 s) = 1 - 0.5 e^(-0.1) */
	near(tend_erlang_service_level(1, 0.5, 300, 60), 1 - 0.5 * exp(-0.1),
	    EPS, "M/M/1 SL");
	/* ASA = C aht / (n - a) = 0.5 * 300 / 0.5 */
	near(tend_erlang_asa(1, 0.5, 300), 300, 1e-9, "M/M/1 ASA");
	/* t = 0: the share not waiting at all */
	near(tend_erlang_service_level(14, 10, 180, 0), 1 - 0.17413193359504983,
	    EPS, "SL at t = 0");
}

/* Too few agents: everyone waits, the queue grows without bound. */
static void
test_overloaded(void **state)
{
	(void)state;
	assert_true(tend_erlang_c(10, 10) == 1);
	assert_true(tend_erlang_c(5, 10) == 1);
	assert_true(tend_erlang_c(0, 0.5) == 1);
	assert_true(tend_erlang_service_level(10, 10, 180, 20) == 0);
	assert_true(tend_erlang_service_level(3, 10.5, 180, 20) == 0);
	assert_true(isinf(tend_erlang_asa(10, 10, 180)));
	assert_true(tend_erlang_asa(9, 10, 180) > 0);
}

/* No traffic: nobody waits, nobody is needed. */
static void
test_no_traffic(void **state)
{
	(void)state;
	assert_true(tend_erlang_c(3, 0) == 0);
	assert_true(tend_erlang_service_level(1, 0, 180, 0) == 1);
	assert_true(tend_erlang_asa(3, 0, 180) == 0);
	assert_int_equal(tend_erlang_agents(0, 180, 20, 0.8, 0.85), 0);
	assert_int_equal(tend_erlang_scheduled(0, 0.3), 0);
}

/* The occupancy cap, when it binds, decides: 10 / 14 = 71.4% > 70%, so
 * 15; 60% needs 10 / 0.6 = 16.7, so 17; 85% does not bind. */
static void
test_occupancy(void **state)
{
	(void)state;
	assert_int_equal(tend_erlang_agents(10, 180, 20, 0.8, 0.85), 14);
	assert_int_equal(tend_erlang_agents(10, 180, 20, 0.8, 0.7), 15);
	assert_int_equal(tend_erlang_agents(10, 180, 20, 0.8, 0.6), 17);
	/* exactly at the cap is allowed: 10 / 20 = 0.5 */
	assert_int_equal(tend_erlang_agents(10, 180, 20, 0.8, 0.5), 20);
	/* a tiny load still needs one agent, and one is enough: SL with 1
	 * at A = 0.5, 300 s, 60 s is 0.5476; 2 give 0.9259 */
	assert_int_equal(tend_erlang_agents(0.5, 300, 60, 0.5, 1), 1);
	assert_int_equal(tend_erlang_agents(0.5, 300, 60, 0.9, 1), 2);
}

/* The goal at t = 0 is the share that does not wait: 1 - C(n, 10) is
 * 0.8259 at 14 (short of 0.9), 0.9427 at 16, and 0.9691 at 17. */
static void
test_goal_at_zero(void **state)
{
	(void)state;
	assert_int_equal(tend_erlang_agents(10, 180, 0, 0.8, 1), 14);
	assert_int_equal(tend_erlang_agents(10, 180, 0, 0.95, 1), 17);
}

/* The service level grows with every agent added, and the fewest agents
 * found is the first n that reaches the goal. */
static void
test_monotone(void **state)
{
	static const double goals[] = { 0.5, 0.8, 0.9, 0.95, 0.99 };
	double prev = 0, sl;
	size_t i;
	int n;

	(void)state;
	for (n = 11; n <= 40; n++) {
		sl = tend_erlang_service_level(n, 10, 180, 20);
		assert_true(sl > prev);
		prev = sl;
	}
	for (i = 0; i < sizeof(goals) / sizeof(goals[0]); i++) {
		n = tend_erlang_agents(37.5, 240, 15, goals[i], 1);
		assert_true(tend_erlang_service_level(n, 37.5, 240, 15) >=
		    goals[i]);
		assert_true(tend_erlang_service_level(n - 1, 37.5, 240, 15) <
		    goals[i]);
	}
}

static void
test_shrinkage(void **state)
{
	(void)state;
	assert_int_equal(tend_erlang_scheduled(14, 0), 14);
	assert_int_equal(tend_erlang_scheduled(10, 0.3), 15);	/* 14.29 */
	/* 21 / 0.7 is 30.000000000000004 in doubles: still 30 */
	assert_int_equal(tend_erlang_scheduled(21, 0.3), 30);
	assert_int_equal(tend_erlang_scheduled(17, 0.32), 25);
	assert_int_equal(tend_erlang_scheduled(1, 0.99), 100);
	assert_int_equal(tend_erlang_scheduled(-1, 0.3), -1);
}

/* Thousands of agents: no overflow, and quick.  C(2040, 2000) from exact
 * rationals is 0.27166168319901457; 80% in 20 s at 180 s needs 2012
 * (service level 0.8142; 2011 give 0.7860). */
static void
test_large(void **state)
{
	clock_t start = clock();

	(void)state;
	near(tend_erlang_c(2040, 2000), 0.27166168319901457, 1e-9,
	    "C(2040, 2000)");
	assert_int_equal(tend_erlang_agents(2000, 180, 20, 0.8, 1), 2012);
	near(tend_erlang_service_level(2012, 2000, 180, 20),
	    0.8142430179936346, 1e-9, "SL(2012)");
	assert_int_equal(tend_erlang_agents(99000, 180, 20, 0.8, 1), 99014);
	/* more than TEND_ERLANG_MAX_AGENTS would be needed */
	assert_int_equal(tend_erlang_agents(99990, 180, 20, 0.8, 1), -1);
	assert_int_equal(tend_erlang_agents(1e9, 180, 20, 0.8, 1), -1);
	assert_int_equal(tend_erlang_agents(60000, 180, 20, 0.8, 0.5), -1);
	assert_int_equal(tend_erlang_scheduled(-1, 0.3), -1);
	assert_true((double)(clock() - start) / CLOCKS_PER_SEC < 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worked_example),
		cmocka_unit_test(test_closed_forms),
		cmocka_unit_test(test_overloaded),
		cmocka_unit_test(test_no_traffic),
		cmocka_unit_test(test_occupancy),
		cmocka_unit_test(test_goal_at_zero),
		cmocka_unit_test(test_monotone),
		cmocka_unit_test(test_shrinkage),
		cmocka_unit_test(test_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
