/**
 * The opposition registry as the extraction sees it — registre des oppositions (PR-01): the lake
 * pseudonyms of people whose opposition is active. The opposition domain implements it; the
 * composition root wires it in.
 */
import type { PseudonymKeyRef } from '../platform/crypto/pseudonym.js';

export interface OptOutList {
  /** Pseudonyms under `key` (the lake's key) of every active opposition. */
  optedOutPseudonyms(key: PseudonymKeyRef): Promise<string[]>;
  /** Named in each manifest, so a delivery says which registry filtered it. */
  readonly source?: string;
}

/** A fixed list (tests, or a registry snapshot): the values are lake pseudonyms. */
export class FixedOptOutList implements OptOutList {
  constructor(
    private readonly pseudonyms: readonly string[],
    readonly source = 'fixed list',
  ) {}
  async optedOutPseudonyms(): Promise<string[]> {
    return [...this.pseudonyms];
  }
}

/**
 * Until the opposition registry is wired in: no one is excluded, and every manifest says so
 * (`opposition.source`), so a delivery made without it can be found and redone.
 */
export const noOppositionRegistry: OptOutList = {
  source: 'none: the opposition registry is not installed',
  optedOutPseudonyms: async () => [],
};
