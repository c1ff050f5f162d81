// The English guides of the evaluation workspace: a docs repository for "Harbor", a made-up
// hosting platform, written the way product docs are (front matter, nested headings, images
// with alt text, code spans). Queries in evalQueries.ts are labelled against these sections.

export const GETTING_STARTED_MD = `---
title: Getting started with Harbor
---
# Getting started

## Installing the command-line tool

Harbor ships a command-line tool for macOS, Linux and Microsoft Windows. Install it with
\`npm install -g @harbor/cli\` and check it with \`harbor --version\`. The tool needs Node 20 or
newer and about 50 MB of disk space. Upgrades use the same command.

## Your first project

Run \`harbor init\` in a folder with your application. It writes a \`harbor.yaml\` file that names
the project and its build command. Commit that file: every later deploy reads it.

![How Harbor fits together](../diagrams/architecture.png)

## How the platform is put together

Requests arrive at an edge tier that spreads them over a pool of application hosts. Each
project keeps its data in a managed Postgres instance with a standby copy in a second zone, so
a host can fail without anyone noticing.
`;

export const AUTHENTICATION_MD = `# Authentication

## Signing in

Open the web console and sign in with the email address and password of your account.
Organisations on the Enterprise plan can sign in through their identity provider (SAML or
OpenID Connect) instead.

![The Harbor welcome page](<../screenshots/Screenshot 2024-03-04 at 10.12.55.png>)

## Two-factor authentication

Turn on two-factor authentication in your profile. Scan the QR code with an authenticator app
and type the six-digit code it shows. From then on every sign-in asks for a fresh code.

## Resetting a forgotten password

Choose "Forgot password" on the sign-in page and enter your email address. The link in the
message is valid for one hour. After five failed attempts the account is locked for fifteen
minutes and the owner of the organisation gets an email.

## API tokens

Scripts and CI jobs use API tokens instead of a password. Create one under Profile > Tokens,
copy it once, and store it as the \`HARBOR_TOKEN\` environment variable. Tokens expire after 90
days; revoke a leaked token at once.

## Sessions

A browser session ends after twelve hours without activity. Tick "Remember me" to stay signed
in for thirty days on a trusted computer.
`;

export const DASHBOARD_MD = `# The dashboard

## Overview

The dashboard is the first page after signing in. It shows every project with its status,
the latest deploy and the traffic of the last day.

![Overview](../screenshots/capture-01.png)

## Charts

The latency chart plots the 50th and 99th percentile response time per minute. The
throughput chart counts requests per second, and a bar turns orange when errors exceed one
percent.

## Customising the layout

Drag widgets to reorder them, or hide the ones you do not need from the gear menu. The layout
is saved per user, so colleagues keep their own arrangement.

## Dark mode

The console follows the colour scheme of your operating system. To force the dark theme, open
Settings > Appearance and pick Dark; the choice is remembered in this browser.
`;

export const DEPLOYMENTS_MD = `# Deployments

## Deploying an application

Run \`harbor deploy\` from the project folder, or push to the main branch when the Git
integration is connected. Harbor builds a container image, runs your tests and rolls the new
version out one host at a time.

![Pipeline](../screenshots/capture-11.png)

## Rolling back

Every release stays available for thirty days. To go back to an earlier release, open the
project's Releases tab and choose Roll back, or run \`harbor rollback --to <release>\`.
Traffic moves to the old version within a minute.

## Environments

A project has a production environment and any number of staging environments. Each
environment has its own variables, domain and scaling limits.

## Build pipeline

The pipeline runs the build, test and deploy steps in order. A failed step stops the pipeline
and marks the release as failed; the previous release keeps serving traffic.
`;

export const MONITORING_MD = `# Monitoring

## Alerts

Alert rules watch a metric and notify the on-call person when it crosses a threshold for
five minutes. Alerts go out by email, SMS or a webhook to your chat tool.

## Incidents and on-call

When an alert fires, Harbor opens an incident and pages whoever is on call. If nobody
acknowledges it within ten minutes, it escalates to the next person in the rotation.

## Logs

Application logs are kept for fourteen days. Follow them live with \`harbor logs --follow\`, or
search them in the console by level, host and time range.

## Health checks

Harbor calls the health endpoint of every instance every ten seconds. An instance that
fails three checks in a row is restarted and taken out of the load balancer until it recovers.
`;

