// Purposes of the seeded random streams: request i's stream for a purpose is
// seededUniform(mixSeed(runSeed, i, purpose)), so each choice has its own stream
// and changing one kind of choice (e.g. a length) leaves the others as they were.
export const Purpose = Object.freeze({
  class: 1,
  inputLength: 2,
  text: 3,
  outputLength: 4,
  reply: 5,
  slot: 6,
  prefix: 7,
  image: 8,
  /** not per request: shared system prompt p is mixSeed(runSeed, prefixText, p) */
  prefixText: 0x5052_4546,
  /** not per request: trace block of hash id h is mixSeed(runSeed, traceBlock, h) */
  traceBlock: 0x424c_4f43,
});
