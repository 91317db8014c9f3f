/*
 * block.h — the block, the unit every stage counts trials in.
 *
 * A run's trials are cut into blocks of WA_BLOCK from trial 0. Every random stream is keyed
 * by (seed, input, block), never by thread or process, so a block's draws are the same
 * whoever computes it; simulation fills a block's columns at a time and summaries merge
 * per-block accumulators in block order. Changing WA_BLOCK changes every figure's bits.
 */
#ifndef WA_BLOCK_H
#define WA_BLOCK_H

#define WA_BLOCK 4096 /* trials */

#endif
