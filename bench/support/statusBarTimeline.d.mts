export interface StatusBarRender {
  readonly atMs: number;
  readonly text: string;
}

export function backgroundOpenOutcome(
  renders: readonly StatusBarRender[],
  options: { expectIndex: true },
): { openingAtMs: number; openedAtMs: number; items: number };
export function backgroundOpenOutcome(renders: readonly StatusBarRender[], options: { expectIndex: false }): { settledAtMs: number };
