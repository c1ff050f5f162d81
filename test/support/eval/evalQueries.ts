import { DASHBOARD_DARK, DASHBOARD_LIGHT, LOGIN_DARK, LOGIN_LIGHT, NOTIFICATIONS_DARK, NOTIFICATIONS_LIGHT } from './docsRepoImages';

/**
 * The labelled queries of the evaluation set, by category. A label names what a person would
 * want to find: an image file (or a markdown figure showing it), a markdown section by its
 * heading, a PDF page, or any item of a file; grade 2 is what the query is after, grade 1 is
 * also useful.
 */

export const CATEGORIES = ['text-to-screenshot', 'paraphrase', 'text-to-pdf', 'cross-lingual', 'image-to-image', 'image-and-words', 'identifier'] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_TITLES: Record<Category, string> = {
  'text-to-screenshot': 'text -> screenshot or diagram (no word shared with its name or nearby text)',
  paraphrase: 'text -> markdown section by paraphrase',
  'text-to-pdf': 'text -> PDF page',
  'cross-lingual': 'cross-lingual (German, French, Japanese <-> English)',
  'image-to-image': 'image -> similar image',
  'image-and-words': 'image + words ("like this, but dark")',
  identifier: 'identifier and file-name lookups',
};

export type Label =
  | { readonly image: string; readonly grade?: 1 | 2 }
  | { readonly section: string; readonly heading: string; readonly grade?: 1 | 2 }
  | { readonly pdf: string; readonly page: number; readonly grade?: 1 | 2 }
  | { readonly file: string; readonly grade?: 1 | 2 };

export interface EvalQuery {
  readonly category: Category;
  readonly text?: string;
  /** A query image by name (QUERY_IMAGES), pasted or dropped. */
  readonly image?: string;
  /** Find Similar on an indexed image. */
  readonly similarTo?: string;
  readonly labels: readonly Label[];
}

const AUTH = 'docs/authentication.md';
const DASHBOARD = 'docs/dashboard.md';
const DEPLOYMENTS = 'docs/deployments.md';
const MONITORING = 'docs/monitoring.md';
const BILLING = 'docs/billing.md';
const TEAMS = 'docs/teams.md';
const BACKUPS = 'docs/operations/backups.md';
const NETWORKING = 'docs/operations/networking.md';
const TROUBLESHOOTING = 'docs/troubleshooting.md';
const API = 'docs/api/reference.md';
const GETTING_STARTED = 'docs/getting-started.md';
const REPORT = 'reports/quarterly-report-2024-q3.pdf';
const WHITEPAPER = 'security/security-whitepaper.pdf';
const HANDBOOK = 'handbuch/betriebshandbuch.pdf';

const section = (path: string, heading: string, grade: 1 | 2 = 2): Label => ({ section: path, heading, grade });
const image = (path: string, grade: 1 | 2 = 2): Label => ({ image: path, grade });
const page = (path: string, n: number, grade: 1 | 2 = 2): Label => ({ pdf: path, page: n, grade });

