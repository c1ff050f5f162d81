import type { ItemKind, ItemPart } from '../../sources/itemTypes';
import type { FileKind } from '../../sources/walk/fileKind';

/** Items of one kind: done (embedded, reused or refused) and the total expected. */
export interface ItemCount {
  readonly done: number;
  readonly total: number;
}

/** What is left of a run, in the unit the provider's rate limit counts: requests. */
export interface WorkLeft {
  readonly items: Readonly<Record<ItemKind, ItemCount>>;
  /** Image requests plus text batches still needed, counting items not even read yet. */
  readonly requests: number;
  /**
   * True while some of it is a guess from file sizes: documents not read yet. An image file not
   * processed yet counts as one request, a read document as the images or pages it names.
   */
  readonly estimated: boolean;
}

type DocumentKind = Exclude<FileKind, 'image'>;

const TEXT_PARTS: ReadonlySet<ItemPart> = new Set(['section', 'page-text']);

/** Before any file of a kind was read: items per byte (a docs section is about 1.2 KB of markdown; a PDF page 50 KB). */
const PRIOR_PER_BYTE: Record<DocumentKind, { readonly texts: number; readonly pictures: number }> = {
  markdown: { texts: 1 / 1200, pictures: 0 },
  pdf: { texts: 1 / 50_000, pictures: 1 / 50_000 },
  // A notebook's plots are stored in it as base64, some 40 KB each; its cells about 2 KB a section.
  notebook: { texts: 1 / 2000, pictures: 1 / 60_000 },
};

interface TrackedFile {
  readonly kind: FileKind;
  readonly size: number;
  /** A document's first step handed over its text (an image file counts as read). */
  read: boolean;
  /** Pictures still to come from a read file: an image file's one, a document's images or pages. */
  picturesLeft: number;
  /** Items an unread document has produced so far, taken off its guess. */
  texts: number;
  pictures: number;
}

/** What the documents of one kind not read yet add up to. */
interface Unread {
  files: number;
  bytes: number;
  texts: number;
  pictures: number;
}

/**
 * Keeps count of a run's work: items produced by the files read so far (waiting for the API, or
 * done), the pictures read files still owe (an image file's one, a document's images or pages),
 * and a guess for the documents not read yet, from what the ones of the same kind held per byte
 * in this run (a prior until the first is read).
 */
export class WorkEstimate {
  private readonly files = new Map<string, TrackedFile>();
  private readonly done: Record<ItemKind, number> = { image: 0, markdown: 0, pdf: 0, notebook: 0 };
  private readonly waiting: Record<ItemKind, number> = { image: 0, markdown: 0, pdf: 0, notebook: 0 };
  private readonly owed: Record<ItemKind, number> = { image: 0, markdown: 0, pdf: 0, notebook: 0 };
  private textsWaiting = 0;
  private picturesWaiting = 0;
  private readonly unread: Record<DocumentKind, Unread> = { markdown: emptyUnread(), pdf: emptyUnread(), notebook: emptyUnread() };
  private readonly learned: Record<DocumentKind, { bytes: number; texts: number; pictures: number }> = {
    markdown: { bytes: 0, texts: 0, pictures: 0 },
    pdf: { bytes: 0, texts: 0, pictures: 0 },
    notebook: { bytes: 0, texts: 0, pictures: 0 },
  };

  constructor(private readonly maxTexts: number) {}

  /** A changed file joined the queue. */
  queued(key: string, kind: FileKind, size: number): void {
    if (this.files.has(key)) return;
    const file: TrackedFile = { kind, size, read: kind === 'image', picturesLeft: kind === 'image' ? 1 : 0, texts: 0, pictures: 0 };
    this.files.set(key, file);
    if (kind === 'image') this.owed.image++;
    else this.addUnread(file, 1);
  }

  /** The file produced an item: reused (or unreadable) ones are done at once, others wait for the API. */
  item(key: string, part: ItemPart, kind: ItemKind, needsApi: boolean): void {
    const text = TEXT_PARTS.has(part);
    const file = this.files.get(key);
    if (file && !file.read) {
      if (text) file.texts++;
      else file.pictures++;
      const unread = this.unread[file.kind as DocumentKind];
      if (text) unread.texts++;
      else unread.pictures++;
    } else if (file && !text && file.picturesLeft > 0) {
      file.picturesLeft--;
      this.owed[pictureKind(file.kind)]--;
    }
    if (!needsApi) {
      this.done[kind]++;
      return;
    }
    this.waiting[kind]++;
    if (text) this.textsWaiting++;
    else this.picturesWaiting++;
  }

