/**
 * The geometry of the semantic fake model, chosen to carry what decides ranking in a real
 * vision-language embedding space (see semanticSpace.ts for how each enters a vector).
 */
export interface SemanticModelOptions {
  /**
   * Modality gap: how much closer (in cosine) a text sits to texts than to images with the same
   * content. 0 puts a text and an image of the same meaning at the same point. Default 0.15.
   */
  readonly modalityGap?: number;
  /** Mean cosine of unrelated items through the common direction (anisotropy). Default 0.3. */
  readonly anisotropy?: number;
  /** Items vary around that mean by up to this much (some are "hubs"). Default 0.1. */
  readonly hubSpread?: number;
  /** Share of a text's content that comes from its words rather than its concepts. Default 0.35. */
  readonly wordResidual?: number;
  /** Share of an image's content that comes from its pixels rather than its caption. Default 0.5. */
  readonly pixelWeight?: number;
  /** Cosine of two concepts of the same domain ("billing" and "invoice"). Default 0.2. */
  readonly domainAffinity?: number;
  /** Seeds every random direction. Default 0x5e3a471c. */
  readonly seed?: number;
}

export type ResolvedSemanticOptions = Required<SemanticModelOptions>;

export function resolveSemanticOptions(options: SemanticModelOptions | true): ResolvedSemanticOptions {
  const given = options === true ? {} : options;
  const resolved: ResolvedSemanticOptions = {
    modalityGap: given.modalityGap ?? 0.15,
    anisotropy: given.anisotropy ?? 0.3,
    hubSpread: given.hubSpread ?? 0.1,
    wordResidual: given.wordResidual ?? 0.35,
    pixelWeight: given.pixelWeight ?? 0.5,
    domainAffinity: given.domainAffinity ?? 0.2,
    seed: given.seed ?? 0x5e3a471c,
  };
  const { modalityGap, anisotropy, hubSpread } = resolved;
  if (modalityGap < 0 || anisotropy - hubSpread < 0 || hubSpread < 0 || modalityGap + anisotropy + hubSpread > 0.9) {
    throw new Error(
      `semantic model: modalityGap ${modalityGap} + anisotropy ${anisotropy} + hubSpread ${hubSpread} must leave room for content (<= 0.9, none negative)`,
    );
  }
  for (const key of ['wordResidual', 'pixelWeight', 'domainAffinity'] as const) {
    if (!(resolved[key] >= 0 && resolved[key] < 1)) throw new Error(`semantic model: ${key} must be in [0, 1), got ${resolved[key]}`);
  }
  return resolved;
}
