import { describe, expect, it } from 'vitest';
import { diffLines, edgeLabel, nameMatcher } from './text.ts';

describe('catalogue page helpers', () => {
  it('CAT: a yearly template finds its yearly tables in a release, and only them', () => {
    const matches = nameMatcher('T_MCOaaB', '^T_MCO\\d{2}B$');
    expect(['T_MCO21B', 'T_MCO20B', 'T_MCOaaB', 'T_MCO21C', 'XT_MCO21B'].filter(matches)).toEqual(['T_MCO21B', 'T_MCO20B', 'T_MCOaaB']);
    expect(['KI_CCI_R', 'KI_ECD_R'].filter(nameMatcher('KI_CCI_R', null))).toEqual(['KI_CCI_R']);
    // An unreadable pattern falls back to the exact name instead of throwing.
    expect(nameMatcher('A', '(')('A')).toBe(true);
  });

  it('CAT: graph edge labels stay short, with every key left for the panel', () => {
    expect(edgeLabel(['BEN_IDT_ANO'], ['BEN_IDT_ANO'])).toBe('BEN_IDT_ANO');
    expect(edgeLabel(['A', 'B', 'C', 'D'], ['A', 'B', 'C', 'D'])).toBe('A +3');
    expect(edgeLabel(['PHA_PRS_C13'], ['PHA_CIP_C13'])).toBe('PHA_PRS_C13 → PHA_CIP_C13');
  });

  it('CAT: a documentation diff loses its file headers and keeps its signed lines', () => {
    const diff = '===================================================================\n--- "r\\303\\251vision 0"\n+++ "r\\303\\251vision 1"\n@@ -0,0 +1,2 @@\n+# Titre\n-old\n same';
    expect(diffLines(diff)).toEqual([
      { text: '@@ -0,0 +1,2 @@', kind: 'context' },
      { text: '+# Titre', kind: 'add' },
      { text: '-old', kind: 'del' },
      { text: ' same', kind: 'context' },
    ]);
  });
});
