/**
 * The demo page at `/`: a plain page that embeds the widget the way any site would, with one
 * script tag loaded from this same server.
 */
export function demoPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parley demo</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #16181d; background: #f6f7f9; }
  main { max-width: 42rem; margin: 0 auto; padding: 3rem 1.5rem; }
  h1 { font-size: 2rem; margin: 0 0 .5rem; }
  code { background: #e8ebf0; padding: .1em .35em; border-radius: 4px; }
  button { font: inherit; padding: .5rem 1rem; border-radius: 8px; border: 1px solid #2563eb; background: #fff; color: #1d4ed8; cursor: pointer; }
</style>
</head>
<body>
<main>
  <h1>Parley demo shop</h1>
  <p>This page embeds the Parley widget with one line:</p>
  <p><code>&lt;script src="/widget.js" async&gt;&lt;/script&gt;</code></p>
  <p>Open the chat with the button in the corner and run the support flow. For an existing customer, any
    account number of 6 to 10 digits works, and the one-time code is <code>123456</code>.</p>
  <p><button type="button" onclick="Parley.open()">Open the chat from the page</button></p>
</main>
<script>window.Parley = window.Parley || function () { (Parley.q = Parley.q || []).push(arguments); };</script>
<script src="/widget.js" data-title="Parley support" async></script>
</body>
</html>
`;
}
