// Guides that exist only in German, French or Japanese, as a docs repository with a few
// translated pages has them. Cross-lingual queries are labelled against these (and the other way
// round: German, French and Japanese queries against the English guides).

export const GERMAN_SETUP_MD = `# Einrichtung

## Netzwerk im Büro

Wenn die Anwendung hinter einer Firewall läuft, müssen ausgehende Verbindungen zu Port 443
erlaubt sein. Ein Proxy wird über die Umgebungsvariable HTTPS_PROXY eingetragen.

## Rechnungen für Behörden

Öffentliche Auftraggeber erhalten Rechnungen im Format XRechnung. Die Leitweg-ID wird in den
Abrechnungseinstellungen hinterlegt und erscheint auf jeder Rechnung.

## Datensicherung vor einem Umzug

Vor dem Umzug in ein anderes Rechenzentrum sollte eine manuelle Sicherung angelegt werden. Die
Wiederherstellung dauert je nach Größe der Datenbank zwischen fünf Minuten und einer Stunde.
`;

export const FRENCH_BILLING_MD = `# Facturation

## Paiement par virement

Les clients Enterprise peuvent régler leurs factures par virement bancaire. Le numéro IBAN
figure sur chaque facture ; le paiement doit arriver sous trente jours.

## Changer de formule

Le passage à une formule supérieure prend effet immédiatement. Le passage à une formule
inférieure prend effet à la fin de la période en cours, sans remboursement.

## Notifications par e-mail

Chaque membre choisit les notifications qu'il reçoit par e-mail : déploiements échoués,
alertes, factures. Les propriétaires reçoivent toujours les alertes de sécurité.
`;

export const JAPANESE_GUIDE_MD = `# 運用ガイド

## メンテナンス時間

定期メンテナンスは毎月第一日曜日の深夜に行われます。メンテナンス中はコンソールが読み取り専用になります。

## 障害発生時の連絡

大規模な障害が発生した場合、ステータスページとメールでお知らせします。オンコール担当者が一時間ごとに状況を更新します。

## ログの保存期間

アプリケーションのログファイルは十四日間保存されます。長期間保存したい場合は、ストレージへのエクスポートを設定してください。
`;
