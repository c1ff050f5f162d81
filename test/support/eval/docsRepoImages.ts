// The pictures of the evaluation workspace: screenshots under the names screenshot tools give
// them (so a name says nothing of what is shown), diagrams with telling names, a few screens
// in a light and a dark variant, and exported copies. The captions are what the fake model
// "sees" in each (registered with the fake server); queries never see them.

export interface FixtureImage {
  readonly path: string;
  readonly seed: number;
  readonly caption: string;
  readonly theme?: 'light' | 'dark';
  readonly width?: number;
  readonly height?: number;
}

export interface FixtureCopy {
  readonly path: string;
  /** The image this is a resized, re-encoded copy of. */
  readonly of: string;
  readonly width: number;
  readonly height: number;
  readonly format: 'png' | 'jpeg';
}

export const LOGIN_LIGHT = 'screenshots/Screenshot 2024-03-04 at 10.12.55.png';
export const LOGIN_DARK = 'screenshots/Screenshot 2024-03-04 at 10.14.02.png';
export const DASHBOARD_LIGHT = 'screenshots/capture-01.png';
export const DASHBOARD_DARK = 'screenshots/capture-02.png';
export const NOTIFICATIONS_LIGHT = 'screenshots/img_4102.png';
export const NOTIFICATIONS_DARK = 'screenshots/img_4107.png';

export const FIXTURE_IMAGES: readonly FixtureImage[] = [
  {
    path: LOGIN_LIGHT,
    seed: 101,
    theme: 'light',
    caption: 'sign-in form with username and password fields, a blue button and a link to reset the password, light theme',
  },
  { path: LOGIN_DARK, seed: 101, theme: 'dark', caption: 'sign-in form with username and password fields and a blue button, dark theme' },
  {
    path: DASHBOARD_LIGHT,
    seed: 102,
    theme: 'light',
    caption: 'dashboard with a line chart of latency, a bar chart of requests per second and cards with uptime, light theme',
  },
  { path: DASHBOARD_DARK, seed: 102, theme: 'dark', caption: 'dashboard with a line chart of latency and a bar chart of throughput, dark theme' },
  {
    path: NOTIFICATIONS_LIGHT,
    seed: 103,
    theme: 'light',
    caption: 'settings page with toggle switches for email notifications and push notifications, light theme',
  },
  { path: NOTIFICATIONS_DARK, seed: 103, theme: 'dark', caption: 'notification settings with toggle switches, dark theme' },
  {
    path: 'screenshots/Screenshot 2024-05-20 at 16.40.31.png',
    seed: 104,
    caption: 'billing page with a table of invoices, amounts in euros and a download button',
  },
  { path: 'screenshots/Screenshot 2024-05-20 at 16.42.10.png', seed: 105, caption: 'dialog to add a credit card with a card number field and a save button' },
  { path: 'screenshots/capture-07.png', seed: 106, caption: 'two-factor setup with a qr code and a field for the verification code' },
  { path: 'screenshots/img_4190.png', seed: 107, caption: 'table of team members with their roles, an invite button and avatars' },
  { path: 'screenshots/capture-11.png', seed: 108, caption: 'pipeline with build, test and deploy steps, the deploy step failed in red' },
  { path: 'screenshots/capture-12.png', seed: 109, caption: 'confirmation dialog to roll back to the previous version with a red cancel button' },
  { path: 'screenshots/Screenshot 2024-06-02 at 09.01.44.png', seed: 110, caption: 'log viewer in a terminal with error lines in red, dark theme' },
  { path: 'screenshots/capture-15.png', seed: 111, caption: 'list of alerts with yellow warning icons and a red incident banner' },
  { path: 'screenshots/img_4233.png', seed: 112, caption: 'table of nightly snapshots with dates and a restore button' },
  { path: 'screenshots/capture-19.png', seed: 113, caption: 'custom domain form with a dns record table and the certificate status' },
  { path: 'screenshots/img_4301.png', seed: 114, caption: 'list of api tokens with expiry dates and a revoke button' },
  { path: 'screenshots/capture-21.png', seed: 115, caption: 'empty project page with an illustration and a create button' },
  { path: 'screenshots/Screenshot 2024-07-11 at 12.00.03.png', seed: 116, width: 450, height: 900, caption: 'mobile app on a phone showing dashboard cards' },
  { path: 'screenshots/img_4350.png', seed: 117, caption: 'audit log table of who did what with dates and a filter dropdown' },
  { path: 'screenshots/capture-25.png', seed: 118, caption: 'search bar with a dropdown of results and a keyboard shortcut hint' },
  { path: 'diagrams/architecture.png', seed: 201, caption: 'architecture diagram with a load balancer, two servers, a database and its replica' },
  { path: 'diagrams/backup-flow.png', seed: 202, caption: 'flowchart of the backup process from a database snapshot to object storage in another region' },
  { path: 'diagrams/network-topology.png', seed: 203, caption: 'network diagram with a firewall, subnets and a gateway' },
  { path: 'diagrams/deploy-sequence.png', seed: 204, caption: 'diagram of a deployment: build, push the container image, roll out to the cluster' },
];

export const FIXTURE_COPIES: readonly FixtureCopy[] = [
  { path: 'exports/login-small.jpg', of: LOGIN_LIGHT, width: 480, height: 300, format: 'jpeg' },
  { path: 'exports/overview-thumb.jpg', of: DASHBOARD_LIGHT, width: 400, height: 250, format: 'jpeg' },
  { path: 'exports/architecture-large.png', of: 'diagrams/architecture.png', width: 1200, height: 750, format: 'png' },
];

/**
 * Images that are not in the workspace: what a person pastes or drops as a query. `like` is
 * the screen it resembles (a different capture of the same kind of screen, other pixels).
 */
export interface QueryImage {
  readonly name: string;
  readonly seed: number;
  readonly caption: string;
  readonly theme?: 'light' | 'dark';
  /** Instead of a new picture: a resized copy of this workspace image. */
  readonly copyOf?: string;
}

export const QUERY_IMAGES: readonly QueryImage[] = [
  { name: 'pasted-login.png', seed: 0, caption: '', copyOf: LOGIN_LIGHT },
  { name: 'pasted-dashboard.png', seed: 0, caption: '', copyOf: DASHBOARD_DARK },
  { name: 'pasted-invoices.png', seed: 0, caption: '', copyOf: 'screenshots/Screenshot 2024-05-20 at 16.40.31.png' },
  { name: 'pasted-network.png', seed: 0, caption: '', copyOf: 'diagrams/network-topology.png' },
  { name: 'other-login.png', seed: 301, theme: 'light', caption: 'sign-in form with username and password fields and a button, light theme' },
  { name: 'other-dashboard.png', seed: 302, theme: 'light', caption: 'dashboard with a line chart and a bar chart, light theme' },
  { name: 'other-settings.png', seed: 303, theme: 'dark', caption: 'settings page with toggle switches, dark theme' },
  { name: 'other-table.png', seed: 304, theme: 'light', caption: 'table with rows of records and a button' },
];

export const IMAGE_SIZE = { width: 960, height: 600 } as const;