export const EVAL_QUERIES: readonly EvalQuery[] = [
  // Text -> screenshot or diagram: the only route is what the picture shows.
  { category: 'text-to-screenshot', text: 'authenticate screen asking for user name and passphrase', labels: [image(LOGIN_LIGHT), image(LOGIN_DARK)] },
  {
    category: 'text-to-screenshot',
    text: 'latency graph next to uptime tiles',
    labels: [image(DASHBOARD_LIGHT), image(DASHBOARD_DARK), section(DASHBOARD, 'Charts', 1)],
  },
  { category: 'text-to-screenshot', text: 'switches to turn e-mail alerts on or off', labels: [image(NOTIFICATIONS_LIGHT), image(NOTIFICATIONS_DARK)] },
  { category: 'text-to-screenshot', text: 'receipts listed with euro amounts', labels: [image('screenshots/Screenshot 2024-05-20 at 16.40.31.png')] },
  { category: 'text-to-screenshot', text: 'popup for entering a new credit card', labels: [image('screenshots/Screenshot 2024-05-20 at 16.42.10.png')] },
  {
    category: 'text-to-screenshot',
    text: 'QR code for setting up an authenticator',
    labels: [image('screenshots/capture-07.png'), section(AUTH, 'Two-factor authentication', 1)],
  },
  { category: 'text-to-screenshot', text: 'list of colleagues with profile pictures', labels: [image('screenshots/img_4190.png')] },
  { category: 'text-to-screenshot', text: 'CI stages where the final stage is marked as broken', labels: [image('screenshots/capture-11.png')] },
  {
    category: 'text-to-screenshot',
    text: 'are you sure prompt for going back to an older release',
    labels: [image('screenshots/capture-12.png'), section(DEPLOYMENTS, 'Rolling back', 1)],
  },
  {
    category: 'text-to-screenshot',
    text: 'console output with failures highlighted red on black',
    labels: [image('screenshots/Screenshot 2024-06-02 at 09.01.44.png')],
  },
  { category: 'text-to-screenshot', text: 'yellow warning triangles and a red outage strip', labels: [image('screenshots/capture-15.png')] },
  {
    category: 'text-to-screenshot',
    text: 'list of nightly snapshots you can recover',
    labels: [image('screenshots/img_4233.png'), section(BACKUPS, 'Restoring a snapshot', 1)],
  },
  { category: 'text-to-screenshot', text: 'drawing of subnets behind a firewall', labels: [image('diagrams/network-topology.png')] },
  {
    category: 'text-to-screenshot',
    text: 'schematic with a load balancer, two servers and a database replica',
    labels: [image('diagrams/architecture.png'), image('exports/architecture-large.png'), section(GETTING_STARTED, 'How the platform is put together', 1)],
  },
  { category: 'text-to-screenshot', text: 'smartphone version of the overview', labels: [image('screenshots/Screenshot 2024-07-11 at 12.00.03.png')] },
  {
    category: 'text-to-screenshot',
    text: 'keys for scripts with expiry and a revoke control',
    labels: [image('screenshots/img_4301.png'), section(AUTH, 'API tokens', 1)],
  },

  // Text -> markdown section by paraphrase: few or none of the section's own words.
  { category: 'paraphrase', text: 'I can no longer remember my passphrase', labels: [section(AUTH, 'Resetting a forgotten password')] },
  { category: 'paraphrase', text: 'stay logged in for a month on my own laptop', labels: [section(AUTH, 'Sessions')] },
  { category: 'paraphrase', text: 'undo a broken rollout', labels: [section(DEPLOYMENTS, 'Rolling back')] },
  {
    category: 'paraphrase',
    text: 'who gets notified first when there is an outage, and what if they do not answer',
    labels: [section(MONITORING, 'Incidents and on-call')],
  },
  { category: 'paraphrase', text: 'for how long are old backups stored', labels: [section(BACKUPS, 'Retention')] },
  {
    category: 'paraphrase',
    text: 'can I settle the bill by wire instead of with a card',
    labels: [section(BILLING, 'Payment methods'), section('docs/fr/facturation.md', 'Paiement par virement', 1)],
  },
  { category: 'paraphrase', text: 'slow calls are aborted with a gateway error', labels: [section(TROUBLESHOOTING, 'Requests time out')] },
  { category: 'paraphrase', text: 'only let our office VPN through', labels: [section(NETWORKING, 'Firewall rules')] },
  { category: 'paraphrase', text: 'night mode for the web app', labels: [section(DASHBOARD, 'Dark mode')] },
  { category: 'paraphrase', text: 'ask a coworker to join our workspace', labels: [section(TEAMS, 'Inviting members')] },
  { category: 'paraphrase', text: 'what you need before setting up the CLI', labels: [section(GETTING_STARTED, 'Installing the command-line tool')] },
  { category: 'paraphrase', text: 'money back after switching to a cheaper tier', labels: [section(BILLING, 'Refunds')] },
  { category: 'paraphrase', text: 'graphs of response time percentiles', labels: [section(DASHBOARD, 'Charts')] },

  // Text -> PDF page.
  { category: 'text-to-pdf', text: 'how much did sales grow last quarter', labels: [page(REPORT, 1)] },
  { category: 'text-to-pdf', text: 'how many new clients signed up', labels: [page(REPORT, 1)] },
  { category: 'text-to-pdf', text: 'tail latency improvement after moving hosts', labels: [page(REPORT, 2)] },
  { category: 'text-to-pdf', text: 'database failover that refused writes', labels: [page(REPORT, 3)] },
  { category: 'text-to-pdf', text: 'certificate that lapsed and broke logins', labels: [page(REPORT, 3), section(TROUBLESHOOTING, 'Certificate expired', 1)] },
  { category: 'text-to-pdf', text: 'cloud costs per request', labels: [page(REPORT, 4)] },
  { category: 'text-to-pdf', text: 'is data scrambled at rest and in transit', labels: [page(WHITEPAPER, 1)] },
  { category: 'text-to-pdf', text: 'GDPR data processing agreement', labels: [page(WHITEPAPER, 2)] },
  { category: 'text-to-pdf', text: 'where to report a security hole and is there a reward', labels: [page(WHITEPAPER, 3)] },
  { category: 'text-to-pdf', text: 'SOC 2 report', labels: [page(WHITEPAPER, 2)] },

  // Cross-lingual: German, French and Japanese queries for English pages, and English queries
  // for pages that exist only in German, French or Japanese.
  { category: 'cross-lingual', text: 'Wie setze ich mein Passwort zurück?', labels: [section(AUTH, 'Resetting a forgotten password')] },
  {
    category: 'cross-lingual',
    text: 'Rechnungen als PDF herunterladen',
    labels: [section(BILLING, 'Invoices'), image('screenshots/Screenshot 2024-05-20 at 16.40.31.png', 1)],
  },
  { category: 'cross-lingual', text: 'Datenbank aus einer Sicherung wiederherstellen', labels: [section(BACKUPS, 'Restoring a snapshot')] },
  { category: 'cross-lingual', text: 'Dunkelmodus einschalten', labels: [section(DASHBOARD, 'Dark mode')] },
  { category: 'cross-lingual', text: 'Wie lange dauerte der Datenbankausfall im Juli?', labels: [page(REPORT, 3)] },
  { category: 'cross-lingual', text: "Comment inviter un collègue dans l'équipe ?", labels: [section(TEAMS, 'Inviting members')] },
  { category: 'cross-lingual', text: 'revenir à la version précédente', labels: [section(DEPLOYMENTS, 'Rolling back')] },
  { category: 'cross-lingual', text: 'double authentification avec une application', labels: [section(AUTH, 'Two-factor authentication')] },
  { category: 'cross-lingual', text: "capture d'écran du tableau de bord en mode sombre", labels: [image(DASHBOARD_DARK), image(DASHBOARD_LIGHT, 1)] },
  { category: 'cross-lingual', text: 'ログイン画面', labels: [image(LOGIN_LIGHT), image(LOGIN_DARK), section(AUTH, 'Signing in', 1)] },
  { category: 'cross-lingual', text: '請求書のダウンロード', labels: [section(BILLING, 'Invoices')] },
  { category: 'cross-lingual', text: 'ヘルスチェックが失敗したら再起動', labels: [section(MONITORING, 'Health checks')] },
  { category: 'cross-lingual', text: 'invoices for public authorities', labels: [section('docs/de/einrichtung.md', 'Rechnungen für Behörden')] },
  {
    category: 'cross-lingual',
    text: 'pay by bank transfer',
    labels: [section('docs/fr/facturation.md', 'Paiement par virement'), section(BILLING, 'Payment methods', 1)],
  },
  { category: 'cross-lingual', text: 'scheduled maintenance window', labels: [section('docs/ja/guide.md', 'メンテナンス時間')] },
  { category: 'cross-lingual', text: 'how long are log files kept', labels: [section('docs/ja/guide.md', 'ログの保存期間'), section(MONITORING, 'Logs', 1)] },
  { category: 'cross-lingual', text: 'failover to the second region when a data centre goes down', labels: [page(HANDBOOK, 1)] },

  // Image -> similar image (Find Similar on an indexed image, or a pasted copy).
  { category: 'image-to-image', similarTo: LOGIN_LIGHT, labels: [image('exports/login-small.jpg'), image(LOGIN_DARK, 1)] },
  { category: 'image-to-image', similarTo: DASHBOARD_LIGHT, labels: [image('exports/overview-thumb.jpg'), image(DASHBOARD_DARK, 1)] },
  { category: 'image-to-image', similarTo: 'diagrams/architecture.png', labels: [image('exports/architecture-large.png')] },
  { category: 'image-to-image', similarTo: NOTIFICATIONS_LIGHT, labels: [image(NOTIFICATIONS_DARK)] },
  { category: 'image-to-image', similarTo: LOGIN_DARK, labels: [image(LOGIN_LIGHT), image('exports/login-small.jpg')] },
  { category: 'image-to-image', similarTo: 'exports/login-small.jpg', labels: [image(LOGIN_LIGHT), image(LOGIN_DARK, 1)] },
  { category: 'image-to-image', image: 'pasted-login.png', labels: [image(LOGIN_LIGHT), image('exports/login-small.jpg'), image(LOGIN_DARK, 1)] },
  {
    category: 'image-to-image',
    image: 'pasted-dashboard.png',
    labels: [image(DASHBOARD_DARK), image(DASHBOARD_LIGHT, 1), image('exports/overview-thumb.jpg', 1)],
  },
  { category: 'image-to-image', image: 'pasted-invoices.png', labels: [image('screenshots/Screenshot 2024-05-20 at 16.40.31.png')] },
  { category: 'image-to-image', image: 'pasted-network.png', labels: [image('diagrams/network-topology.png')] },

  // Image + words: a picture like the one wanted, and how the wanted one differs.
  { category: 'image-and-words', image: 'other-login.png', text: 'but in dark mode', labels: [image(LOGIN_DARK), image(LOGIN_LIGHT, 1)] },
  { category: 'image-and-words', image: 'other-dashboard.png', text: 'dark theme', labels: [image(DASHBOARD_DARK), image(DASHBOARD_LIGHT, 1)] },
  { category: 'image-and-words', image: 'other-settings.png', text: 'the light version', labels: [image(NOTIFICATIONS_LIGHT), image(NOTIFICATIONS_DARK, 1)] },
  { category: 'image-and-words', image: 'other-table.png', text: 'with invoices', labels: [image('screenshots/Screenshot 2024-05-20 at 16.40.31.png')] },
  { category: 'image-and-words', image: 'other-table.png', text: 'of team members', labels: [image('screenshots/img_4190.png')] },
  { category: 'image-and-words', image: 'other-table.png', text: 'of nightly snapshots', labels: [image('screenshots/img_4233.png')] },
  { category: 'image-and-words', image: 'other-dashboard.png', text: 'on a phone', labels: [image('screenshots/Screenshot 2024-07-11 at 12.00.03.png')] },
  { category: 'image-and-words', image: 'other-login.png', text: 'with a QR code for two-factor', labels: [image('screenshots/capture-07.png')] },

  // Identifier and file-name lookups: the exact string is the point.
  { category: 'identifier', text: 'createDeployment', labels: [section(API, 'createDeployment')] },
  { category: 'identifier', text: 'rollbackRelease', labels: [section(API, 'rollbackRelease')] },
  { category: 'identifier', text: 'listInvoices', labels: [section(API, 'listInvoices')] },
  { category: 'identifier', text: 'exportAuditLog', labels: [section(API, 'exportAuditLog')] },
  { category: 'identifier', text: 'retryPolicy.maxAttempts', labels: [section(API, 'retryPolicy.maxAttempts')] },
  { category: 'identifier', text: 'onDeployFinished', labels: [section(API, 'onDeployFinished')] },
  { category: 'identifier', text: 'HARBOR_REGION', labels: [section(API, 'HARBOR_REGION')] },
  { category: 'identifier', text: 'HARBOR_TOKEN', labels: [section(AUTH, 'API tokens')] },
  { category: 'identifier', text: 'timeoutSeconds', labels: [section(TROUBLESHOOTING, 'Requests time out')] },
  {
    category: 'identifier',
    text: 'harbor.yaml',
    labels: [
      section(GETTING_STARTED, 'Your first project'),
      section(TROUBLESHOOTING, 'A deploy fails at the build step', 1),
      section(TROUBLESHOOTING, 'Requests time out', 1),
    ],
  },
  { category: 'identifier', text: 'capture-12.png', labels: [image('screenshots/capture-12.png')] },
  { category: 'identifier', text: 'img_4350.png', labels: [image('screenshots/img_4350.png')] },
  { category: 'identifier', text: 'Screenshot 2024-05-20 at 16.42.10.png', labels: [image('screenshots/Screenshot 2024-05-20 at 16.42.10.png')] },
  { category: 'identifier', text: 'backup-flow.png', labels: [image('diagrams/backup-flow.png')] },
  { category: 'identifier', text: 'security-whitepaper.pdf', labels: [{ file: WHITEPAPER }] },
  { category: 'identifier', text: 'betriebshandbuch.pdf', labels: [{ file: HANDBOOK }] },
];
