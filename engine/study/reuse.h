/*
 * reuse.h — runs of a study that cost only what they change.
 *
 * A study's start (the caller's options: variant and --set changes) is simulated once.
 * Each what-if run after it simulates again only the options whose every program and
 * input are not provably the same as the start's (wa_model_options_same), reading only
 * the inputs they need, into arrays reused from run to run; the other options keep the
 * start's series and their figures are copied. Each result is still, bit for bit, the
 * one wa_run gives for the same options: the same draws (streams and Sobol' dimensions
 * belong to names), the same code on the same numbers.
 *
 * Precision stopping makes a run's trials depend on its results, so under it every run
 * is a whole wa_run.
 */
#ifndef WA_STUDY_REUSE_H
#define WA_STUDY_REUSE_H

#include "walkaway.h"

typedef struct wa_reuser wa_reuser;

/* Simulates the start (o, as wa_run would, without its progress); *out owns the reuser
   (wa_reuser_free). Returns as wa_run. */
wa_status wa_reuser_new(const wa_scenario *sc, const wa_run_options *o, wa_reuser **out,
                        wa_diagnostics *d);
void wa_reuser_free(wa_reuser *r);

/* The result wa_run(sc, po) gives, po being the start's options with more --set changes;
   *out owns it. Returns as wa_run. */
wa_status wa_reuser_run(wa_reuser *r, const wa_run_options *po, wa_result **out,
                        wa_diagnostics *d);

#endif