  /** An item that waited for the API is back (with a vector or refused). */
  settled(part: ItemPart, kind: ItemKind): void {
    this.waiting[kind]--;
    this.done[kind]++;
    if (TEXT_PARTS.has(part)) this.textsWaiting--;
    else this.picturesWaiting--;
  }

  /**
   * The file's first step handed over all its items: a document's text is known, and `pictures`
   * says how many images or pages its second step will bring at most (undefined: none).
   */
  firstStepRead(key: string, pictures: number | undefined): void {
    const file = this.files.get(key);
    if (!file) return;
    if (file.kind === 'image') return this.forget(key);
    if (file.read) return;
    this.addUnread(file, -1);
    const learned = this.learned[file.kind];
    learned.bytes += file.size;
    learned.texts += file.texts;
    learned.pictures += pictures ?? 0;
    file.read = true;
    file.picturesLeft = Math.max(0, (pictures ?? 0) - file.pictures);
    this.owed[pictureKind(file.kind)] += file.picturesLeft;
  }

  /** The file is done with (recorded, failed, reused or touched): nothing more comes from it. */
  forget(key: string): void {
    const file = this.files.get(key);
    if (!file) return;
    this.files.delete(key);
    if (file.read) this.owed[pictureKind(file.kind)] -= file.picturesLeft;
    else this.addUnread(file, -1);
  }

  get left(): WorkLeft {
    const guess = { markdown: this.guess('markdown'), pdf: this.guess('pdf'), notebook: this.guess('notebook') };
    const expected: Record<ItemKind, number> = {
      markdown: guess.markdown.texts,
      image: this.owed.image + guess.markdown.pictures + guess.notebook.pictures,
      pdf: this.owed.pdf + guess.pdf.texts + guess.pdf.pictures,
      notebook: guess.notebook.texts,
    };
    const count = (kind: ItemKind): ItemCount => ({ done: this.done[kind], total: this.done[kind] + this.waiting[kind] + expected[kind] });
    const texts = this.textsWaiting + guess.markdown.texts + guess.pdf.texts + guess.notebook.texts;
    const pictures = this.picturesWaiting + this.owed.image + this.owed.pdf + guess.markdown.pictures + guess.pdf.pictures + guess.notebook.pictures;
    return {
      items: { image: count('image'), markdown: count('markdown'), pdf: count('pdf'), notebook: count('notebook') },
      requests: pictures + Math.ceil(texts / this.maxTexts),
      estimated: this.unread.markdown.files + this.unread.pdf.files + this.unread.notebook.files > 0,
    };
  }

  /** The items the unread documents of a kind are expected to bring, less what they brought already. */
  private guess(kind: DocumentKind): { texts: number; pictures: number } {
    const unread = this.unread[kind];
    if (unread.files === 0) return { texts: 0, pictures: 0 };
    const learned = this.learned[kind];
    const density = learned.bytes > 0 ? { texts: learned.texts / learned.bytes, pictures: learned.pictures / learned.bytes } : PRIOR_PER_BYTE[kind];
    return {
      texts: Math.max(0, Math.max(unread.files, Math.round(unread.bytes * density.texts)) - unread.texts),
      pictures: Math.max(0, Math.round(unread.bytes * density.pictures) - unread.pictures),
    };
  }

  private addUnread(file: TrackedFile, sign: 1 | -1): void {
    const unread = this.unread[file.kind as DocumentKind];
    unread.files += sign;
    unread.bytes += sign * file.size;
    unread.texts += sign * file.texts;
    unread.pictures += sign * file.pictures;
  }
}

function emptyUnread(): Unread {
  return { files: 0, bytes: 0, texts: 0, pictures: 0 };
}

/** The kind of item a file's pictures are: an image file's, a markdown file's and a notebook's are images, a PDF's pages PDF items. */
function pictureKind(kind: FileKind): ItemKind {
  return kind === 'pdf' ? 'pdf' : 'image';
}
