// Imported first: a browser started with a POSIX locale (LANG=C) reports a language such
// as "en-US@posix" that Intl rejects, and uPlot formats numbers with navigator.language as
// soon as it loads. Such a page gets "en-US" instead of a blank screen.

try {
  new Intl.NumberFormat(navigator.language);
} catch {
  Object.defineProperty(navigator, 'language', { value: 'en-US', configurable: true });
}

export {};
