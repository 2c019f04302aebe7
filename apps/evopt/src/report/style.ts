/** The report's only stylesheet, inline: the file must read offline and print cleanly. */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --rule: #dadce0; --band: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 14px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: var(--ink); max-width: 1060px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; margin-top: 32px; }
h3 { font-size: 15px; margin-bottom: 6px; }
code, pre, .formula { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.formula { font-size: 18px; background: var(--band); padding: 8px 12px; border-radius: 4px; display: inline-block; }
pre { background: var(--band); padding: 12px; overflow-x: auto; font-size: 12px; border-radius: 4px; }
.status { padding: 8px 12px; border-radius: 4px; border-left: 4px solid; margin: 12px 0; }
.status-finished { background: #e6f4ea; border-color: #1e8e3e; }
.status-running { background: #e8f0fe; border-color: #1a73e8; }
.status-stopped, .status-incomplete { background: #fef7e0; border-color: #f9ab00; }
.status-failed { background: #fce8e6; border-color: #d93025; }
.notice { background: #fef7e0; padding: 8px 12px; border-radius: 4px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { background: var(--band); }
td.num, th.num, .count { font-variant-numeric: tabular-nums; }
td.num { text-align: right; }
figure { margin: 16px 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 12px; }
details summary { cursor: pointer; color: var(--muted); }
.muted { color: var(--muted); }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media print { body { padding: 0; } section { break-inside: avoid-page; } details { display: block; } }
`;