export const BILLING_MD = `# Billing

## Plans

The Free plan covers one project and 100,000 requests a month. Pro adds unlimited projects
and staging environments; Enterprise adds single sign-on, audit logs and a support contract.

## Invoices

Invoices are issued on the first day of each month and sent to the billing contact by email.
Download past invoices as PDF from Billing > Invoices.

![Invoices list](<../screenshots/Screenshot 2024-05-20 at 16.40.31.png>)

## Payment methods

Harbor accepts credit cards and, on annual Enterprise contracts, bank transfer. The card on
file is charged automatically; add a second card as a backup in case the first one is declined.

## Refunds

If you downgrade in the middle of a billing period, the unused part is credited to your next
invoice. Refunds to the card are possible within fourteen days of a charge.

## Taxes

Prices exclude VAT. Customers in the European Union with a valid VAT number are invoiced
without VAT under the reverse-charge rule.
`;

export const TEAMS_MD = `# Teams

## Inviting members

Owners and admins invite colleagues from Team > Members. The invitation link is valid for
seven days; a guest role gives read-only access to selected projects.

## Roles and permissions

There are four roles: owner, admin, developer and guest. Only owners can change the plan or
delete the organisation; developers can deploy but cannot manage members.

## Audit log

The audit log records who did what and when: sign-ins, deploys, changes to members and to
billing. Enterprise organisations can export it as CSV for their compliance reviews.
`;

export const BACKUPS_MD = `# Backups

## Nightly backups

Every database is backed up each night at 02:00 UTC. Snapshots are encrypted and copied to
object storage in a second region, so a regional outage does not take them with it.

## Restoring a snapshot

Pick a snapshot by its date on the Backups page and choose Restore. The restore creates a new
database next to the old one; switch the project over once you have checked the data.

## Retention

Daily snapshots are kept for fourteen days and weekly ones for three months. Enterprise plans
can keep monthly snapshots for a year.
`;

export const NETWORKING_MD = `# Networking

## Custom domains

Point a CNAME record at your project's Harbor hostname, then add the domain in the console.
Harbor requests a TLS certificate for it and renews it before it expires.

## Firewall rules

By default every project accepts traffic from anywhere. Add allow rules to accept only the
address ranges of your office or your VPN; everything else gets a 403 response.

## Load balancing

Requests are spread across all healthy instances of a project. Sticky sessions are off by
default; turn them on when your application keeps state in memory.
`;

export const TROUBLESHOOTING_MD = `# Troubleshooting

## A deploy fails at the build step

Look at the build output in the pipeline view first. Most failures are a missing dependency or
a build command that differs from the one in \`harbor.yaml\`.

## Requests time out

Requests that take longer than 30 seconds are cut off with a 504. Move slow work into a
background job, or raise the limit with \`timeoutSeconds\` in \`harbor.yaml\`.

## Out of memory

An instance that uses more memory than its size allows is stopped and restarted. Pick a larger
instance size, or look for a leak with \`harbor metrics --memory\`.

## Certificate expired

If a custom domain shows a certificate warning, its DNS record probably no longer points at
Harbor, so renewal failed. Fix the record and choose Renew on the Domains page.
`;

export const API_REFERENCE_MD = `# API reference

## createDeployment

\`createDeployment(projectId, options)\` starts a deploy of the current commit and returns its
release id. With \`options.dryRun\` it only builds and tests.

## rollbackRelease

\`rollbackRelease(projectId, releaseId)\` makes an earlier release serve traffic again.

## listInvoices

\`listInvoices(organisationId, { from, to })\` returns the invoices of a period with their
amounts and a download link for each PDF.

## exportAuditLog

\`exportAuditLog(organisationId, format)\` writes the audit log as CSV or JSON.

## retryPolicy.maxAttempts

\`retryPolicy.maxAttempts\` sets how often the SDK repeats a request that failed with a 5xx
or a dropped connection; the default is 4.

## onDeployFinished

\`onDeployFinished(callback)\` registers a webhook that fires when a deploy succeeds or fails.

## HARBOR_REGION

\`HARBOR_REGION\` picks the data centre for new projects, for example \`eu-central\`.
`;
