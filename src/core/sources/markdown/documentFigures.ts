import type { ImageLink, ItemProblem } from '../itemTypes';
import type { PreparationOptions } from '../preparationOptions';
import type { PreparedFile, PreparedItem } from '../preparedItem';
import type { SourcePreparer } from '../worker/sourcePreparer';
import { admitImageReference, type ReferenceAdmission } from './admitImageReference';
import { figureItem, type FigurePlace } from './figureItem';
import type { MarkdownImageReference } from './markdownTypes';

/**
 * The images one document shows: admits each reference, builds its figure item, and keeps what
 * the file record needs (the images it depends on, the links as resolved, the warnings).
 */
export class DocumentFigures {
  private readonly dependencies: Array<{ path: string; size: number; mtimeMs: number }> = [];
  private readonly links: ImageLink[] = [];
  private readonly warnings: ItemProblem[] = [];

  constructor(
    private readonly root: string,
    private readonly documentPath: string,
    private readonly admission: ReferenceAdmission,
    private readonly options: PreparationOptions,
    private readonly preparer: SourcePreparer,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async figure(
    reference: Pick<MarkdownImageReference, 'target' | 'syntax' | 'line'> & { readonly cell?: number },
    place: FigurePlace,
  ): Promise<PreparedItem | undefined> {
    const outcome = await admitImageReference(this.documentPath, reference, this.admission);
    if (!outcome) return undefined;
    if ('warning' in outcome) {
      this.links.push({ target: reference.target, syntax: reference.syntax });
      this.warnings.push(outcome.warning);
      return undefined;
    }
    this.links.push({ target: reference.target, syntax: reference.syntax, resolved: outcome.path });
    const built = await figureItem(this.root, outcome.path, place, this.options, this.preparer, this.signal);
    if (!built) {
      const where = reference.cell !== undefined ? { cell: reference.cell } : { line: reference.line };
      const label = reference.cell !== undefined ? `cell ${reference.cell}` : `line ${reference.line}`;
      this.warnings.push({ code: 'missing-image', message: `${label}: ${reference.target} is not a file in the workspace folder`, ...where });
      return undefined;
    }
    this.dependencies.push({ path: outcome.path, ...built.stat });
    return built.item;
  }

  /** Read once the items are all consumed. */
  record(): Pick<PreparedFile, 'dependencies' | 'problems' | 'imageLinks'> {
    return { dependencies: () => this.dependencies, problems: () => this.warnings, imageLinks: () => this.links };
  }
}
