import { rectOp, textOp, writePdf, type PdfPageSpec } from '../fixtures/pdfWriter';

// The PDFs of the evaluation workspace: a quarterly report, a security whitepaper and a German
// operations handbook, one topic per page, each page with a title, a few lines of text and a
// small bar chart, as exported slides and reports look.

export interface FixturePdf {
  readonly path: string;
  readonly pages: ReadonlyArray<{ readonly title: string; readonly lines: readonly string[] }>;
}

export const FIXTURE_PDFS: readonly FixturePdf[] = [
  {
    path: 'reports/quarterly-report-2024-q3.pdf',
    pages: [
      {
        title: 'Q3 2024 at a glance',
        lines: [
          'Revenue grew 18 percent over the second quarter.',
          'We welcomed 240 new customers, most of them on the Pro plan.',
          'Churn fell to 1.9 percent.',
        ],
      },
      {
        title: 'Reliability',
        lines: [
          'Uptime across all regions was 99.97 percent.',
          'The 99th percentile response time fell from 420 ms to 310 ms',
          'after the edge tier moved to the new hosts.',
        ],
      },
      {
        title: 'Incidents',
        lines: [
          '14 July: a database failover took 12 minutes, writes were refused meanwhile.',
          '2 September: an expired certificate on a custom domain',
          'broke sign-in for one customer for two hours.',
        ],
      },
      {
        title: 'Spending',
        lines: ['Cloud spending per request decreased by a quarter.', 'Storage spending rose because snapshots are now kept longer.'],
      },
    ],
  },
  {
    path: 'security/security-whitepaper.pdf',
    pages: [
      {
        title: 'Encryption',
        lines: [
          'All customer data is encrypted at rest with AES-256',
          'and in transit with TLS 1.3. Keys are rotated every year',
          'and held in a hardware security module.',
        ],
      },
      {
        title: 'Compliance',
        lines: [
          'Harbor processes personal data under the GDPR as a processor.',
          'A data processing agreement is part of every contract;',
          'the SOC 2 Type II report is available on request.',
        ],
      },
      {
        title: 'Reporting a vulnerability',
        lines: [
          'Report security flaws to security@harbor.example.',
          'We answer within two business days and pay a bounty',
          'for issues that put customer data at risk.',
        ],
      },
    ],
  },
  {
    path: 'handbuch/betriebshandbuch.pdf',
    pages: [
      {
        title: 'Notfallplan',
        lines: ['Fällt ein Rechenzentrum aus, übernimmt die Replik in der zweiten Region.', 'Die Umschaltung dauert höchstens fünfzehn Minuten.'],
      },
      {
        title: 'Zugriffskontrolle',
        lines: ['Administratoren vergeben Rollen an Mitglieder.', 'Jede Änderung der Berechtigungen steht im Prüfprotokoll.'],
      },
    ],
  },
];

function page(title: string, lines: readonly string[], index: number): PdfPageSpec {
  let content = textOp(72, 720, 22, title);
  lines.forEach((line, i) => (content += textOp(72, 680 - i * 18, 12, line)));
  const colours: Array<[number, number, number]> = [
    [0.2, 0.4, 0.8],
    [0.9, 0.5, 0.1],
    [0.2, 0.7, 0.3],
  ];
  colours.forEach((colour, i) => (content += rectOp(120 + i * 110, 200, 70, 60 + ((index * 53 + i * 71) % 240), colour)));
  return { content };
}

export function fixturePdfBytes(pdf: FixturePdf): Uint8Array {
  return writePdf(pdf.pages.map((p, i) => page(p.title, p.lines, i + pdf.path.length)));
}
